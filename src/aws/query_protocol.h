// The AWS Query protocol as the clients speak it (Auto Scaling; EC2's dialect differs): a
// request is a form POSTed to the endpoint's root, `Action=<Op>&Version=<date>&<params>`,
// and a successful answer is `<OpResponse><OpResult>...</OpResult><ResponseMetadata>`.
//
// Requests are plain values (BuildQueryRequest) so tests check them byte for byte; CallQuery
// sends one through an AwsTransport and hands back the parsed <OpResult>. Errors come from
// AwsTransport / aws_error.h with the service's code kept in service_code().
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_AWS_QUERY_PROTOCOL_H_
#define LIFEBOAT_AWS_QUERY_PROTOCOL_H_

#include <memory>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_transport.h"
#include "common/status.h"
#include "http/http_types.h"

namespace lifeboat {

// Form fields in the order they are sent, after Action and Version.
using QueryParams = std::vector<std::pair<std::string, std::string>>;

// "Action=<action>&Version=<version>&name=value...", every name and value percent-encoded
// (RFC 3986 unreserved characters kept, space as %20), as the SDKs send it.
std::string FormEncodeQuery(std::string_view action, std::string_view version,
                            const QueryParams& params);

// POST <endpoint>/ with the form body and Content-Type
// "application/x-www-form-urlencoded; charset=utf-8". `endpoint` is scheme://host[:port]
// with an optional base path; kInvalidArgument when it is not such a URL.
Result<HttpRequest> BuildQueryRequest(std::string_view endpoint, std::string_view action,
                                      std::string_view version, const QueryParams& params);

// A parsed answer. `result` is the <ActionResult> element, or an empty node for actions
// that answer with none (CompleteLifecycleAction); it lives as long as `doc`.
struct QueryAnswer {
  std::unique_ptr<pugi::xml_document> doc;
  pugi::xml_node result;
};

// Parses a 2xx body; kInternal when it is not XML or not <ActionResponse>.
Result<QueryAnswer> ParseQueryAnswer(std::string_view body, std::string_view action);

// Builds, sends (signed, retried) and parses one call. A 3xx answer is an error too.
Result<QueryAnswer> CallQuery(AwsTransport& transport, std::string_view endpoint,
                              std::string_view action, std::string_view version,
                              const QueryParams& params);

// The text of the first child element called `name`; empty when there is none.
std::string XmlChildText(pugi::xml_node node, const char* name);
// The integer in that child; `fallback` when it is missing or not a number.
int XmlChildInt(pugi::xml_node node, const char* name, int fallback = 0);

}  // namespace lifeboat

#endif  // LIFEBOAT_AWS_QUERY_PROTOCOL_H_
