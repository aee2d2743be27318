#include "local/autoscaling/query_xml.h"

#include "local/autoscaling/asg_messages.h"

namespace lifeboat {

XmlOut& XmlOut::Open(std::string_view tag) {
  out_ += '<';
  out_ += tag;
  out_ += '>';
  return *this;
}

XmlOut& XmlOut::Close(std::string_view tag) {
  out_ += "</";
  out_ += tag;
  out_ += '>';
  return *this;
}

XmlOut& XmlOut::Text(std::string_view tag, std::string_view text) {
  Open(tag);
  out_ += XmlEscape(text);
  return Close(tag);
}

XmlOut& XmlOut::Int(std::string_view tag, int64_t value) {
  return Text(tag, std::to_string(value));
}

XmlOut& XmlOut::Bool(std::string_view tag, bool value) {
  return Text(tag, value ? "true" : "false");
}

XmlOut& XmlOut::Time(std::string_view tag, std::chrono::system_clock::time_point t) {
  return Text(tag, Iso8601Millis(t));
}

XmlOut& XmlOut::OptText(std::string_view tag, std::string_view text) {
  if (!text.empty()) Text(tag, text);
  return *this;
}

namespace {

LocalResponse XmlResponse(std::string body, const std::string& request_id) {
  LocalResponse r;
  r.status = 200;
  r.headers.Set("Content-Type", "text/xml");
  r.headers.Set("x-amzn-RequestId", request_id);
  r.body = std::move(body);
  return r;
}

int HttpStatusOf(const Status& status) {
  return status.code() == StatusCode::kInternal ? 500 : 400;
}

}  // namespace

LocalResponse AutoScalingXmlResponse(std::string_view action, const std::string* result) {
  const std::string id = NewRequestId();
  std::string body = "<" + std::string(action) + "Response xmlns=\"" + kAutoScalingXmlns + "\">";
  if (result != nullptr) {
    body +=
        "<" + std::string(action) + "Result>" + *result + "</" + std::string(action) + "Result>";
  }
  body += "<ResponseMetadata><RequestId>" + id + "</RequestId></ResponseMetadata></" +
          std::string(action) + "Response>";
  return XmlResponse(std::move(body), id);
}

LocalResponse Ec2XmlResponse(std::string_view action, const std::string& body) {
  const std::string id = NewRequestId();
  return XmlResponse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + std::string(action) +
                         "Response xmlns=\"" + kEc2Xmlns + "\"><requestId>" + id + "</requestId>" +
                         body + "</" + std::string(action) + "Response>",
                     id);
}

LocalResponse AutoScalingError(const Status& status) {
  return QueryErrorResponse(
      HttpStatusOf(status),
      status.service_code().empty() ? "ValidationError" : status.service_code(), status.message());
}

LocalResponse Ec2Error(const Status& status) {
  return Ec2ErrorResponse(
      HttpStatusOf(status),
      status.service_code().empty() ? "InvalidParameterValue" : status.service_code(),
      status.message());
}

}  // namespace lifeboat
