// Real execution environments: a curl `bootstrap` and python3 with lifeboat's runtime
// client, started as processes, speaking the Runtime API over loopback.
#include "local/lambda/function_host.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>

#include "fakes/temp_dir.h"
#include "local/lambda/function_launch.h"
#include "local/lambda/lambda_test_support.h"
#include "local/lambda/lambda_zip.h"
#include "local/lambda/python_runtime_client.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

// Running, not a zombie waiting for whoever adopted it to reap it.
bool Alive(pid_t pid) {
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

class FunctionHostTest : public ::testing::Test {
 protected:
  // A function whose package holds `entries`; python3.12 when `handler` is set.
  std::unique_ptr<FunctionHost> MakeHost(const std::vector<ZipEntry>& entries,
                                         const std::string& handler = "", int timeout = 3,
                                         FunctionHostOptions options = {}) {
    LambdaFunctionConfig config;
    config.name = "fn" + std::to_string(++count_);
    config.arn = FunctionArn("us-east-1", "000000000000", config.name);
    config.runtime = handler.empty() ? "provided.al2023" : "python3.12";
    config.kind = handler.empty() ? RuntimeKind::kCustom : RuntimeKind::kPython;
    config.handler = handler;
    config.timeout_seconds = timeout;
    config.environment = {{"GREETING", "hello"}};
    paths_.task_dir = dir_.Join(config.name + "/task");
    paths_.runtime_dir = dir_.Join(config.name + "/runtime");
    paths_.log_path = dir_.Join(config.name + ".log");
    EXPECT_TRUE(ExtractZip(MakeZip(entries), paths_.task_dir).ok());
    fs::create_directories(paths_.runtime_dir);
    std::ofstream(JoinPath(paths_.runtime_dir, kPythonRuntimeFile)) << PythonRuntimeClient();
    LambdaCloudInfo cloud{"us-east-1", "000000000000", "http://127.0.0.1:1", "AKID", "SECRET"};
    return std::make_unique<FunctionHost>(
        Env::Default(), config, LaunchSpec(Env::Default(), config, paths_, cloud), options);
  }

  Invocation Make(const std::string& payload) {
    Invocation inv;
    inv.request_id = "req-" + std::to_string(++count_);
    inv.payload = payload;
    inv.function_arn = "arn:aws:lambda:us-east-1:000000000000:function:fn";
    inv.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0";
    return inv;
  }

  InvocationOutcome Run(FunctionHost& host, const std::string& payload) {
    auto outcome = host.Invoke(Make(payload));
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    return outcome.ok() ? *outcome : InvocationOutcome{};
  }

  TempDir dir_;
  FunctionPaths paths_;
  int count_ = 0;
};

ZipEntry Bootstrap() { return {"bootstrap", CurlBootstrap(), S_IFREG | 0755}; }

ZipEntry PythonFile(const std::string& name, const std::string& code) { return {name, code}; }

TEST_F(FunctionHostTest, ACustomRuntimeAnswersThroughTheRuntimeApiAndStaysWarm) {
  auto host = MakeHost({Bootstrap()});
  int64_t before =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  InvocationOutcome first = Run(*host, R"({"n":1})");
  ASSERT_EQ(first.kind, OutcomeKind::kResponse) << first.body;
  json body = json::parse(first.body);
  EXPECT_EQ(body["echo"], json({{"n", 1}}));
  EXPECT_EQ(body["request"].get<std::string>().rfind("req-", 0), 0u);
  EXPECT_GE(body["deadline"].get<int64_t>(), before + 3000);  // Timeout 3 s from delivery

  InvocationOutcome second = Run(*host, R"({"n":2})");
  ASSERT_EQ(second.kind, OutcomeKind::kResponse) << second.body;
  EXPECT_EQ(json::parse(second.body)["pid"], body["pid"]);  // the same warm process
  EXPECT_EQ(host->environment_count(), 1u);

  InvocationOutcome failed = Run(*host, R"({"please":"fail"})");
  EXPECT_EQ(failed.kind, OutcomeKind::kFunctionError);
  EXPECT_EQ(json::parse(failed.body)["errorType"], "Custom.Failure");

  std::string log = ReadFile(paths_.log_path);
  EXPECT_NE(log.find("START RequestId: req-"), std::string::npos) << log;
  EXPECT_NE(log.find("REPORT RequestId: req-"), std::string::npos) << log;
}

TEST_F(FunctionHostTest, APythonHandlerGetsEventContextAndEnvironment) {
  auto host = MakeHost({PythonFile("app/main.py", R"PY(import os
def handle(event, context):
    print("handling", context.aws_request_id)
    names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION", "_HANDLER",
             "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GREETING",
             "AWS_EC2_METADATA_DISABLED", "AWS_EXECUTION_ENV", "TZ", "LAMBDA_TASK_ROOT",
             "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_LOG_GROUP_NAME", "_X_AMZN_TRACE_ID"]
    return {"event": event, "env": {n: os.environ.get(n) for n in names},
            "cwd": os.getcwd(), "pid": os.getpid(),
            "request_id": context.aws_request_id, "arn": context.invoked_function_arn,
            "remaining": context.get_remaining_time_in_millis(),
            "stream": context.log_stream_name}
)PY")},
                       "app/main.handle");
  InvocationOutcome outcome = Run(*host, R"({"detail":{"EC2InstanceId":"i-123"}})");
  ASSERT_EQ(outcome.kind, OutcomeKind::kResponse) << outcome.body << ReadFile(paths_.log_path);
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["event"]["detail"]["EC2InstanceId"], "i-123");
  const json& env = body["env"];
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_NAME"], host->config().name);
  EXPECT_EQ(env["AWS_REGION"], "us-east-1");
  EXPECT_EQ(env["AWS_DEFAULT_REGION"], "us-east-1");
  EXPECT_EQ(env["_HANDLER"], "app/main.handle");
  EXPECT_EQ(env["AWS_ENDPOINT_URL"], "http://127.0.0.1:1");
  EXPECT_EQ(env["AWS_ACCESS_KEY_ID"], "AKID");
  EXPECT_EQ(env["AWS_SECRET_ACCESS_KEY"], "SECRET");
  EXPECT_EQ(env["GREETING"], "hello");
  EXPECT_EQ(env["AWS_EC2_METADATA_DISABLED"], "true");
  EXPECT_EQ(env["AWS_EXECUTION_ENV"], "AWS_Lambda_python3.12");
  EXPECT_EQ(env["TZ"], ":UTC");
  EXPECT_EQ(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "128");
  EXPECT_EQ(env["AWS_LAMBDA_LOG_GROUP_NAME"], "/aws/lambda/" + host->config().name);
  EXPECT_EQ(env["_X_AMZN_TRACE_ID"], "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
  EXPECT_EQ(fs::canonical(body["cwd"].get<std::string>()), fs::canonical(paths_.task_dir));
  EXPECT_EQ(env["LAMBDA_TASK_ROOT"], paths_.task_dir);
  EXPECT_EQ(body["arn"], "arn:aws:lambda:us-east-1:000000000000:function:fn");
  EXPECT_GT(body["remaining"].get<int>(), 1000);
  EXPECT_LE(body["remaining"].get<int>(), 3000);
  EXPECT_NE(body["stream"].get<std::string>().find("[$LATEST]"), std::string::npos);
  EXPECT_NE(ReadFile(paths_.log_path).find("handling " + body["request_id"].get<std::string>()),
            std::string::npos);
}

TEST_F(FunctionHostTest, APythonExceptionBecomesAwsErrorDocument) {
  auto host = MakeHost({PythonFile("lambda_function.py", R"PY(
def lambda_handler(event, context):
    raise ValueError("bad input: " + event["x"])
)PY")},
                       "lambda_function.lambda_handler");
  InvocationOutcome outcome = Run(*host, R"({"x":"42"})");
  ASSERT_EQ(outcome.kind, OutcomeKind::kFunctionError) << outcome.body;
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["errorType"], "ValueError");
  EXPECT_EQ(body["errorMessage"], "bad input: 42");
  ASSERT_TRUE(body["stackTrace"].is_array());
  ASSERT_EQ(body["stackTrace"].size(), 1u);  // the runtime's own frames are left out
  EXPECT_NE(body["stackTrace"][0].get<std::string>().find("lambda_function.py"), std::string::npos);
  EXPECT_TRUE(host->environment_count() == 1u);  // an error keeps the environment
  EXPECT_NE(ReadFile(paths_.log_path).find("[ERROR] ValueError: bad input: 42"), std::string::npos);
}

TEST_F(FunctionHostTest, ImportFailuresAreInitErrorsAndMissingHandlersAreReported) {
  auto missing_module = MakeHost({PythonFile("other.py", "")}, "lambda_function.handler");
  InvocationOutcome outcome = Run(*missing_module, "{}");
  ASSERT_EQ(outcome.kind, OutcomeKind::kInitError) << outcome.body;
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["errorType"], "Runtime.ImportModuleError");
  EXPECT_EQ(body["errorMessage"],
            "Unable to import module 'lambda_function': No module named 'lambda_function'");

  auto syntax = MakeHost({PythonFile("broken.py", "def (:\n")}, "broken.handler");
  EXPECT_EQ(json::parse(Run(*syntax, "{}").body)["errorType"], "Runtime.UserCodeSyntaxError");

  auto no_function = MakeHost({PythonFile("mod.py", "x = 1\n")}, "mod.handler");
  InvocationOutcome missing = Run(*no_function, "{}");
  EXPECT_EQ(missing.kind, OutcomeKind::kFunctionError);
  EXPECT_EQ(json::parse(missing.body)["errorType"], "Runtime.HandlerNotFound");
  EXPECT_EQ(json::parse(missing.body)["errorMessage"], "Handler 'handler' missing on module 'mod'");
}

