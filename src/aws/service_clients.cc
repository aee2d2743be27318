#include "aws/service_clients.h"

namespace lifeboat {
namespace {

template <typename Client>
Result<std::unique_ptr<Client>> Make(AwsSession& session, AwsService service) {
  LIFEBOAT_ASSIGN_OR_RETURN(AwsTransport * transport, session.Transport(service));
  LIFEBOAT_ASSIGN_OR_RETURN(ServiceEndpoint endpoint, session.Endpoint(service));
  return std::make_unique<Client>(*transport, endpoint.url);
}

}  // namespace

Result<std::unique_ptr<AutoScalingClient>> MakeAutoScalingClient(AwsSession& session) {
  return Make<AutoScalingClient>(session, AwsService::kAutoScaling);
}

Result<std::unique_ptr<SqsClient>> MakeSqsClient(AwsSession& session) {
  return Make<SqsClient>(session, AwsService::kSqs);
}

Result<std::unique_ptr<SsmClient>> MakeSsmClient(AwsSession& session) {
  return Make<SsmClient>(session, AwsService::kSsm);
}

}  // namespace lifeboat
