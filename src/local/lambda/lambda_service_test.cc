// The Lambda REST API end to end, without sockets in front: requests as the server hands
// them over, real function processes behind.
#include "local/lambda/lambda_service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "common/hash.h"
#include "fakes/temp_dir.h"
#include "http/percent_encoding.h"
#include "local/lambda/lambda_test_support.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kArn[] = "arn:aws:lambda:us-east-1:000000000000:function:";

bool WaitFor(const std::function<bool()>& done, milliseconds timeout = milliseconds(10000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

const char kHandler[] = R"PY(import json, os
def lambda_handler(event, context):
    if "path" in event:
        with open(event["path"], "a") as f:
            f.write(context.aws_request_id + "\n")
    if event.get("fail"):
        raise RuntimeError("failing as asked")
    print("event", json.dumps(event))
    return {"got": event, "function": context.function_name}
)PY";

class LambdaServiceTest : public ::testing::Test {
 protected:
  LambdaServiceTest() {
    LocalLambdaOptions options;
    options.dir = dir_.Join("lambda");
    options.cloud_endpoint = "http://127.0.0.1:1";
    options.access_key = "test";
    options.secret_key = "test";
    options.time_scale = 600;  // async retries after 100 ms and 200 ms
    lambda_ = std::make_unique<LocalLambda>(Env::Default(), options);
  }

  LocalResponse Call(const std::string& method, const std::string& path,
                     const std::string& body = "", Headers headers = {}) {
    LocalRequest request;
    request.method = method;
    size_t q = path.find('?');
    request.path = path.substr(0, q);
    if (q != std::string::npos) {
      request.query = path.substr(q + 1);
      request.params = ParseFormPairs(request.query, PlusIsSpace::kYes).value();
    }
    for (const auto& [k, v] : headers) {
      std::string lower = k;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.Set(lower, v);
    }
    request.body = body;
    request.service = "lambda";
    request.region = "us-east-1";
    return lambda_->Handle(request);
  }

  LocalResponse Create(const std::string& name, const std::string& code = kHandler,
                       json extra = json::object()) {
    json body = {{"FunctionName", name},
                 {"Runtime", "python3.12"},
                 {"Role", "arn:aws:iam::000000000000:role/r"},
                 {"Handler", "lambda_function.lambda_handler"},
                 {"Code", {{"ZipFile", Base64Encode(MakeZip({{"lambda_function.py", code}}))}}}};
    body.update(extra);
    return Call("POST", "/2015-03-31/functions", body.dump());
  }

  LocalResponse Invoke(const std::string& name, const std::string& payload, Headers headers = {}) {
    return Call("POST", "/2015-03-31/functions/" + name + "/invocations", payload, headers);
  }

  TempDir dir_;
  std::unique_ptr<LocalLambda> lambda_;
};

TEST_F(LambdaServiceTest, CreateGetListAndDeleteAFunction) {
  LocalResponse created = Create("seed", kHandler, {{"Timeout", 30}, {"Description", "d"}});
  ASSERT_EQ(created.status, 201) << created.body;
  json config = json::parse(created.body);
  EXPECT_EQ(config["FunctionName"], "seed");
  EXPECT_EQ(config["FunctionArn"], std::string(kArn) + "seed");
  EXPECT_EQ(config["Timeout"], 30);
  EXPECT_EQ(config["State"], "Active");
  EXPECT_EQ(config["Runtime"], "python3.12");

  // By name, by full ARN (percent-encoded in the path, as SDKs send it).
  LocalResponse got = Call("GET", "/2015-03-31/functions/seed");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(json::parse(got.body)["Configuration"], config);
  EXPECT_EQ(Call("GET",
                 "/2015-03-31/functions/"
                 "arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Aseed/configuration")
                .status,
            200);
  json listed = json::parse(Call("GET", "/2015-03-31/functions/").body);
  ASSERT_EQ(listed["Functions"].size(), 1u);

  EXPECT_EQ(Call("DELETE", "/2015-03-31/functions/seed").status, 204);
  LocalResponse missing = Call("GET", "/2015-03-31/functions/seed");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.Get("x-amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(json::parse(missing.body)["Message"],
            "Function not found: " + std::string(kArn) + "seed");
  EXPECT_EQ(Call("DELETE", "/2015-03-31/functions/seed").status, 404);
  EXPECT_FALSE(fs::exists(dir_.Join("lambda/functions/seed")));
}

TEST_F(LambdaServiceTest, ErrorsAreAwsErrors) {
  ASSERT_EQ(Create("dup").status, 201);
  LocalResponse conflict = Create("dup");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.headers.Get("x-amzn-ErrorType"), "ResourceConflictException");
  EXPECT_EQ(json::parse(conflict.body)["message"], "Function already exist: dup");

  json bad_zip = {{"FunctionName", "badzip"},
                  {"Runtime", "python3.12"},
                  {"Role", "r"},
                  {"Handler", "a.b"},
                  {"Code", {{"ZipFile", Base64Encode("not a zip")}}}};
  LocalResponse refused = Call("POST", "/2015-03-31/functions", bad_zip.dump());
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.headers.Get("x-amzn-ErrorType"), "InvalidParameterValueException");
  EXPECT_NE(json::parse(refused.body)["message"].get<std::string>().find("Could not unzip"),
            std::string::npos);
  EXPECT_EQ(Call("GET", "/2015-03-31/functions/badzip").status, 404);

  LocalResponse escaping =
      Call("POST", "/2015-03-31/functions",
           json{{"FunctionName", "escape"},
                {"Runtime", "python3.12"},
                {"Role", "r"},
                {"Handler", "a.b"},
                {"Code", {{"ZipFile", Base64Encode(MakeZip({{"../../evil.py", "x"}}))}}}}
               .dump());
  EXPECT_EQ(escaping.status, 400);
  EXPECT_FALSE(fs::exists(dir_.Join("lambda/evil.py")));

  EXPECT_EQ(Invoke("nothing", "{}").status, 404);
  LocalResponse not_json = Invoke("dup", "{not json");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.headers.Get("x-amzn-ErrorType"), "InvalidRequestContentException");
  EXPECT_EQ(Invoke("dup:prod", "{}").status, 404);  // only $LATEST exists

  // A path that does not decode names no function, not even the empty one.
  LocalResponse bad_path = Call("GET", "/2015-03-31/functions/dup%zz");
  EXPECT_EQ(bad_path.status, 400);
  EXPECT_EQ(bad_path.headers.Get("x-amzn-ErrorType"), "InvalidParameterValueException");
  EXPECT_NE(json::parse(bad_path.body)["message"].get<std::string>().find("'dup%zz'"),
            std::string::npos)
      << bad_path.body;
  EXPECT_EQ(Call("GET", "/2015-03-31/functions/d%75p").status, 200);  // decoded: dup
}

