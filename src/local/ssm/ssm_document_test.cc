#include "local/ssm/ssm_document.h"

#include <gtest/gtest.h>

#include "local/ssm/ssm_parameters.h"
#include "local/ssm/ssm_plan.h"

namespace lifeboat {
namespace {

using nlohmann::json;

// The seed's document as its blog post prints it, without the '#' comment lines.
constexpr std::string_view kSeedDocument = R"DOC({
  "schemaVersion": "2.2",
  "description": "log upload",
  "parameters": {},
  "mainSteps": [
    {
      "action": "aws:runShellScript",
      "name": "configureServer",
      "inputs": {
        "runCommand": [
          "instanceid=(`ec2-metadata -i | cut -d ' ' -f 2`)",
          "aws s3 cp /var/log/php-fpm/error.log s3://my-logs/$instanceid/"
        ]
      }
    }
  ]
})DOC";

constexpr std::string_view kYamlDocument = R"(---
schemaVersion: 2.2
description: Greets from YAML
parameters:
  who:
    type: String
    default: world
  lines:
    type: StringList
    default:
      - one
      - two
mainSteps:
  - action: aws:runShellScript
    name: greet
    inputs:
      timeoutSeconds: 60
      workingDirectory: /tmp
      runCommand:
        - echo hello {{who}}
        - echo {{ lines }}
  - action: aws:runShellScript
    name: block
    inputs:
      runCommand: |
        echo first
        echo second
)";

std::string StatusCodeOf(const Status& s) { return s.service_code(); }

TEST(SsmDocumentTest, SeedDocumentIsOneStepRunAsOneScript) {
  auto doc = ParseCommandDocument(kSeedDocument, "JSON");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->schema_version, "2.2");
  EXPECT_EQ(doc->description, "log upload");
  EXPECT_TRUE(doc->parameters.empty());
  ASSERT_EQ(doc->steps.size(), 1u);
  EXPECT_EQ(doc->steps[0].name, "configureServer");
  EXPECT_EQ(doc->steps[0].action, "aws:runShellScript");

  auto params = ResolveSsmParameters(*doc, {});
  ASSERT_TRUE(params.ok());
  auto plans = PlanSsmCommand(*doc, *params);
  ASSERT_EQ(plans.size(), 1u);
  ASSERT_EQ(plans[0].runs.size(), 1u);
  // Both lines in one script: the array assigned on the first is read on the second.
  EXPECT_EQ(plans[0].runs[0].script,
            "instanceid=(`ec2-metadata -i | cut -d ' ' -f 2`)\n"
            "aws s3 cp /var/log/php-fpm/error.log s3://my-logs/$instanceid/\n");
  EXPECT_EQ(plans[0].runs[0].timeout, std::chrono::seconds(3600));
  EXPECT_EQ(plans[0].runs[0].working_directory, "");
}

TEST(SsmDocumentTest, YamlDocumentWithParametersAndBlockScalar) {
  auto doc = ParseCommandDocument(kYamlDocument, "YAML");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  EXPECT_EQ(doc->schema_version, "2.2");  // an unquoted YAML number, read as text
  ASSERT_EQ(doc->parameters.size(), 2u);
  ASSERT_EQ(doc->steps.size(), 2u);

  auto params = ResolveSsmParameters(*doc, {{"who", {"lifeboat"}}});
  ASSERT_TRUE(params.ok()) << params.status().message();
  auto plans = PlanSsmCommand(*doc, *params);
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].runs[0].script, "echo hello lifeboat\necho [\"one\",\"two\"]\n");
  EXPECT_EQ(plans[0].runs[0].timeout, std::chrono::seconds(60));
  EXPECT_EQ(plans[0].runs[0].working_directory, "/tmp");
  EXPECT_EQ(plans[1].runs[0].script, "echo first\necho second\n\n");
}

