// The API clients of a session: each built on the session's signing transport and
// resolved endpoint for its service (AWS_ENDPOINT_URL_<SERVICE>, --endpoint-url, ...).
// The clients borrow the session, which must outlive them.
#ifndef LIFEBOAT_AWS_SERVICE_CLIENTS_H_
#define LIFEBOAT_AWS_SERVICE_CLIENTS_H_

#include <memory>

#include "aws/autoscaling_client.h"
#include "aws/aws_session.h"
#include "aws/sqs_client.h"
#include "aws/ssm_client.h"

namespace lifeboat {

Result<std::unique_ptr<AutoScalingClient>> MakeAutoScalingClient(AwsSession& session);
Result<std::unique_ptr<SqsClient>> MakeSqsClient(AwsSession& session);
Result<std::unique_ptr<SsmClient>> MakeSsmClient(AwsSession& session);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_SERVICE_CLIENTS_H_
