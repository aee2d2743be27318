#include "local/lambda/lambda_function_config.h"

#include <gtest/gtest.h>

#include "common/hash.h"

namespace lifeboat {
namespace {

using nlohmann::json;

const auto kNow = std::chrono::system_clock::time_point(std::chrono::milliseconds(1714566896789));

json Request() {
  return {{"FunctionName", "seed-handler"},
          {"Runtime", "python3.12"},
          {"Role", "arn:aws:iam::000000000000:role/lambda"},
          {"Handler", "lambda_function.lambda_handler"},
          {"Code", {{"ZipFile", Base64Encode("PK-not-checked-here")}}}};
}

Result<CreateFunctionInput> Parse(const json& body) {
  return ParseCreateFunction(body.dump(), "us-east-1", "000000000000", kNow);
}

TEST(LambdaFunctionConfigTest, ParsesACreateFunctionRequestWithAwsDefaults) {
  auto input = Parse(Request());
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  const LambdaFunctionConfig& c = input->config;
  EXPECT_EQ(c.name, "seed-handler");
  EXPECT_EQ(c.arn, "arn:aws:lambda:us-east-1:000000000000:function:seed-handler");
  EXPECT_EQ(c.kind, RuntimeKind::kPython);
  EXPECT_EQ(c.timeout_seconds, 3);
  EXPECT_EQ(c.memory_mb, 128);
  EXPECT_EQ(input->zip, "PK-not-checked-here");
  EXPECT_EQ(c.code_size, input->zip.size());
  EXPECT_EQ(c.code_sha256, Sha256Base64(Sha256("PK-not-checked-here")));
  EXPECT_EQ(c.last_modified, "2024-05-01T12:34:56.789+0000");

  json out = FunctionConfigurationJson(c);
  EXPECT_EQ(out["Version"], "$LATEST");
  EXPECT_EQ(out["State"], "Active");
  EXPECT_EQ(out["LastUpdateStatus"], "Successful");
  EXPECT_EQ(out["PackageType"], "Zip");
  EXPECT_EQ(out["Handler"], "lambda_function.lambda_handler");
  EXPECT_FALSE(out.contains("Environment"));
}

TEST(LambdaFunctionConfigTest, TakesTimeoutMemoryEnvironmentAndCustomRuntimes) {
  json body = Request();
  body["Runtime"] = "provided.al2023";
  body.erase("Handler");
  body["Timeout"] = 900;
  body["MemorySize"] = 512;
  body["Environment"] = {{"Variables", {{"BUCKET", "logs"}}}};
  auto input = Parse(body);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->config.kind, RuntimeKind::kCustom);
  EXPECT_EQ(input->config.timeout_seconds, 900);
  EXPECT_EQ(input->config.memory_mb, 512);
  json out = FunctionConfigurationJson(input->config);
  EXPECT_EQ(out["Environment"]["Variables"]["BUCKET"], "logs");
  EXPECT_FALSE(out.contains("Handler"));
}

TEST(LambdaFunctionConfigTest, RefusesWhatAwsRefuses) {
  auto expect_invalid = [](json body, const std::string& words) {
    auto input = Parse(body);
    ASSERT_FALSE(input.ok()) << body.dump();
    EXPECT_EQ(input.status().service_code(), kInvalidParameterValue);
    EXPECT_NE(input.status().message().find(words), std::string::npos) << input.status().message();
  };
  json body = Request();
  body["Runtime"] = "nodejs20.x";
  expect_invalid(body, "nodejs20.x");
  body = Request();
  body.erase("Runtime");
  expect_invalid(body, "Runtime and Handler are mandatory");
  body = Request();
  body["Handler"] = "no_dot";
  expect_invalid(body, "no_dot");
  body = Request();
  body["Timeout"] = 901;
  expect_invalid(body, "less than or equal to 900");
  body = Request();
  body["Timeout"] = 0;
  expect_invalid(body, "greater than or equal to 1");
  body = Request();
  body["Environment"] = {{"Variables", {{"AWS_REGION", "x"}, {"OK_NAME", "y"}}}};
  expect_invalid(body, "Reserved keys used in this request: AWS_REGION");
  body = Request();
  body["FunctionName"] = "bad name";
  expect_invalid(body, "functionName");
  body = Request();
  body["Code"] = {{"S3Bucket", "b"}, {"S3Key", "k"}};
  expect_invalid(body, "Code.ZipFile");
  body = Request();
  body["Code"]["ZipFile"] = "!!!";
  expect_invalid(body, "Could not unzip");
}

TEST(LambdaFunctionConfigTest, NamesFunctionsByNameOrArn) {
  auto ref = [](const std::string& text) {
    return ParseFunctionRef(text, "us-east-1", "000000000000");
  };
  EXPECT_EQ(ref("fn")->name, "fn");
  EXPECT_EQ(ref("fn:$LATEST")->qualifier, "$LATEST");
  EXPECT_EQ(ref("000000000000:function:fn")->name, "fn");
  auto full = ref("arn:aws:lambda:us-east-1:000000000000:function:fn:prod");
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->name, "fn");
  EXPECT_EQ(full->qualifier, "prod");
  EXPECT_EQ(ref("arn:aws:lambda:eu-west-1:000000000000:function:fn").status().service_code(),
            kResourceNotFound);
  EXPECT_EQ(ref("arn:aws:lambda:us-east-1:111111111111:function:fn").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ref("a b").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ref("arn:aws:s3:::bucket").status().code(), StatusCode::kInvalidArgument);
}

TEST(LambdaFunctionConfigTest, KnowsWhichRuntimesRunHere) {
  EXPECT_EQ(RuntimeKindOf("provided.al2023"), RuntimeKind::kCustom);
  EXPECT_EQ(RuntimeKindOf("provided.al2"), RuntimeKind::kCustom);
  EXPECT_EQ(RuntimeKindOf("python3.8"), RuntimeKind::kPython);
  EXPECT_EQ(RuntimeKindOf("python3.13"), RuntimeKind::kPython);
  EXPECT_FALSE(RuntimeKindOf("python3.").has_value());
  EXPECT_FALSE(RuntimeKindOf("python2.7").has_value());
  EXPECT_FALSE(RuntimeKindOf("java21").has_value());
}

}  // namespace
}  // namespace lifeboat
