#!/usr/bin/env bash
# Deploys the seed's log-saving architecture as its blog post builds it, with aws CLI calls
# only: bucket, the `log-upload` Run Command document, the Python Lambda function, the
# EventBridge rule and target, a group of instances writing /var/log/php-fpm/error.log, and
# the terminate lifecycle hook (CONTINUE after the heartbeat timeout).
#
# Against lifeboat local:   AWS_ENDPOINT_URL=http://127.0.0.1:4566 BUCKET=logs examples/seed/deploy.sh
# Against AWS, also set LAMBDA_ROLE (a role the function may assume) and SUBNETS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${BUCKET:?set BUCKET to the log bucket name}"
GROUP=${GROUP:-seed-web}
INSTANCES=${INSTANCES:-2}
HEARTBEAT_TIMEOUT=${HEARTBEAT_TIMEOUT:-300}
LAMBDA_ROLE=${LAMBDA_ROLE:-arn:aws:iam::000000000000:role/seed-log-upload}
IMAGE_ID=${IMAGE_ID:-ami-0123456789abcdef0}
USER_DATA=${USER_DATA:-$here/user-data.sh}  # the instances' application

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

aws s3 mb "s3://$BUCKET" >/dev/null

# The document of the post, its '#' comment lines left out (JSON has no comments).
sed "s/BUCKET_NAME/$BUCKET/" "$here/document.json" >"$work/document.json"
aws ssm create-document --name log-upload --document-type Command --document-format JSON \
  --content "file://$work/document.json" >/dev/null

python3 -m zipfile -c "$work/function.zip" "$here/lambda_function.py"
function_arn=$(aws lambda create-function --function-name log-upload --runtime python3.8 \
  --handler lambda_function.lambda_handler --role "$LAMBDA_ROLE" \
  --zip-file "fileb://$work/function.zip" --query FunctionArn --output text)

rule_arn=$(aws events put-rule --name log-upload --event-pattern "file://$here/event-pattern.json" \
  --query RuleArn --output text)
aws lambda add-permission --function-name log-upload --statement-id eventbridge \
  --action lambda:InvokeFunction --principal events.amazonaws.com --source-arn "$rule_arn" >/dev/null
aws events put-targets --rule log-upload --targets "Id=log-upload,Arn=$function_arn" >/dev/null

user_data=$(base64 -w0 "$USER_DATA")
aws ec2 create-launch-template --launch-template-name "$GROUP" --launch-template-data \
  "{\"ImageId\":\"$IMAGE_ID\",\"InstanceType\":\"t3.micro\",\"UserData\":\"$user_data\"}" >/dev/null
placement=(--availability-zones "${AWS_DEFAULT_REGION:-us-east-1}a")
[ -n "${SUBNETS:-}" ] && placement=(--vpc-zone-identifier "$SUBNETS")
aws autoscaling create-auto-scaling-group --auto-scaling-group-name "$GROUP" \
  --launch-template "LaunchTemplateName=$GROUP" --min-size 0 --max-size "$INSTANCES" \
  --desired-capacity "$INSTANCES" "${placement[@]}"

aws autoscaling put-lifecycle-hook --lifecycle-hook-name log-upload \
  --auto-scaling-group-name "$GROUP" --lifecycle-transition autoscaling:EC2_INSTANCE_TERMINATING \
  --heartbeat-timeout "$HEARTBEAT_TIMEOUT" --default-result CONTINUE
echo "deployed: group $GROUP ($INSTANCES instances), bucket $BUCKET, hook timeout ${HEARTBEAT_TIMEOUT}s"