TEST(SsmDocumentTest, SchemaOnePointTwoRuntimeConfig) {
  auto doc = ParseCommandDocument(R"({
    "schemaVersion": "1.2",
    "parameters": {"commands": {"type": "StringList"}},
    "runtimeConfig": {"aws:runShellScript": {"properties": [
      {"id": "0.aws:runShellScript", "runCommand": "{{ commands }}"}]}}})",
                                  "JSON");
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  ASSERT_EQ(doc->steps.size(), 1u);
  EXPECT_EQ(doc->steps[0].name, "aws:runShellScript");
  auto params = ResolveSsmParameters(*doc, {{"commands", {"a=1", "echo $a"}}});
  ASSERT_TRUE(params.ok());
  auto plans = PlanSsmCommand(*doc, *params);
  EXPECT_EQ(plans[0].runs[0].script, "a=1\necho $a\n");  // the list expanded, not quoted
}

TEST(SsmDocumentTest, ContentErrorsAreAwsErrors) {
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument("{not json", "JSON").status()),
            "InvalidDocumentContent");
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument("[1, 2]", "JSON").status()),
            "InvalidDocumentContent");
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument("a: [b", "YAML").status()), "InvalidDocumentContent");
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument(R"({"mainSteps": []})", "JSON").status()),
            "InvalidDocumentContent");  // no schemaVersion
  EXPECT_EQ(
      StatusCodeOf(
          ParseCommandDocument(R"({"schemaVersion": "3.0", "mainSteps": []})", "JSON").status()),
      "InvalidDocumentSchemaVersion");
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument(R"({"schemaVersion": "2.2"})", "JSON").status()),
            "InvalidDocumentContent");  // no steps
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument(R"({"schemaVersion": "2.2", "mainSteps": [
                {"action": "aws:runShellScript", "inputs": {"runCommand": ["true"]}}]})",
                                              "JSON")
                             .status()),
            "InvalidDocumentContent");  // a step without a name
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument(R"({"schemaVersion": "2.2", "mainSteps": [
                {"action": "aws:runShellScript", "name": "a", "inputs": {"runCommand": ["true"]}},
                {"action": "aws:runShellScript", "name": "a", "inputs": {"runCommand": ["true"]}}
                ]})",
                                              "JSON")
                             .status()),
            "InvalidDocumentContent");  // two steps of one name
  EXPECT_EQ(StatusCodeOf(ParseCommandDocument(R"({"schemaVersion": "2.2",
                "parameters": {"p": {"type": "Number"}}, "mainSteps": [
                {"action": "aws:runShellScript", "name": "a", "inputs": {"runCommand": ["true"]}}
                ]})",
                                              "JSON")
                             .status()),
            "InvalidDocumentContent");  // an unknown parameter type
}

TEST(SsmDocumentTest, UndeclaredParameterIsRejectedAtCreation) {
  auto doc = ParseCommandDocument(R"({"schemaVersion": "2.2", "mainSteps": [
      {"action": "aws:runShellScript", "name": "a",
       "inputs": {"runCommand": ["echo {{ missing }}", "echo {{ssm:/from/parameter/store}}"]}}]})",
                                  "JSON");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().service_code(), "InvalidDocumentContent");
  EXPECT_NE(doc.status().message().find("missing"), std::string::npos);
}

TEST(SsmDocumentTest, RendersTheOtherFormat) {
  auto doc = ParseCommandDocument(kSeedDocument, "JSON");
  ASSERT_TRUE(doc.ok());
  const std::string yaml = RenderDocumentContent(doc->tree, "YAML");
  auto again = ParseCommandDocument(yaml, "YAML");
  ASSERT_TRUE(again.ok()) << yaml;
  EXPECT_EQ(again->tree, doc->tree);
  auto from_json = ParseDocumentContent(RenderDocumentContent(doc->tree, "JSON"), "JSON");
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(*from_json, doc->tree);
}

}  // namespace
}  // namespace lifeboat
