// LocalSsm over a fake CommandHost: documents, SendCommand's checks, statuses as runs
// end, output truncation, listing and cancelling.
#include "local/ssm/local_ssm.h"

#include <gtest/gtest.h>

#include <thread>

#include "local/ssm/fake_command_host.h"

namespace lifeboat {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr const char* kInstance = "i-0123456789abcdef0";
constexpr const char* kOther = "i-0fedcba9876543210";

class LocalSsmTest : public ::testing::Test {
 protected:
  LocalSsmTest() : ssm_(LocalSsmOptions{Env::Default(), "us-east-1", "000000000000", &host_}) {
    host_.AddInstance(kInstance, {{"aws:autoscaling:groupName", "web"}, {"Name", "a"}});
    host_.AddInstance(kOther, {{"aws:autoscaling:groupName", "batch"}});
  }

  json Ok(std::string_view action, const json& input) {
    auto r = ssm_.Call(action, input);
    EXPECT_TRUE(r.ok()) << action << ": " << r.status().service_code() << " "
                        << r.status().message();
    return r.ok() ? *r : json();
  }
  std::string Error(std::string_view action, const json& input) {
    auto r = ssm_.Call(action, input);
    return r.ok() ? "no error" : r.status().service_code();
  }
  std::string Send(const json& input) {
    return Ok("SendCommand", input)["Command"].value("CommandId", "");
  }
  // Polls GetCommandInvocation until its status is terminal.
  json Finished(const std::string& command_id, const std::string& instance_id,
                const std::string& plugin = "") {
    json input = {{"CommandId", command_id}, {"InstanceId", instance_id}};
    if (!plugin.empty()) input["PluginName"] = plugin;
    for (int i = 0; i < 500; ++i) {
      json r = Ok("GetCommandInvocation", input);
      const std::string status = r.value("Status", "");
      if (status != "Pending" && status != "InProgress") return r;
      std::this_thread::sleep_for(milliseconds(10));
    }
    ADD_FAILURE() << "invocation did not finish";
    return json();
  }
  json RunShell(std::vector<std::string> commands, json more = json::object()) {
    json params = {{"commands", commands}};
    for (const auto& [k, v] : more.items()) params[k] = v;
    const std::string id = Send({{"DocumentName", "AWS-RunShellScript"},
                                 {"InstanceIds", {kInstance}},
                                 {"Parameters", params}});
    return Finished(id, kInstance);
  }

  FakeCommandHost host_;
  LocalSsm ssm_;
};

TEST_F(LocalSsmTest, DocumentLifecycle) {
  const std::string content = R"({"schemaVersion": "2.2", "description": "d",
    "parameters": {"who": {"type": "String", "default": "x", "description": "whom"}},
    "mainSteps": [{"action": "aws:runShellScript", "name": "s",
                   "inputs": {"runCommand": ["echo {{ who }}"]}}]})";
  json created =
      Ok("CreateDocument", {{"Name", "greet"}, {"Content", content}, {"DocumentType", "Command"}});
  EXPECT_EQ(created["DocumentDescription"]["Name"], "greet");
  EXPECT_EQ(created["DocumentDescription"]["Status"], "Creating");
  EXPECT_EQ(created["DocumentDescription"]["SchemaVersion"], "2.2");
  EXPECT_EQ(created["DocumentDescription"]["HashType"], "Sha256");
  EXPECT_EQ(created["DocumentDescription"]["PlatformTypes"], json({"Linux", "MacOS"}));
  EXPECT_EQ(created["DocumentDescription"]["Parameters"],
            json::parse(R"([{"Name": "who", "Type": "String", "Description": "whom",
                             "DefaultValue": "x"}])"));
  EXPECT_EQ(Error("CreateDocument", {{"Name", "greet"}, {"Content", content}}),
            "DocumentAlreadyExists");
  EXPECT_EQ(Error("CreateDocument", {{"Name", "bad"}, {"Content", "{"}}), "InvalidDocumentContent");
  EXPECT_EQ(Error("CreateDocument", {{"Name", "AWS-Mine"}, {"Content", content}}),
            "ValidationException");

  json described = Ok("DescribeDocument", {{"Name", "greet"}});
  EXPECT_EQ(described["Document"]["Status"], "Active");
  EXPECT_EQ(described["Document"]["Owner"], "000000000000");
  json got = Ok("GetDocument", {{"Name", "greet"}});
  EXPECT_EQ(got["Content"], content);
  EXPECT_EQ(got["DocumentFormat"], "JSON");
  json as_yaml = Ok("GetDocument", {{"Name", "greet"}, {"DocumentFormat", "YAML"}});
  EXPECT_NE(as_yaml["Content"].get<std::string>().find("schemaVersion:"), std::string::npos);

  json mine = Ok("ListDocuments", {{"Filters", {{{"Key", "Owner"}, {"Values", {"Self"}}}}}});
  ASSERT_EQ(mine["DocumentIdentifiers"].size(), 1u);
  EXPECT_EQ(mine["DocumentIdentifiers"][0]["Name"], "greet");
  json all = Ok("ListDocuments", json::object());
  EXPECT_EQ(all["DocumentIdentifiers"].size(), 2u);  // with AWS-RunShellScript
  json paged = Ok("ListDocuments", {{"MaxResults", 1}});
  EXPECT_EQ(paged["DocumentIdentifiers"].size(), 1u);
  EXPECT_TRUE(paged.contains("NextToken"));

  EXPECT_EQ(Error("DeleteDocument", {{"Name", "AWS-RunShellScript"}}), "InvalidDocumentOperation");
  Ok("DeleteDocument", {{"Name", "greet"}});
  EXPECT_EQ(Error("DescribeDocument", {{"Name", "greet"}}), "InvalidDocument");
  EXPECT_EQ(Error("DeleteDocument", {{"Name", "greet"}}), "InvalidDocument");
}

