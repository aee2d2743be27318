#include "aws/query_protocol.h"

#include <charconv>

#include "aws/rpc_call.h"
#include "http/percent_encoding.h"

namespace lifeboat {

std::string FormEncodeQuery(std::string_view action, std::string_view version,
                            const QueryParams& params) {
  std::string body = "Action=" + UriEncode(action) + "&Version=" + UriEncode(version);
  for (const auto& [name, value] : params) {
    body += '&';
    body += UriEncode(name);
    body += '=';
    body += UriEncode(value);
  }
  return body;
}

Result<HttpRequest> BuildQueryRequest(std::string_view endpoint, std::string_view action,
                                      std::string_view version, const QueryParams& params) {
  HttpRequest request;
  request.method = "POST";
  LIFEBOAT_ASSIGN_OR_RETURN(request.url, RpcRootUrl(endpoint));
  request.headers.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = FormEncodeQuery(action, version, params);
  return request;
}

Result<QueryAnswer> ParseQueryAnswer(std::string_view body, std::string_view action) {
  QueryAnswer answer;
  answer.doc = std::make_unique<pugi::xml_document>();
  const std::string response_name = std::string(action) + "Response";
  if (!answer.doc->load_buffer(body.data(), body.size())) {
    return Status::Internal("the answer is not XML");
  }
  pugi::xml_node response = answer.doc->document_element();
  if (response_name != response.name()) {
    return Status::Internal("expected <" + response_name + "> but the answer is <" +
                            std::string(response.name()) + ">");
  }
  answer.result = response.child((std::string(action) + "Result").c_str());
  return answer;
}

Result<QueryAnswer> CallQuery(AwsTransport& transport, std::string_view endpoint,
                              std::string_view action, std::string_view version,
                              const QueryParams& params) {
  LIFEBOAT_ASSIGN_OR_RETURN(HttpRequest request,
                            BuildQueryRequest(endpoint, action, version, params));
  LIFEBOAT_ASSIGN_OR_RETURN(HttpResponse response, SendRpc(transport, std::move(request)));
  return ParseQueryAnswer(response.body, action);
}

std::string XmlChildText(pugi::xml_node node, const char* name) {
  return node.child(name).text().as_string();
}

int XmlChildInt(pugi::xml_node node, const char* name, int fallback) {
  const std::string text = XmlChildText(node, name);
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return fallback;
  return value;
}

}  // namespace lifeboat
