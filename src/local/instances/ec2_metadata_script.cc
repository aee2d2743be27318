#include "local/instances/ec2_metadata_script.h"

namespace lifeboat {

std::string_view Ec2MetadataScript() {
  static constexpr std::string_view kScript = R"SH(#!/bin/sh
# ec2-metadata for lifeboat local instances: Amazon Linux's command, over IMDSv2.
base="${AWS_EC2_METADATA_SERVICE_ENDPOINT:-http://169.254.169.254}"
base="${base%/}"
quiet=""
token=""

usage() {
  cat <<'USAGE'
Usage: ec2-metadata <option>
Options:
--all                     Show all metadata information for this host (also default).
-a/--ami-id               The AMI ID used to launch this instance
-l/--ami-launch-index     The index of this instance in the reservation (per AMI).
-b/--block-device-mapping Defines native device names to use when exposing virtual devices.
-i/--instance-id          The ID of this instance
-t/--instance-type        The type of instance to launch.
-h/--local-hostname       The local hostname of the instance.
-o/--local-ipv4           The private IPv4 address of the instance.
-z/--availability-zone    The availability zone in which the instance launched. Same as placement
-R/--region               The region in which the instance launched.
-s/--security-groups      Names of the security groups the instance is launched in.
-d/--user-data            User-supplied data. Only available if supplied at instance launch time.
--quiet                   Suppress tag keys from the output
--help                    Show this help.
USAGE
}

get_token() {
  [ -n "$token" ] && return 0
  if ! token=$(curl -s -f -m 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 900" \
      "$base/latest/api/token") || [ -z "$token" ]; then
    echo "[ERROR] Could not get an IMDSv2 token from $base: instance metadata unavailable" >&2
    exit 1
  fi
}

get_meta() {
  curl -s -f -m 2 -H "X-aws-ec2-metadata-token: $token" "$base/latest/$1"
}

print_metric() {
  [ -z "$quiet" ] && printf '%s: ' "$1"
  if value=$(get_meta "$2") && [ -n "$value" ]; then
    printf '%s\n' "$value"
  else
    echo "not available"
  fi
}

print_block_device_mapping() {
  [ -z "$quiet" ] && echo "block-device-mapping: "
  if names=$(get_meta meta-data/block-device-mapping/) && [ -n "$names" ]; then
    for name in $names; do
      [ -z "$quiet" ] && printf '\t %s: ' "$name"
      get_meta "meta-data/block-device-mapping/$name"
      echo
    done
  else
    echo "not available"
  fi
}

print_all() {
  print_metric ami-id meta-data/ami-id
  print_metric ami-launch-index meta-data/ami-launch-index
  print_block_device_mapping
  print_metric instance-id meta-data/instance-id
  print_metric instance-type meta-data/instance-type
  print_metric local-hostname meta-data/local-hostname
  print_metric local-ipv4 meta-data/local-ipv4
  print_metric placement meta-data/placement/availability-zone
  print_metric region meta-data/placement/region
  print_metric security-groups meta-data/security-groups
  print_metric user-data user-data
}

# --quiet and --help apply wherever they appear; the rest print in the order given.
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --help) usage; exit 0 ;;
  esac
done

get_token
[ "$#" -eq 0 ] && { print_all; exit 0; }
[ "$#" -eq 1 ] && [ -n "$quiet" ] && { print_all; exit 0; }
for arg in "$@"; do
  case "$arg" in
    --quiet) ;;
    --all) print_all ;;
    -a|--ami-id) print_metric ami-id meta-data/ami-id ;;
    -l|--ami-launch-index) print_metric ami-launch-index meta-data/ami-launch-index ;;
    -b|--block-device-mapping) print_block_device_mapping ;;
    -i|--instance-id) print_metric instance-id meta-data/instance-id ;;
    -t|--instance-type) print_metric instance-type meta-data/instance-type ;;
    -h|--local-hostname) print_metric local-hostname meta-data/local-hostname ;;
    -o|--local-ipv4) print_metric local-ipv4 meta-data/local-ipv4 ;;
    -z|--availability-zone) print_metric placement meta-data/placement/availability-zone ;;
    -R|--region) print_metric region meta-data/placement/region ;;
    -s|--security-groups) print_metric security-groups meta-data/security-groups ;;
    -d|--user-data) print_metric user-data user-data ;;
    *) echo "ec2-metadata: unknown option $arg" >&2; usage >&2; exit 1 ;;
  esac
done
)SH";
  return kScript;
}

}  // namespace lifeboat