TEST_F(LocalSsmTest, SendCommandChecksBeforeRunning) {
  const json base = {{"DocumentName", "AWS-RunShellScript"},
                     {"Parameters", {{"commands", {"true"}}}}};
  json unknown = base;
  unknown["InstanceIds"] = {"i-00000000000000000"};
  auto r = ssm_.Call("SendCommand", unknown);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().service_code(), "InvalidInstanceId");
  EXPECT_EQ(r.status().message(),
            "Instances [[i-00000000000000000]] not in a valid state for account 000000000000");
  json twice = base;
  twice["InstanceIds"] = {kInstance, kInstance};
  EXPECT_EQ(Error("SendCommand", twice), "DuplicateInstanceId");
  EXPECT_EQ(Error("SendCommand", base), "ValidationException");  // no targets at all
  json no_doc = base;
  no_doc["InstanceIds"] = {kInstance};
  no_doc["DocumentName"] = "nope";
  EXPECT_EQ(Error("SendCommand", no_doc), "InvalidDocument");
  json no_commands = {{"DocumentName", "AWS-RunShellScript"}, {"InstanceIds", {kInstance}}};
  EXPECT_EQ(Error("SendCommand", no_commands), "InvalidParameters");
  json bad_timeout = base;
  bad_timeout["InstanceIds"] = {kInstance};
  bad_timeout["Parameters"]["executionTimeout"] = {"soon"};
  EXPECT_EQ(Error("SendCommand", bad_timeout), "InvalidParameters");
  EXPECT_TRUE(host_.runs().empty());
}

TEST_F(LocalSsmTest, SuccessfulRunReportsOutputAndTimes) {
  json r = RunShell({"echo one", "echo two"},
                    {{"executionTimeout", {"42"}}, {"workingDirectory", {"/srv"}}});
  EXPECT_EQ(r["Status"], "Success");
  EXPECT_EQ(r["StatusDetails"], "Success");
  EXPECT_EQ(r["ResponseCode"], 0);
  EXPECT_EQ(r["PluginName"], "aws:runShellScript");
  EXPECT_EQ(r["DocumentVersion"], "$DEFAULT");
  EXPECT_EQ(r["StandardOutputContent"], "echo one\necho two\n");  // the fake prints the script
  EXPECT_EQ(r["StandardErrorContent"], "");
  EXPECT_EQ(r["ExecutionStartDateTime"].get<std::string>().size(), 24u);  // ...T..:..:...sssZ
  EXPECT_TRUE(r["ExecutionElapsedTime"].get<std::string>().starts_with("PT"));
  ASSERT_EQ(host_.runs().size(), 1u);
  const HostCommand run = host_.runs()[0];
  EXPECT_EQ(run.timeout, std::chrono::seconds(42));
  EXPECT_EQ(run.working_directory, "/srv");
  EXPECT_EQ(run.run_name, r["CommandId"].get<std::string>() + "/awsrunShellScript");

  json listed = Ok("ListCommands", {{"CommandId", r["CommandId"]}});
  ASSERT_EQ(listed["Commands"].size(), 1u);
  EXPECT_EQ(listed["Commands"][0]["Status"], "Success");
  EXPECT_EQ(listed["Commands"][0]["TargetCount"], 1);
  EXPECT_EQ(listed["Commands"][0]["CompletedCount"], 1);
  EXPECT_EQ(listed["Commands"][0]["Parameters"]["executionTimeout"], json({"42"}));
}

