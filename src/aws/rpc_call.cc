#include "aws/rpc_call.h"

#include "aws/aws_error.h"

namespace lifeboat {

Result<std::string> RpcRootUrl(std::string_view endpoint) {
  auto url = ParseUrl(endpoint);
  if (!url || (url->scheme != "http" && url->scheme != "https") || !url->query.empty()) {
    return Status::InvalidArgument("endpoint '" + std::string(endpoint) +
                                   "' is not a URL like https://host[:port]");
  }
  while (!url->path.empty() && url->path.back() == '/') url->path.pop_back();
  url->path += '/';
  return url->ToString();
}

Result<HttpResponse> SendRpc(AwsTransport& transport, HttpRequest request) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, transport.Send(std::move(request)));
  if (response.status < 200 || response.status >= 300) return AwsErrorToStatus(response);
  return response;
}

}  // namespace lifeboat
