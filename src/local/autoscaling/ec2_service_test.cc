// The EC2 Query service's XML and errors.
#include "local/autoscaling/ec2_service.h"

#include <gtest/gtest.h>

#include "local/autoscaling/service_test_fixture.h"

namespace lifeboat {
namespace {

using Ec2ServiceTest = QueryServiceTest;

TEST_F(Ec2ServiceTest, CreateLaunchTemplateAnswersInEc2Xml) {
  LocalResponse r = Ec2({{"Action", "CreateLaunchTemplate"},
                         {"Version", "2016-11-15"},
                         {"LaunchTemplateName", "web"},
                         {"VersionDescription", "first"},
                         {"LaunchTemplateData.ImageId", "ami-0abc"},
                         {"LaunchTemplateData.InstanceType", "t3.small"},
                         {"LaunchTemplateData.UserData", "IyEvYmluL3NoCmVjaG8gaGk="},
                         {"LaunchTemplateData.IamInstanceProfile.Name", "log-shipper"},
                         {"LaunchTemplateData.MetadataOptions.HttpTokens", "required"},
                         {"LaunchTemplateData.TagSpecification.1.ResourceType", "instance"},
                         {"LaunchTemplateData.TagSpecification.1.Tag.1.Key", "app"},
                         {"LaunchTemplateData.TagSpecification.1.Tag.1.Value", "php"},
                         {"TagSpecification.1.ResourceType", "launch-template"},
                         {"TagSpecification.1.Tag.1.Key", "owner"},
                         {"TagSpecification.1.Tag.1.Value", "ops"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(
      r.body.find(
          "<CreateLaunchTemplateResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"),
      std::string::npos);
  const std::string id = XmlText(r.body, "//launchTemplate/launchTemplateId");
  EXPECT_EQ(id.rfind("lt-", 0), 0u);
  EXPECT_EQ(id.size(), 20u);
  EXPECT_EQ(XmlText(r.body, "//launchTemplate/launchTemplateName"), "web");
  EXPECT_EQ(XmlText(r.body, "//launchTemplate/defaultVersionNumber"), "1");
  EXPECT_EQ(XmlText(r.body, "//launchTemplate/latestVersionNumber"), "1");
  EXPECT_EQ(XmlText(r.body, "//launchTemplate/tagSet/item/key"), "owner");
  EXPECT_EQ(XmlText(r.body, "//requestId").size(), 36u);

  LocalResponse v = Ec2({{"Action", "DescribeLaunchTemplateVersions"},
                         {"LaunchTemplateId", id},
                         {"LaunchTemplateVersion.1", "$Latest"}});
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(XmlText(v.body, "//launchTemplateVersionSet/item/versionNumber"), "1");
  EXPECT_EQ(XmlText(v.body, "//launchTemplateVersionSet/item/defaultVersion"), "true");
  EXPECT_EQ(XmlText(v.body, "//launchTemplateData/userData"), "IyEvYmluL3NoCmVjaG8gaGk=");
  EXPECT_EQ(XmlText(v.body, "//launchTemplateData/iamInstanceProfile/name"), "log-shipper");
  EXPECT_EQ(XmlText(v.body, "//launchTemplateData/metadataOptions/httpTokens"), "required");
  EXPECT_EQ(XmlText(v.body, "//tagSpecificationSet/item/tagSet/item/value"), "php");
}

TEST_F(Ec2ServiceTest, LaunchTemplateErrorsUseEc2Codes) {
  const Params create = {{"Action", "CreateLaunchTemplate"},
                         {"LaunchTemplateName", "web"},
                         {"LaunchTemplateData.ImageId", "ami-1"}};
  ASSERT_EQ(Ec2(create).status, 200);
  LocalResponse dup = Ec2(create);
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(XmlText(dup.body, "/Response/Errors/Error/Code"),
            "InvalidLaunchTemplateName.AlreadyExistsException");
  EXPECT_EQ(XmlText(dup.body, "/Response/Errors/Error/Message"),
            "Launch template name already in use.");

  LocalResponse bad_data = Ec2({{"Action", "CreateLaunchTemplate"},
                                {"LaunchTemplateName", "other"},
                                {"LaunchTemplateData.UserData", "not base64!"}});
  EXPECT_EQ(XmlText(bad_data.body, "//Code"), "InvalidUserData.Malformed");

  LocalResponse no_name =
      Ec2({{"Action", "CreateLaunchTemplate"}, {"LaunchTemplateData.ImageId", "a"}});
  EXPECT_EQ(XmlText(no_name.body, "//Code"), "MissingParameter");

  LocalResponse missing =
      Ec2({{"Action", "DescribeLaunchTemplates"}, {"LaunchTemplateName.1", "nope"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(XmlText(missing.body, "//Code"), "InvalidLaunchTemplateName.NotFoundException");

  LocalResponse all = Ec2({{"Action", "DescribeLaunchTemplates"}});
  EXPECT_EQ(XmlCount(all.body, "//launchTemplates/item"), 1u);
  LocalResponse by_name =
      Ec2({{"Action", "DescribeLaunchTemplates"}, {"LaunchTemplateName.1", "web"}});
  EXPECT_EQ(XmlText(by_name.body, "//launchTemplates/item/launchTemplateName"), "web");

  LocalResponse unknown = Ec2({{"Action", "RunInstances"}});
  EXPECT_EQ(XmlText(unknown.body, "//Code"), "InvalidAction");
}

TEST_F(Ec2ServiceTest, DescribeInstancesShowsTheGroupsInstancesWithStateAndTags) {
  MakeTemplateAndGroup(2);
  auto ids = engine_.DescribeGroups({"g"})[0].instances;
  ASSERT_EQ(ids.size(), 2u);
  LocalResponse r = Ec2({{"Action", "DescribeInstances"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(XmlCount(r.body, "//reservationSet/item"), 2u);
  EXPECT_EQ(XmlText(r.body, "//reservationSet/item/instancesSet/item/instanceState/name"),
            "running");
  EXPECT_EQ(XmlText(r.body, "//reservationSet/item/instancesSet/item/imageId"), "ami-1");
  EXPECT_EQ(
      XmlText(r.body, "//instancesSet/item/tagSet/item[key='aws:autoscaling:groupName']/value"),
      "g");

  ASSERT_TRUE(engine_.TerminateInstance(ids[0].id, true).ok());
  LocalResponse one = Ec2({{"Action", "DescribeInstances"}, {"InstanceId.1", ids[0].id}});
  EXPECT_EQ(XmlText(one.body, "//instanceState/name"), "terminated");
  EXPECT_EQ(XmlText(one.body, "//instanceState/code"), "48");

  LocalResponse running = Ec2({{"Action", "DescribeInstances"},
                               {"Filter.1.Name", "instance-state-name"},
                               {"Filter.1.Value.1", "running"},
                               {"Filter.2.Name", "tag:aws:autoscaling:groupName"},
                               {"Filter.2.Value.1", "g"}});
  EXPECT_EQ(XmlCount(running.body, "//instancesSet/item"), 1u);
  EXPECT_EQ(XmlText(running.body, "//instancesSet/item/instanceId"), ids[1].id);

  LocalResponse missing =
      Ec2({{"Action", "DescribeInstances"}, {"InstanceId.1", "i-0123456789abcdef0"}});
  EXPECT_EQ(XmlText(missing.body, "//Code"), "InvalidInstanceID.NotFound");
  EXPECT_EQ(XmlText(missing.body, "//Message"),
            "The instance ID 'i-0123456789abcdef0' does not exist");
  LocalResponse malformed = Ec2({{"Action", "DescribeInstances"}, {"InstanceId.1", "web-1"}});
  EXPECT_EQ(XmlText(malformed.body, "//Code"), "InvalidInstanceID.Malformed");
  LocalResponse bad_filter = Ec2({{"Action", "DescribeInstances"}, {"Filter.1.Name", "color"}});
  EXPECT_EQ(XmlText(bad_filter.body, "//Code"), "InvalidParameterValue");
}

}  // namespace
}  // namespace lifeboat