TEST_F(LocalSsmTest, FailedRunKeepsExitCodeAndTheAgentsMessage) {
  host_.SetBehaviour([](const HostCommand&) -> Result<HostCommandResult> {
    HostCommandResult result;
    result.exit_code = 3;
    result.stdout_head = "partial\n";
    result.stderr_head = "bad thing";
    return result;
  });
  json r = RunShell({"exit 3"});
  EXPECT_EQ(r["Status"], "Failed");
  EXPECT_EQ(r["StatusDetails"], "Failed");
  EXPECT_EQ(r["ResponseCode"], 3);
  EXPECT_EQ(r["StandardOutputContent"], "partial\n");
  EXPECT_EQ(r["StandardErrorContent"], "bad thing\nfailed to run commands: exit status 3");
  json cmd = Ok("ListCommands", {{"CommandId", r["CommandId"]}})["Commands"][0];
  EXPECT_EQ(cmd["Status"], "Failed");
  EXPECT_EQ(cmd["ErrorCount"], 1);
}

TEST_F(LocalSsmTest, TimedOutRunIs137) {
  host_.SetBehaviour([](const HostCommand&) -> Result<HostCommandResult> {
    HostCommandResult result;
    result.exit_code = 137;
    result.timed_out = true;
    return result;
  });
  json r = RunShell({"sleep 100"}, {{"executionTimeout", {"5"}}});
  EXPECT_EQ(r["Status"], "TimedOut");
  EXPECT_EQ(r["StatusDetails"], "ExecutionTimedOut");
  EXPECT_EQ(r["ResponseCode"], 137);
  json cmd = Ok("ListCommands", {{"CommandId", r["CommandId"]}})["Commands"][0];
  EXPECT_EQ(cmd["Status"], "TimedOut");
  EXPECT_EQ(cmd["StatusDetails"], "ExecutionTimedOut");
}

TEST_F(LocalSsmTest, OutputIsTruncatedAsAwsDoes) {
  host_.SetBehaviour([](const HostCommand&) -> Result<HostCommandResult> {
    HostCommandResult result;
    result.stdout_head = std::string(30000, 'o');
    result.stderr_head = std::string(9000, 'e');
    return result;
  });
  json r = RunShell({"yes | head -c 30000"});
  EXPECT_EQ(r["StandardOutputContent"].get<std::string>().size(), 24000u);
  EXPECT_TRUE(r["StandardOutputContent"].get<std::string>().ends_with("--output truncated--"));
  EXPECT_EQ(r["StandardErrorContent"].get<std::string>().size(), 8000u);
  json listed = Ok("ListCommandInvocations", {{"CommandId", r["CommandId"]}, {"Details", true}});
  ASSERT_EQ(listed["CommandInvocations"].size(), 1u);
  json plugin = listed["CommandInvocations"][0]["CommandPlugins"][0];
  EXPECT_EQ(plugin["Name"], "aws:runShellScript");
  EXPECT_LE(plugin["Output"].get<std::string>().size(), 2500u);
  EXPECT_NE(plugin["Output"].get<std::string>().find("----------ERROR-------"), std::string::npos);
  json plain = Ok("ListCommandInvocations", {{"CommandId", r["CommandId"]}});
  EXPECT_TRUE(plain["CommandInvocations"][0]["CommandPlugins"].empty());
}