TEST_F(LambdaServiceTest, InvokeReturnsTheResponseOrTheFunctionError) {
  ASSERT_EQ(Create("fn").status, 201);
  LocalResponse ok = Invoke("fn", R"({"detail":{"EC2InstanceId":"i-1"}})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.headers.Get("X-Amz-Executed-Version"), "$LATEST");
  EXPECT_FALSE(ok.headers.Has("X-Amz-Function-Error"));
  json body = json::parse(ok.body);
  EXPECT_EQ(body["got"]["detail"]["EC2InstanceId"], "i-1");
  EXPECT_EQ(body["function"], "fn");

  LocalResponse failed =
      Invoke(std::string(kArn) + "fn", R"({"fail":true})", {{"X-Amz-Log-Type", "Tail"}});
  ASSERT_EQ(failed.status, 200);
  EXPECT_EQ(failed.headers.Get("X-Amz-Function-Error"), "Unhandled");
  json error = json::parse(failed.body);
  EXPECT_EQ(error["errorType"], "RuntimeError");
  EXPECT_EQ(error["errorMessage"], "failing as asked");
  auto tail = Base64Decode(failed.headers.Get("X-Amz-Log-Result").value_or(""));
  ASSERT_TRUE(tail.has_value());
  EXPECT_NE(tail->find("[ERROR] RuntimeError: failing as asked"), std::string::npos) << *tail;

  EXPECT_EQ(Invoke("fn", "{}", {{"X-Amz-Invocation-Type", "DryRun"}}).status, 204);
  std::string log = ReadFile(dir_.Join("lambda/logs/fn.log"));
  EXPECT_NE(log.find("event {\"detail\": {\"EC2InstanceId\": \"i-1\"}}"), std::string::npos) << log;
}

TEST_F(LambdaServiceTest, EventInvocationsRunLaterAndFailuresAreRetriedTwice) {
  ASSERT_EQ(Create("async").status, 201);
  std::string done = dir_.Join("done.txt");
  LocalResponse queued =
      Invoke("async", json{{"path", done}}.dump(), {{"X-Amz-Invocation-Type", "Event"}});
  EXPECT_EQ(queued.status, 202);
  EXPECT_TRUE(queued.body.empty());
  EXPECT_TRUE(WaitFor([&] { return !ReadFile(done).empty(); }));

  std::string attempts = dir_.Join("attempts.txt");
  EXPECT_EQ(Invoke("async", json{{"path", attempts}, {"fail", true}}.dump(),
                   {{"X-Amz-Invocation-Type", "Event"}})
                .status,
            202);
  auto lines = [&] {
    std::string text = ReadFile(attempts);
    return std::count(text.begin(), text.end(), '\n');
  };
  EXPECT_TRUE(WaitFor([&] { return lines() == 3; })) << ReadFile(attempts);
  std::this_thread::sleep_for(milliseconds(600));
  EXPECT_EQ(lines(), 3);  // one attempt and two retries, then no more
  // Every attempt carries the event's one request id, as on AWS.
  std::istringstream ids(ReadFile(attempts));
  std::string first, id;
  std::getline(ids, first);
  while (std::getline(ids, id)) EXPECT_EQ(id, first);
}

TEST_F(LambdaServiceTest, InvokeAsyncQueuesForKnownFunctionsOnly) {
  EXPECT_EQ(lambda_->InvokeAsync(std::string(kArn) + "ghost", "{}").code(), StatusCode::kNotFound);
  ASSERT_EQ(Create("target").status, 201);
  std::string done = dir_.Join("delivered.txt");
  ASSERT_TRUE(lambda_->InvokeAsync(std::string(kArn) + "target", json{{"path", done}}.dump()).ok());
  EXPECT_TRUE(WaitFor([&] { return !ReadFile(done).empty(); }));
}

TEST_F(LambdaServiceTest, PermissionsAreRecorded) {
  ASSERT_EQ(Create("perm").status, 201);
  json permission = {{"StatementId", "events"},
                     {"Action", "lambda:InvokeFunction"},
                     {"Principal", "events.amazonaws.com"},
                     {"SourceArn", "arn:aws:events:us-east-1:000000000000:rule/r"}};
  LocalResponse added = Call("POST", "/2015-03-31/functions/perm/policy", permission.dump());
  ASSERT_EQ(added.status, 201) << added.body;
  json statement = json::parse(json::parse(added.body)["Statement"].get<std::string>());
  EXPECT_EQ(statement["Principal"]["Service"], "events.amazonaws.com");
  EXPECT_EQ(statement["Condition"]["ArnLike"]["AWS:SourceArn"],
            "arn:aws:events:us-east-1:000000000000:rule/r");
  EXPECT_EQ(Call("POST", "/2015-03-31/functions/perm/policy", permission.dump()).status, 409);
  json policy =
      json::parse(json::parse(Call("GET", "/2015-03-31/functions/perm/policy").body)["Policy"]
                      .get<std::string>());
  EXPECT_EQ(policy["Statement"].size(), 1u);
  EXPECT_EQ(Call("DELETE", "/2015-03-31/functions/perm/policy/events").status, 204);
  EXPECT_EQ(Call("GET", "/2015-03-31/functions/perm/policy").status, 404);
}

TEST_F(LambdaServiceTest, StopEndsRunningInvocations) {
  ASSERT_EQ(Create("hang", "import time\ndef lambda_handler(e, c):\n    time.sleep(60)\n",
                   {{"Timeout", 120}})
                .status,
            201);
  auto running = std::async(std::launch::async, [&] { return Invoke("hang", "{}"); });
  std::this_thread::sleep_for(milliseconds(500));
  auto started = std::chrono::steady_clock::now();
  lambda_->Stop();
  LocalResponse response = running.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(response.headers.Get("X-Amz-Function-Error"), "Unhandled");
  EXPECT_EQ(json::parse(response.body)["errorType"], "Runtime.ExitError");
}

}  // namespace
}  // namespace lifeboat
