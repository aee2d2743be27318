#include "local/ssm/ssm_parameters.h"

#include <gtest/gtest.h>

#include "local/ssm/ssm_plan.h"

namespace lifeboat {
namespace {

using nlohmann::json;

SsmDocument Doc(std::string_view parameters, std::string_view run_command = R"(["true"])") {
  std::string content = R"({"schemaVersion": "2.2", "parameters": )" + std::string(parameters) +
                        R"(, "mainSteps": [{"action": "aws:runShellScript", "name": "run",
                           "inputs": {"runCommand": )" +
                        std::string(run_command) + "}}]}";
  auto doc = ParseCommandDocument(content, "JSON");
  EXPECT_TRUE(doc.ok()) << doc.status().message();
  return doc.ok() ? *doc : SsmDocument{};
}

std::string ErrorOf(const Result<json>& r) { return r.ok() ? "ok" : r.status().service_code(); }

TEST(SsmParametersTest, DefaultsFillWhatIsNotGiven) {
  SsmDocument doc = Doc(R"({"a": {"type": "String", "default": "x"},
                            "b": {"type": "StringList", "default": ["p", "q"]},
                            "c": {"type": "String", "default": ""}})");
  auto values = ResolveSsmParameters(doc, {{"a", {"given"}}});
  ASSERT_TRUE(values.ok()) << values.status().message();
  EXPECT_EQ(*values, json({{"a", "given"}, {"b", {"p", "q"}}, {"c", ""}}));
}

TEST(SsmParametersTest, InvalidParameters) {
  SsmDocument doc = Doc(R"({"name": {"type": "String"},
                            "size": {"type": "String", "default": "S", "allowedValues": ["S", "M"]},
                            "timeout": {"type": "String", "default": "60",
                                        "allowedPattern": "[1-9][0-9]*"},
                            "list": {"type": "StringList", "default": ["a"], "maxItems": 2},
                            "n": {"type": "Integer", "default": 1}})");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {})), "InvalidParameters");  // name required
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}})), "ok");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x", "y"}}})), "InvalidParameters");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}, {"other", {"y"}}})),
            "InvalidParameters");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}, {"size", {"XL"}}})),
            "InvalidParameters");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}, {"timeout", {"soon"}}})),
            "InvalidParameters");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}, {"list", {"1", "2", "3"}}})),
            "InvalidParameters");
  EXPECT_EQ(ErrorOf(ResolveSsmParameters(doc, {{"name", {"x"}}, {"n", {"ten"}}})),
            "InvalidParameters");
  auto ok = ResolveSsmParameters(doc, {{"name", {"x"}}, {"n", {"10"}}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ((*ok)["n"], 10);
}

TEST(SsmParametersTest, InterpolationWithAndWithoutSpaces) {
  const json values = {{"who", "world"}, {"cmds", {"echo 1", "echo 2"}}, {"n", 5}};
  EXPECT_EQ(InterpolateSsmParameters("hi {{who}} and {{ who }} and {{   who}}", values),
            "hi world and world and world");
  // A string that is exactly a reference becomes the value, lists included.
  EXPECT_EQ(InterpolateSsmParameters("{{ cmds }}", values), json({"echo 1", "echo 2"}));
  EXPECT_EQ(InterpolateSsmParameters(json({"a", "{{cmds}}"}), values),
            json({"a", {"echo 1", "echo 2"}}));
  // Inside a longer string a list is its JSON, a number its digits.
  EXPECT_EQ(InterpolateSsmParameters("x={{ cmds }} n={{n}}", values),
            R"(x=["echo 1","echo 2"] n=5)");
  // Unknown references and Parameter Store references stay as written.
  EXPECT_EQ(InterpolateSsmParameters("{{ other }} {{ssm:/a/b}}", values),
            "{{ other }} {{ssm:/a/b}}");
  // A value holding "$&" or "\1" is inserted literally.
  EXPECT_EQ(InterpolateSsmParameters("v={{who}}", json({{"who", "$& \\1 $1"}})), "v=$& \\1 $1");
}

TEST(SsmPlanTest, StringListExpandsIntoRunCommandLines) {
  SsmDocument doc = Doc(R"({"commands": {"type": "StringList"}})", R"("{{ commands }}")");
  auto values = ResolveSsmParameters(doc, {{"commands", {"x=(a b c)", "echo ${#x[@]}"}}});
  ASSERT_TRUE(values.ok());
  auto plans = PlanSsmCommand(doc, *values);
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].error, "");
  EXPECT_EQ(plans[0].runs[0].script, "x=(a b c)\necho ${#x[@]}\n");
}

TEST(SsmPlanTest, ExecutionTimeoutAsTheAgentReadsIt) {
  EXPECT_EQ(SsmExecutionTimeout(json(60)), std::chrono::seconds(60));
  EXPECT_EQ(SsmExecutionTimeout(json("120")), std::chrono::seconds(120));
  EXPECT_EQ(SsmExecutionTimeout(json("5")), std::chrono::seconds(5));
  EXPECT_EQ(SsmExecutionTimeout(json("4")), std::chrono::seconds(3600));     // below 5
  EXPECT_EQ(SsmExecutionTimeout(json(172801)), std::chrono::seconds(3600));  // above 48 h
  EXPECT_EQ(SsmExecutionTimeout(json("soon")), std::chrono::seconds(3600));
  EXPECT_EQ(SsmExecutionTimeout(json()), std::chrono::seconds(3600));
}

TEST(SsmPlanTest, UnreadableInputsAndOtherPluginsFailTheirStep) {
  auto doc = ParseCommandDocument(R"({"schemaVersion": "2.2", "mainSteps": [
      {"action": "aws:runShellScript", "name": "bad", "inputs": {"runCommand": [1, 2]}},
      {"action": "aws:runPowerShellScript", "name": "ps", "inputs": {"runCommand": ["dir"]}},
      {"action": "aws:runShellScript", "name": "ok", "inputs": {"RunCommand": "true"}}]})",
                                  "JSON");
  ASSERT_TRUE(doc.ok());
  auto plans = PlanSsmCommand(*doc, json::object());
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_NE(plans[0].error, "");
  EXPECT_NE(plans[1].error.find("aws:runPowerShellScript"), std::string::npos);
  EXPECT_EQ(plans[2].error, "");  // input names match case-insensitively
  EXPECT_EQ(plans[2].runs[0].script, "true\n");
}

}  // namespace
}  // namespace lifeboat