TEST_F(LocalSsmTest, InProgressUntilCancelled) {
  host_.SetBehaviour([](const HostCommand& command) -> Result<HostCommandResult> {
    while (!command.cancel->load()) std::this_thread::sleep_for(milliseconds(5));
    HostCommandResult result;
    result.exit_code = 137;
    result.cancelled = true;
    return result;
  });
  const std::string id = Send({{"DocumentName", "AWS-RunShellScript"},
                               {"InstanceIds", {kInstance}},
                               {"Parameters", {{"commands", {"sleep 1000"}}}}});
  const json key = {{"CommandId", id}, {"InstanceId", kInstance}};
  json r;
  for (int i = 0; i < 200; ++i) {
    r = Ok("GetCommandInvocation", key);
    if (r["Status"] == "InProgress") break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_EQ(r["Status"], "InProgress");
  EXPECT_EQ(r["ResponseCode"], -1);
  EXPECT_EQ(r["ExecutionEndDateTime"], "");
  EXPECT_EQ(Ok("ListCommands", {{"CommandId", id}})["Commands"][0]["Status"], "InProgress");
  Ok("CancelCommand", {{"CommandId", id}});
  r = Finished(id, kInstance);
  EXPECT_EQ(r["Status"], "Cancelled");
  EXPECT_EQ(r["StatusDetails"], "Cancelled");
  EXPECT_EQ(Ok("ListCommands", {{"CommandId", id}})["Commands"][0]["Status"], "Cancelled");
}

TEST_F(LocalSsmTest, TargetsByTagAndByInstanceIds) {
  auto targets = [&](json t) {
    const std::string id = Send({{"DocumentName", "AWS-RunShellScript"},
                                 {"Targets", t},
                                 {"Parameters", {{"commands", {"true"}}}}});
    std::vector<std::string> ids;
    const json listed = Ok("ListCommandInvocations", {{"CommandId", id}});
    for (const json& inv : listed["CommandInvocations"]) ids.push_back(inv["InstanceId"]);
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(targets({{{"Key", "tag:aws:autoscaling:groupName"}, {"Values", {"web"}}}}),
            V({kInstance}));
  EXPECT_EQ(targets({{{"Key", "tag:aws:autoscaling:groupName"}, {"Values", {"web", "batch"}}}}),
            V({kInstance, kOther}));
  EXPECT_EQ(targets({{{"Key", "tag-key"}, {"Values", {"Name"}}}}), V({kInstance}));
  EXPECT_EQ(targets({{{"Key", "InstanceIds"}, {"Values", {"*"}}}}), V({kInstance, kOther}));
  // Every target must match.
  EXPECT_EQ(targets({{{"Key", "tag:aws:autoscaling:groupName"}, {"Values", {"batch"}}},
                     {{"Key", "tag:Name"}, {"Values", {"a"}}}}),
            V());
  EXPECT_EQ(
      Error("SendCommand", {{"DocumentName", "AWS-RunShellScript"},
                            {"Targets", {{{"Key", "resource-groups:Name"}, {"Values", {"g"}}}}},
                            {"Parameters", {{"commands", {"true"}}}}}),
      "ValidationException");
}

TEST_F(LocalSsmTest, StepsRunInOrderAndAreReportedByName) {
  Ok("CreateDocument", {{"Name", "two-steps"}, {"DocumentFormat", "YAML"}, {"Content", R"(
schemaVersion: '2.2'
mainSteps:
  - action: aws:runShellScript
    name: first
    inputs: {runCommand: [fails]}
  - action: aws:runShellScript
    name: second
    inputs: {runCommand: [works]}
)"}});
  host_.SetBehaviour([](const HostCommand& command) -> Result<HostCommandResult> {
    HostCommandResult result;
    result.exit_code = command.script == "fails\n" ? 1 : 0;
    result.stdout_head = command.script;
    return result;
  });
  const std::string id = Send({{"DocumentName", "two-steps"}, {"InstanceIds", {kInstance}}});
  json first = Finished(id, kInstance, "first");
  json second = Finished(id, kInstance, "second");
  EXPECT_EQ(first["Status"], "Failed");
  EXPECT_EQ(second["Status"], "Success");
  EXPECT_EQ(second["StandardOutputContent"], "works\n");
  EXPECT_EQ(Error("GetCommandInvocation", {{"CommandId", id}, {"InstanceId", kInstance}}),
            "InvalidPluginName");
  EXPECT_EQ(Error("GetCommandInvocation",
                  {{"CommandId", id}, {"InstanceId", kInstance}, {"PluginName", "third"}}),
            "InvalidPluginName");
  json inv = Ok("ListCommandInvocations", {{"CommandId", id}})["CommandInvocations"][0];
  EXPECT_EQ(inv["Status"], "Failed");
}

TEST_F(LocalSsmTest, UnknownInvocationsAndCommands) {
  const std::string missing = "11111111-2222-3333-4444-555555555555";
  EXPECT_EQ(Error("GetCommandInvocation", {{"CommandId", missing}, {"InstanceId", kInstance}}),
            "InvocationDoesNotExist");
  json r = RunShell({"true"});
  EXPECT_EQ(Error("GetCommandInvocation", {{"CommandId", r["CommandId"]}, {"InstanceId", kOther}}),
            "InvocationDoesNotExist");
  EXPECT_EQ(Error("ListCommands", {{"CommandId", missing}}), "InvalidCommandId");
  EXPECT_EQ(Error("CancelCommand", {{"CommandId", missing}}), "InvalidCommandId");
  EXPECT_TRUE(Ok("ListCommandInvocations", {{"CommandId", missing}})["CommandInvocations"].empty());
}

TEST_F(LocalSsmTest, ListFiltersAndPages) {
  RunShell({"echo 1"});
  RunShell({"echo 2"});
  host_.SetBehaviour([](const HostCommand&) -> Result<HostCommandResult> {
    HostCommandResult result;
    result.exit_code = 1;
    return result;
  });
  json failed = RunShell({"false"});
  json page = Ok("ListCommands", {{"MaxResults", 2}});
  ASSERT_EQ(page["Commands"].size(), 2u);
  EXPECT_EQ(page["Commands"][0]["CommandId"], failed["CommandId"]);  // newest first
  json rest = Ok("ListCommands", {{"MaxResults", 2}, {"NextToken", page["NextToken"]}});
  EXPECT_EQ(rest["Commands"].size(), 1u);
  EXPECT_FALSE(rest.contains("NextToken"));
  json only_failed = Ok("ListCommands", {{"Filters", {{{"key", "Status"}, {"value", "Failed"}}}}});
  ASSERT_EQ(only_failed["Commands"].size(), 1u);
  json later = Ok("ListCommandInvocations",
                  {{"Filters", {{{"key", "InvokedAfter"}, {"value", "2200-01-01T00:00:00Z"}}}}});
  EXPECT_TRUE(later["CommandInvocations"].empty());
  EXPECT_EQ(Ok("ListCommandInvocations", {{"InstanceId", kInstance}})["CommandInvocations"].size(),
            3u);
  EXPECT_EQ(Error("ListCommands", {{"NextToken", "garbage"}}), "InvalidNextToken");
}

TEST_F(LocalSsmTest, StopEndsWhatRuns) {
  host_.SetBehaviour([](const HostCommand& command) -> Result<HostCommandResult> {
    while (!command.cancel->load()) std::this_thread::sleep_for(milliseconds(5));
    HostCommandResult result;
    result.cancelled = true;
    return result;
  });
  Send({{"DocumentName", "AWS-RunShellScript"},
        {"InstanceIds", {kInstance, kOther}},
        {"Parameters", {{"commands", {"sleep 1000"}}}}});
  ssm_.Stop();  // returns: both runs saw their cancel
  auto after = ssm_.Call("SendCommand", {{"DocumentName", "AWS-RunShellScript"},
                                         {"InstanceIds", {kInstance}},
                                         {"Parameters", {{"commands", {"true"}}}}});
  EXPECT_FALSE(after.ok());
}

TEST_F(LocalSsmTest, SpeaksJsonOneOne) {
  LocalRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers.Set("x-amz-target", "AmazonSSM.DescribeDocument");
  request.body = R"({"Name": "AWS-RunShellScript"})";
  LocalResponse ok = ssm_.Handle(request);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers.Get("Content-Type").value_or(""), "application/x-amz-json-1.1");
  EXPECT_EQ(json::parse(ok.body)["Document"]["Owner"], "Amazon");

  request.body = R"({"Name": "missing-doc"})";
  LocalResponse missing = ssm_.Handle(request);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(json::parse(missing.body)["__type"], "InvalidDocument");

  request.headers.Set("x-amz-target", "AmazonSSM.StartSession");
  EXPECT_EQ(json::parse(ssm_.Handle(request).body)["__type"], "UnknownOperationException");
}

}  // namespace
}  // namespace lifeboat
