# How lifeboat is installed, and the packages built from that:
#   make package     build/lifeboat_<version>_<arch>.deb: the production binary, what the
#                    agent needs on an instance and deploy/ (component `lifeboat`)
#                    build/lifeboat-local_<version>_<arch>.deb: the emulator, lifeboat-local,
#                    for trying lifeboat without an account (component `local`); it depends
#                    on the first, whose binary its instances and `lifeboat local` run
#   make lambda-zip  build/lifeboat-controller.zip, the controller as a provided.al2023 function
#
# Two packages, so that a fleet's instances carry no emulator code or library: an
# operator installs `lifeboat`; someone trying it out installs both.
#
# The binaries go under the prefix (/usr in the .deb); the unit and the configuration go
# where systemd and the documentation expect them whatever the prefix.

install(TARGETS lifeboat RUNTIME DESTINATION bin COMPONENT lifeboat)
install(FILES deploy/systemd/lifeboat-agent.service DESTINATION /lib/systemd/system
        COMPONENT lifeboat)
install(FILES deploy/config/agent.yaml DESTINATION /etc/lifeboat COMPONENT lifeboat)
install(DIRECTORY deploy/ssm deploy/iam deploy/cloudformation DESTINATION share/lifeboat/deploy
        COMPONENT lifeboat)
install(FILES README.md docs/deploy.md DESTINATION share/doc/lifeboat COMPONENT lifeboat)
install(TARGETS lifeboat-local RUNTIME DESTINATION bin COMPONENT local)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lifeboat)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY ${PROJECT_DESCRIPTION})
set(CPACK_PACKAGE_DESCRIPTION
    "lifeboat compresses the instance's logs (zstd), uploads them in parallel with \
exactly-once object keys, verifies what S3 acknowledged, writes a manifest that proves \
they are complete, and completes the Auto Scaling lifecycle action as soon as they are \
stored. It runs as an agent that ships continuously (lifeboat-agent.service, configured \
in /etc/lifeboat/agent.yaml), as a one-shot evacuation from a Run Command document, and as \
the controller that sends that document. /usr/share/lifeboat/deploy holds the document, \
the IAM policies and the CloudFormation template.")
set(CPACK_PACKAGE_CONTACT "${LIFEBOAT_MAINTAINER}")
# Absolute destinations (/etc, /lib/systemd) land in the staging directory only through DESTDIR.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
# A development build may keep debug information (DEBUG_INFO=ON); the packages do not.
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Depends: computed by dpkg-shlibdeps from the libraries the binary links, not kept by hand.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# One .deb per component, named as Debian names packages.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lifeboat local)
set(CPACK_DEBIAN_LIFEBOAT_PACKAGE_NAME lifeboat)
set(CPACK_DEBIAN_LOCAL_PACKAGE_NAME lifeboat-local)
set(CPACK_COMPONENT_LIFEBOAT_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
# CPack 3.25 gives every component the project's synopsis; the text says which this is.
set(CPACK_COMPONENT_LOCAL_DESCRIPTION
    "lifeboat-local is lifeboat's AWS emulator, for trying lifeboat without an account: \
S3, SQS, EC2, Auto Scaling, EventBridge, Lambda and SSM Run Command on 127.0.0.1 with \
AWS's wire protocols (`lifeboat local`), and the whole architecture with a scale-in on it \
(`lifeboat demo`). The instances of a fleet do not need it.")
set(CPACK_DEBIAN_LOCAL_PACKAGE_DEPENDS "lifeboat (= ${PROJECT_VERSION})")
# conffiles keeps an operator's /etc/lifeboat/agent.yaml across upgrades; the maintainer
# scripts tell systemd about a changed unit and stop the agent (it drains) on removal.
set(CPACK_DEBIAN_LIFEBOAT_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/cmake/PackageDirectoryModes.cmake)
include(CPack)

# The controller's Lambda zip: the stripped production binary (lifeboat, never
# lifeboat-local), every shared library it loads (glibc and its loader included: Amazon
# Linux 2023 has an older glibc and none of the others), and a bootstrap script that runs
# the binary through the bundled loader. docs/deploy.md says why.
find_program(PYTHON3 python3 REQUIRED)
set(LIFEBOAT_LAMBDA_ZIP ${CMAKE_BINARY_DIR}/lifeboat-controller.zip)
add_custom_command(
  OUTPUT ${LIFEBOAT_LAMBDA_ZIP}
  COMMAND ${PYTHON3} ${CMAKE_SOURCE_DIR}/scripts/lambda-zip
          --binary $<TARGET_FILE:lifeboat> --bootstrap ${CMAKE_SOURCE_DIR}/deploy/lambda/bootstrap
          --strip ${CMAKE_STRIP} --output ${LIFEBOAT_LAMBDA_ZIP}
  DEPENDS lifeboat ${CMAKE_SOURCE_DIR}/scripts/lambda-zip ${CMAKE_SOURCE_DIR}/deploy/lambda/bootstrap
  COMMENT "Packing the controller's Lambda zip"
  VERBATIM)
add_custom_target(lambda-zip DEPENDS ${LIFEBOAT_LAMBDA_ZIP})