TEST_F(FunctionHostTest, ATimedOutEnvironmentIsKilledAndReplaced) {
  auto host = MakeHost({PythonFile("slow.py", R"PY(import os, subprocess, time
def handler(event, context):
    if event.get("sleep"):
        # A child in the same process group must die with the sandbox too.
        child = subprocess.Popen(["sleep", "30"])
        with open(event["pidfile"], "w") as f:
            f.write(f"{os.getpid()} {child.pid}")
        time.sleep(event["sleep"])
    return {"pid": os.getpid()}
)PY")},
                       "slow.handler", /*timeout=*/1);
  std::string pidfile = dir_.Join("pids");
  auto started = std::chrono::steady_clock::now();
  InvocationOutcome outcome = Run(*host, json{{"sleep", 5}, {"pidfile", pidfile}}.dump());
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_EQ(outcome.kind, OutcomeKind::kTimedOut) << outcome.body;
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["errorType"], "Sandbox.Timedout");
  EXPECT_NE(body["errorMessage"].get<std::string>().find("Task timed out after 1.00 seconds"),
            std::string::npos);
  EXPECT_LT(took, std::chrono::seconds(4));
  std::istringstream pids(ReadFile(pidfile));
  pid_t runtime = 0, child = 0;
  pids >> runtime >> child;
  ASSERT_GT(runtime, 0);
  EXPECT_FALSE(Alive(runtime));
  EXPECT_FALSE(Alive(child));
  EXPECT_EQ(host->environment_count(), 0u);
  EXPECT_NE(ReadFile(paths_.log_path).find("Task timed out after 1.00 seconds"), std::string::npos);

  InvocationOutcome next = Run(*host, "{}");
  ASSERT_EQ(next.kind, OutcomeKind::kResponse) << next.body;
  EXPECT_NE(json::parse(next.body)["pid"].get<int>(), runtime);
}

