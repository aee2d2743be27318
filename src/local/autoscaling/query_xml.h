// Building the XML bodies of Query-protocol responses: Auto Scaling's
// <XResponse xmlns=...><XResult>...</XResult><ResponseMetadata><RequestId/>...</XResponse>
// and EC2's <XResponse xmlns=...><requestId/>...</XResponse>.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_QUERY_XML_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_QUERY_XML_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "local/local_service.h"

namespace lifeboat {

inline constexpr char kAutoScalingXmlns[] = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
inline constexpr char kEc2Xmlns[] = "http://ec2.amazonaws.com/doc/2016-11-15/";

// Appends elements to a string; text is escaped.
class XmlOut {
 public:
  XmlOut& Open(std::string_view tag);
  XmlOut& Close(std::string_view tag);
  XmlOut& Text(std::string_view tag, std::string_view text);
  XmlOut& Int(std::string_view tag, int64_t value);
  XmlOut& Bool(std::string_view tag, bool value);
  XmlOut& Time(std::string_view tag, std::chrono::system_clock::time_point t);
  // Only when `text` is not empty.
  XmlOut& OptText(std::string_view tag, std::string_view text);
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

// `result` is the inner XML of <ActionResult>; nullptr: the action has no result element.
LocalResponse AutoScalingXmlResponse(std::string_view action, const std::string* result);
LocalResponse Ec2XmlResponse(std::string_view action, const std::string& body);

// An error Status as a Query error response: its service_code (ValidationError when
// empty) and message, HTTP 400 (500 for kInternal).
LocalResponse AutoScalingError(const Status& status);
LocalResponse Ec2Error(const Status& status);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_QUERY_XML_H_
