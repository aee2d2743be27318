#include "local/autoscaling/query_params.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

TEST(QueryParamsTest, BodyJoinsTheQueryString) {
  LocalRequest r;
  r.method = "POST";
  r.params = {{"Action", "SetDesiredCapacity"}, {"DesiredCapacity", "1"}};
  r.headers.Set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = "DesiredCapacity=2&AutoScalingGroupName=my%2Dasg";
  auto p = QueryParams::FromRequest(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->GetOr("Action"), "SetDesiredCapacity");
  EXPECT_EQ(p->GetOr("AutoScalingGroupName"), "my-asg");
  EXPECT_EQ(*p->Int("DesiredCapacity").value(), 2);  // the body wins
}

TEST(QueryParamsTest, ABodyThatDoesNotDecodeIsAnInvalidQueryParameter) {
  LocalRequest r;
  r.method = "POST";
  r.body = "Action=PutLifecycleHook&NotificationMetadata=100%&LifecycleHookName=h";
  auto p = QueryParams::FromRequest(r);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().service_code(), "InvalidQueryParameter");
  EXPECT_NE(p.status().message().find("'NotificationMetadata'"), std::string::npos)
      << p.status().message();
}

TEST(QueryParamsTest, ListsInIndexOrderForBothProtocols) {
  QueryParams p({{"AutoScalingGroupNames.member.10", "j"},
                 {"AutoScalingGroupNames.member.2", "b"},
                 {"AutoScalingGroupNames.member.1", "a"},
                 {"InstanceId.1", "i-1"},
                 {"Filter.1.Name", "tag:x"},
                 {"Filter.1.Value.1", "y"},
                 {"Filter.3.Name", "instance-state-name"}});
  EXPECT_EQ(p.List("AutoScalingGroupNames.member"), (std::vector<std::string>{"a", "b", "j"}));
  EXPECT_EQ(p.List("InstanceId"), std::vector<std::string>{"i-1"});
  EXPECT_EQ(p.Indices("Filter"), (std::vector<int>{1, 3}));
  EXPECT_EQ(p.List("Filter.1.Value"), std::vector<std::string>{"y"});
  EXPECT_TRUE(p.List("Nothing").empty());
}

TEST(QueryParamsTest, TypedValuesNameTheBadParameter) {
  QueryParams p({{"MinSize", "x1"}, {"ForceDelete", "yes"}, {"MaxSize", "3"}});
  EXPECT_EQ(*p.Int("MaxSize").value(), 3);
  EXPECT_FALSE(p.Int("Absent").value().has_value());
  auto bad = p.Int("MinSize");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("MinSize"), std::string::npos);
  EXPECT_FALSE(p.Bool("ForceDelete").ok());
}

}  // namespace
}  // namespace lifeboat
