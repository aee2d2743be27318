// The `ec2-metadata` command of a simulated instance: a POSIX sh script behaving like
// Amazon Linux's (amazon-ec2-utils), so user data and documents written for EC2 work
// unchanged: `ec2-metadata -i` prints "instance-id: i-...", -z "placement: <zone>",
// -t "instance-type: ...", -h "local-hostname: ..." (as on Amazon Linux; --help is help).
// It asks IMDSv2 (a session token first) at AWS_EC2_METADATA_SERVICE_ENDPOINT, default
// http://169.254.169.254, with curl.
#ifndef LIFEBOAT_LOCAL_INSTANCES_EC2_METADATA_SCRIPT_H_
#define LIFEBOAT_LOCAL_INSTANCES_EC2_METADATA_SCRIPT_H_

#include <string_view>

namespace lifeboat {

// The script's text, starting with "#!/bin/sh".
std::string_view Ec2MetadataScript();

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_EC2_METADATA_SCRIPT_H_