TEST_F(FunctionHostTest, AProcessThatExitsFailsWithRuntimeExitError) {
  auto host = MakeHost({PythonFile("quit.py", "import os\ndef handler(e, c):\n    os._exit(3)\n")},
                       "quit.handler");
  InvocationOutcome outcome = Run(*host, "{}");
  ASSERT_EQ(outcome.kind, OutcomeKind::kExited) << outcome.body;
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["errorType"], "Runtime.ExitError");
  EXPECT_NE(body["errorMessage"].get<std::string>().find(
                "Error: Runtime exited with error: exit status 3"),
            std::string::npos);
  EXPECT_EQ(host->environment_count(), 0u);
}

TEST_F(FunctionHostTest, AMissingBootstrapIsInvalidEntrypoint) {
  auto host = MakeHost({PythonFile("README", "no bootstrap here")});
  InvocationOutcome outcome = Run(*host, "{}");
  EXPECT_EQ(outcome.kind, OutcomeKind::kInitError);
  json body = json::parse(outcome.body);
  EXPECT_EQ(body["errorType"], "Runtime.InvalidEntrypoint");
  EXPECT_NE(body["errorMessage"].get<std::string>().find("Couldn't find valid bootstrap(s)"),
            std::string::npos);

  auto not_executable = MakeHost({{"bootstrap", "#!/bin/sh\n", S_IFREG | 0644}});
  json denied = json::parse(Run(*not_executable, "{}").body);
  EXPECT_EQ(denied["errorType"], "Runtime.InvalidEntrypoint");
  EXPECT_NE(denied["errorMessage"].get<std::string>().find("permission denied"), std::string::npos);
}

TEST_F(FunctionHostTest, ConcurrentInvocationsGetTheirOwnEnvironmentsUpToTheLimit) {
  FunctionHostOptions options;
  options.max_environments = 2;
  auto host = MakeHost({PythonFile("wait.py", R"PY(import os, time
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return os.getpid()
)PY")},
                       "wait.handler", 10, options);
  auto a = std::async(std::launch::async, [&] { return host->Invoke(Make(R"({"sleep":1.5})")); });
  auto b = std::async(std::launch::async, [&] { return host->Invoke(Make(R"({"sleep":1.5})")); });
  std::this_thread::sleep_for(milliseconds(700));
  auto throttled = host->Invoke(Make("{}"));
  EXPECT_EQ(throttled.status().code(), StatusCode::kResourceExhausted);
  auto ra = a.get(), rb = b.get();
  ASSERT_TRUE(ra.ok() && rb.ok());
  EXPECT_NE(ra->body, rb->body);  // two processes
  EXPECT_EQ(host->environment_count(), 2u);
  std::string warm = Run(*host, "{}").body;
  EXPECT_TRUE(warm == ra->body || warm == rb->body);
}

TEST_F(FunctionHostTest, ShutdownEndsInvocationsInProgress) {
  auto host =
      MakeHost({PythonFile("hang.py", "import time\ndef handler(e, c):\n    time.sleep(60)\n")},
               "hang.handler", 120);
  auto running = std::async(std::launch::async, [&] { return host->Invoke(Make("{}")); });
  std::this_thread::sleep_for(milliseconds(500));
  auto started = std::chrono::steady_clock::now();
  host->Shutdown();
  auto outcome = running.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->kind, OutcomeKind::kExited);
  EXPECT_EQ(host->Invoke(Make("{}")).status().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace lifeboat
