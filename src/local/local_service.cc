#include "local/local_service.h"

#include <openssl/rand.h>

#include <cstdio>
#include <nlohmann/json.hpp>

namespace lifeboat {

std::string LocalRequest::Header(std::string_view name) const {
  return headers.Get(name).value_or("");
}

std::string LocalRequest::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return "";
}

bool LocalRequest::HasParam(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return true;
  }
  return false;
}

std::string NewRequestId() {
  unsigned char b[16];
  RAND_bytes(b, sizeof(b));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

namespace {

LocalResponse Xml(int status, std::string body, const std::string& request_id) {
  LocalResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/xml");
  r.headers.Set("x-amzn-RequestId", request_id);
  r.body = std::move(body);
  return r;
}

}  // namespace

LocalResponse S3ErrorResponse(int status, std::string_view code, std::string_view message,
                              std::string_view resource) {
  const std::string id = NewRequestId();
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + XmlEscape(code) +
                     "</Code><Message>" + XmlEscape(message) + "</Message>";
  if (!resource.empty()) body += "<Resource>" + XmlEscape(resource) + "</Resource>";
  body += "<RequestId>" + id + "</RequestId></Error>";
  LocalResponse r = Xml(status, std::move(body), id);
  r.headers.Set("x-amz-request-id", id);
  return r;
}

LocalResponse QueryErrorResponse(int status, std::string_view code, std::string_view message) {
  const std::string id = NewRequestId();
  return Xml(status,
             "<ErrorResponse><Error><Type>" + std::string(status >= 500 ? "Receiver" : "Sender") +
                 "</Type><Code>" + XmlEscape(code) + "</Code><Message>" + XmlEscape(message) +
                 "</Message></Error><RequestId>" + id + "</RequestId></ErrorResponse>",
             id);
}

LocalResponse Ec2ErrorResponse(int status, std::string_view code, std::string_view message) {
  const std::string id = NewRequestId();
  return Xml(status,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" +
                 XmlEscape(code) + "</Code><Message>" + XmlEscape(message) +
                 "</Message></Error></Errors><RequestID>" + id + "</RequestID></Response>",
             id);
}

LocalResponse JsonErrorResponse(int status, std::string_view type, std::string_view message) {
  LocalResponse r;
  r.status = status;
  r.headers.Set("Content-Type", "application/x-amz-json-1.0");
  r.headers.Set("x-amzn-RequestId", NewRequestId());
  r.body = nlohmann::json{{"__type", std::string(type)}, {"message", std::string(message)}}.dump();
  return r;
}

}  // namespace lifeboat
