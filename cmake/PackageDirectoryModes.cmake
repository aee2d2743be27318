# CPack pre-build script: every directory in the package is 0755, whatever the umask of
# whoever builds it (CMake creates the implicit parent directories, /usr/share and the like,
# with mkdir's mode minus that umask).
file(GLOB_RECURSE directories LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*")
foreach(directory IN LISTS directories)
  if(IS_DIRECTORY "${directory}" AND NOT IS_SYMLINK "${directory}")
    file(CHMOD "${directory}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
         GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endif()
endforeach()
