// A fixture for the Query services' tests: the EC2 and Auto Scaling services over one
// engine on a manual clock, a Call() that sends form-encoded parameters as the SDKs do,
// and XML helpers.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_SERVICE_TEST_FIXTURE_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_SERVICE_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/http_types.h"
#include "http/percent_encoding.h"
#include "local/autoscaling/autoscaling_service.h"
#include "local/autoscaling/ec2_service.h"
#include "local/autoscaling/recording_side_effects.h"

namespace lifeboat {

using Params = std::vector<std::pair<std::string, std::string>>;

class QueryServiceTest : public ::testing::Test {
 protected:
  static LocalResponse Call(LocalService& service, const Params& params) {
    LocalRequest r;
    r.method = "POST";
    r.path = "/";
    r.headers.Set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    for (const auto& [k, v] : params) {
      if (!r.body.empty()) r.body += '&';
      r.body += UriEncode(k) + "=" + UriEncode(v);
    }
    return service.Handle(r);
  }
  LocalResponse Ec2(const Params& params) { return Call(ec2_, params); }
  LocalResponse Asg(const Params& params) { return Call(asg_, params); }

  // The text of the first element matching `xpath` ("//launchTemplateId").
  static std::string XmlText(const std::string& body, const std::string& xpath) {
    pugi::xml_document doc;
    if (!doc.load_string(body.c_str())) return "<unparsable>";
    auto node = doc.select_node(xpath.c_str());
    return node ? node.node().text().as_string() : "<absent>";
  }
  static size_t XmlCount(const std::string& body, const std::string& xpath) {
    pugi::xml_document doc;
    if (!doc.load_string(body.c_str())) return 0;
    return doc.select_nodes(xpath.c_str()).size();
  }

  // A launch template "web" and a group "g" of `desired` instances.
  void MakeTemplateAndGroup(int desired) {
    ASSERT_EQ(Ec2({{"Action", "CreateLaunchTemplate"},
                   {"Version", "2016-11-15"},
                   {"LaunchTemplateName", "web"},
                   {"LaunchTemplateData.ImageId", "ami-1"},
                   {"LaunchTemplateData.UserData", "IyEvYmluL3NoCg=="}})
                  .status,
              200);
    LocalResponse r = Asg({{"Action", "CreateAutoScalingGroup"},
                           {"Version", "2011-01-01"},
                           {"AutoScalingGroupName", "g"},
                           {"LaunchTemplate.LaunchTemplateName", "web"},
                           {"MinSize", "0"},
                           {"MaxSize", "5"},
                           {"DesiredCapacity", std::to_string(desired)}});
    ASSERT_EQ(r.status, 200) << r.body;
  }

  ManualClock clock_;
  LaunchTemplateStore templates_;
  RecordingInstanceHost host_;
  RecordingNotificationSink sqs_;
  RecordingEventSink events_;
  AutoScalingEngine engine_{AutoScalingOptions{}, &clock_, &templates_, &host_, &sqs_, &events_};
  Ec2Service ec2_{&templates_, &engine_, &clock_};
  AutoScalingService asg_{&engine_, &templates_};
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_SERVICE_TEST_FIXTURE_H_
