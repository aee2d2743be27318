// What the RPC-style AWS protocols (Query in query_protocol.h, JSON in json_protocol.h) share:
// every call is a POST to the root of the service's endpoint, and only a 2xx answer is a
// success.
//
// Pure functions plus a call through the borrowed AwsTransport; safe from any thread.
#ifndef LIFEBOAT_AWS_RPC_CALL_H_
#define LIFEBOAT_AWS_RPC_CALL_H_

#include <string>
#include <string_view>

#include "aws/aws_transport.h"
#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

// "<endpoint>/" for scheme://host[:port][/base]; a trailing '/' is not doubled.
// kInvalidArgument when `endpoint` is not an http(s) URL without a query.
Result<std::string> RpcRootUrl(std::string_view endpoint);

// Sends through the transport (signing, retries) and turns an answer that is not 2xx (the
// transport returns 3xx as responses) into its error Status.
Result<HttpResponse> SendRpc(AwsTransport& transport, HttpRequest request);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_RPC_CALL_H_
