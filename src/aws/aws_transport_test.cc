#include "aws/aws_transport.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "aws/sigv4.h"
#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// Records every sleep, so tests can check each backoff against the policy.
class SleepRecordingEnv final : public EnvWrapper {
 public:
  explicit SleepRecordingEnv(Env* target) : EnvWrapper(target) {}
  void SleepFor(std::chrono::nanoseconds d) override {
    {
      std::lock_guard lock(mu_);
      sleeps_.push_back(std::chrono::duration_cast<milliseconds>(d));
    }
    EnvWrapper::SleepFor(d);
  }
  std::vector<milliseconds> sleeps() {
    std::lock_guard lock(mu_);
    return sleeps_;
  }

 private:
  std::mutex mu_;
  std::vector<milliseconds> sleeps_;
};

class AwsTransportTest : public ::testing::Test {
 protected:
  AwsTransportTest()
      : env_(&mem_env_),
        credentials_(Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                                 std::nullopt, "test"}) {}

  std::unique_ptr<AwsTransport> MakeTransport(AwsTransportOptions options = {}) {
    if (options.service.empty()) options.service = "s3";
    if (options.region.empty()) options.region = "us-east-1";
    options.s3_signing = options.service == "s3";
    return std::make_unique<AwsTransport>(http_, credentials_, env_, std::move(options));
  }

  static HttpRequest Put() {
    return HttpRequest{"PUT", "http://127.0.0.1:9000/bucket/key", {}, "hello", {}};
  }
  static std::string S3Error(std::string_view code, std::string_view message) {
    return "<Error><Code>" + std::string(code) + "</Code><Message>" + std::string(message) +
           "</Message></Error>";
  }

  MemEnv mem_env_;
  SleepRecordingEnv env_;
  FakeHttpClient http_;
  StaticCredentialsProvider credentials_;
};

TEST_F(AwsTransportTest, SignsEachRequest) {
  auto transport = MakeTransport();
  http_.Enqueue(200);
  ASSERT_TRUE(transport->Send(Put()).ok());
  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const HttpRequest& sent = requests[0];
  auto authorization = sent.headers.Get("Authorization");
  ASSERT_TRUE(authorization.has_value());
  EXPECT_TRUE(authorization->starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request"))
      << *authorization;
  EXPECT_EQ(sent.headers.Get("X-Amz-Date"), "20150830T123600Z");
  // S3 signing rules: the payload hash travels with the request.
  EXPECT_EQ(sent.headers.Get("x-amz-content-sha256"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(sent.body, "hello");
}

TEST_F(AwsTransportTest, SignsTheBodyForEveryService) {
  // A JSON or Query call carries its input in the body; the signature must cover it.
  auto transport = MakeTransport({.service = "sqs"});
  const HttpRequest request{"POST",
                            "http://127.0.0.1:9000/",
                            {{"Content-Type", "application/x-amz-json-1.0"}},
                            R"({"QueueUrl":"q"})",
                            {}};
  http_.Enqueue(200, "{}");
  ASSERT_TRUE(transport->Send(request).ok());
  SigningConfig config;
  config.region = "us-east-1";
  config.service = "sqs";
  config.time = mem_env_.Now();
  config.credentials = credentials_.GetCredentials().value();
  auto expected = SignRequest(request, config);
  ASSERT_TRUE(expected.ok()) << expected.status().message();
  const HttpRequest sent = http_.requests().at(0);
  EXPECT_EQ(sent.headers.Get("Authorization"), expected->headers.Get("Authorization"));
  EXPECT_FALSE(sent.headers.Has("x-amz-content-sha256")) << "only S3 sends the hash";
  EXPECT_EQ(sent.body, request.body);
}

TEST_F(AwsTransportTest, RetriesA503ThenSucceeds) {
  auto transport = MakeTransport();
  http_.Enqueue(503, S3Error("SlowDown", "Please reduce your request rate."));
  http_.Enqueue(200, "", Headers{{"ETag", "\"abc\""}});
  auto response = transport->Send(Put());
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_EQ(response->headers.Get("ETag"), "\"abc\"");
  EXPECT_EQ(http_.requests().size(), 2u);
  EXPECT_EQ(env_.sleeps().size(), 1u);
  AwsTransportStats stats = transport->stats();
  EXPECT_EQ(stats.requests_sent, 2u);
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_EQ(stats.bytes_sent, 10u);
}

TEST_F(AwsTransportTest, GivesUpAfterMaxAttemptsWithTheLastError) {
  auto transport = MakeTransport({.max_attempts = 3});
  http_.Enqueue(500, S3Error("InternalError", "first"));
  http_.Enqueue(503, S3Error("ServiceUnavailable", "second"));
  http_.Enqueue(502, "");
  http_.Enqueue(200);  // never reached
  auto response = transport->Send(Put());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(http_.requests().size(), 3u);
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.status().service_code(), "BadGateway");
  EXPECT_EQ(response.status().message(), "BadGateway: HTTP 502 (after 3 attempts)");
  EXPECT_EQ(transport->stats().retries, 2u);
}

TEST_F(AwsTransportTest, DoesNotRetryAccessDenied) {
  auto transport = MakeTransport();
  http_.Enqueue(403, S3Error("AccessDenied", "Access Denied"));
  auto response = transport->Send(Put());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(response.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(response.status().service_code(), "AccessDenied");
  EXPECT_EQ(response.status().message().find("attempts"), std::string::npos);
  EXPECT_TRUE(env_.sleeps().empty());
}

TEST_F(AwsTransportTest, DoesNotRetryAPreconditionFailure) {
  auto transport = MakeTransport();
  http_.Enqueue(412, S3Error("PreconditionFailed",
                             "At least one of the pre-conditions you "
                             "specified did not hold"));
  auto response = transport->Send(Put());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(response.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(response.status().service_code(), "PreconditionFailed");
}

TEST_F(AwsTransportTest, RetriesConnectionErrorsAndTimeouts) {
  auto transport = MakeTransport();
  http_.Enqueue(Status::Unavailable("http://127.0.0.1:9000/bucket/key: Connection refused"));
  http_.Enqueue(Status::DeadlineExceeded("http://127.0.0.1:9000/bucket/key: timed out"));
  http_.Enqueue(200);
  EXPECT_TRUE(transport->Send(Put()).ok());
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(AwsTransportTest, DoesNotRetryABadUrl) {
  auto transport = MakeTransport();
  http_.Enqueue(Status::InvalidArgument("bad url"));
  EXPECT_EQ(transport->Send(Put()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(AwsTransportTest, RetriesThrottlingCodesOnA400) {
  auto transport = MakeTransport({.service = "ssm"});
  http_.Enqueue(400, R"({"__type":"ThrottlingException","message":"Rate exceeded"})");
  http_.Enqueue(400, S3Error("RequestTimeout", "Your socket connection timed out"));
  http_.Enqueue(200, "{}");
  EXPECT_TRUE(transport->Send(Put()).ok());
  EXPECT_EQ(http_.requests().size(), 3u);
}

TEST_F(AwsTransportTest, BackoffSleepsAreBoundedByThePolicy) {
  auto transport = MakeTransport(
      {.max_attempts = 6, .backoff = {.base = milliseconds(100), .cap = milliseconds(300)}});
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{503, {}, ""};
  });
  EXPECT_FALSE(transport->Send(Put()).ok());
  std::vector<milliseconds> sleeps = env_.sleeps();
  ASSERT_EQ(sleeps.size(), 5u);
  const std::vector<milliseconds> ceilings = {milliseconds(100), milliseconds(200),
                                              milliseconds(300), milliseconds(300),
                                              milliseconds(300)};
  for (size_t i = 0; i < sleeps.size(); ++i) {
    EXPECT_LE(sleeps[i], ceilings[i]) << i;
    EXPECT_GE(sleeps[i].count(), 0) << i;
  }
}

TEST_F(AwsTransportTest, BackoffFollowsTheJitterDraw) {
  auto transport = MakeTransport({.max_attempts = 4,
                                  .backoff = {.base = milliseconds(100), .cap = milliseconds(300)},
                                  .jitter = [] { return 0.5; }});
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{503, {}, ""};
  });
  EXPECT_FALSE(transport->Send(Put()).ok());
  EXPECT_EQ(env_.sleeps(),
            (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(150)}));
}

TEST_F(AwsTransportTest, ClockSkewIsCorrectedFromTheDateHeader) {
  auto transport = MakeTransport();
  // MemEnv's clock reads 2015-08-30T12:36:00Z; the server says it is an hour later.
  http_.Enqueue(403,
                S3Error("RequestTimeTooSkewed",
                        "The difference between the request time and the current time is "
                        "too large."),
                Headers{{"Date", "Sun, 30 Aug 2015 13:36:00 GMT"}});
  http_.Enqueue(200);
  http_.Enqueue(200);
  ASSERT_TRUE(transport->Send(Put()).ok());
  EXPECT_EQ(transport->clock_skew(), std::chrono::seconds(3600));
  EXPECT_TRUE(env_.sleeps().empty());  // retried at once
  ASSERT_TRUE(transport->Send(Put()).ok());

  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].headers.Get("X-Amz-Date"), "20150830T123600Z");
  EXPECT_EQ(requests[1].headers.Get("X-Amz-Date"), "20150830T133600Z");
  EXPECT_EQ(requests[2].headers.Get("X-Amz-Date"), "20150830T133600Z");  // later requests too
}

TEST_F(AwsTransportTest, SignatureErrorWithACorrectClockIsNotRetried) {
  auto transport = MakeTransport();
  http_.Enqueue(403,
                S3Error("SignatureDoesNotMatch",
                        "The request signature we calculated "
                        "does not match"),
                Headers{{"Date", "Sun, 30 Aug 2015 12:36:01 GMT"}});
  auto response = transport->Send(Put());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(transport->clock_skew(), std::chrono::seconds(0));
}

TEST_F(AwsTransportTest, ExpiredSignatureOnAJsonServiceCorrectsTheClock) {
  auto transport = MakeTransport({.service = "ssm"});
  http_.Enqueue(400,
                R"({"__type":"InvalidSignatureException","message":"Signature expired: )"
                R"(20150830T123600Z is now earlier than 20150830T130100Z"})",
                Headers{{"Date", "Sun, 30 Aug 2015 13:06:00 GMT"}});
  http_.Enqueue(200, "{}");
  ASSERT_TRUE(transport->Send(Put()).ok());
  EXPECT_EQ(transport->clock_skew(), std::chrono::seconds(1800));
  EXPECT_EQ(http_.requests()[1].headers.Get("X-Amz-Date"), "20150830T130600Z");
}

TEST_F(AwsTransportTest, ErrorInsideA200IsRetriedWhenAsked) {
  auto transport = MakeTransport();
  const std::string error_body = S3Error("InternalError", "We encountered an internal error.");
  http_.Enqueue(200, error_body);
  http_.Enqueue(200,
                "<CompleteMultipartUploadResult><ETag>\"e-2\"</ETag>"
                "</CompleteMultipartUploadResult>");
  auto response = transport->Send(Put(), {.error_may_be_in_200_body = true});
  ASSERT_TRUE(response.ok()) << response.status().message();
  EXPECT_NE(response->body.find("e-2"), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 2u);

  // An object may contain any XML: without the option a 200 is a 200.
  http_.Enqueue(200, error_body);
  auto object = transport->Send(Put());
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->body, error_body);
}

TEST_F(AwsTransportTest, RedirectsAndNotModifiedAreReturned) {
  auto transport = MakeTransport();
  http_.Enqueue(304);
  auto response = transport->Send(Put());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 304);
}

class FailingCredentials final : public CredentialsProvider {
 public:
  explicit FailingCredentials(Status status) : status_(std::move(status)) {}
  Result<Credentials> GetCredentials() override { return status_; }

 private:
  Status status_;
};

TEST_F(AwsTransportTest, MissingCredentialsAreNotRetried) {
  FailingCredentials none(Status::NotFound("no credentials in the environment"));
  AwsTransport transport(http_, none, env_, {.service = "s3", .region = "us-east-1"});
  auto response = transport.Send(Put());
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(AwsTransportTest, ConcurrentSendsShareCounters) {
  auto transport = MakeTransport();
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return HttpResponse{200, {}, "ok"};
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) EXPECT_TRUE(transport->Send(Put()).ok());
    });
  }
  for (auto& t : threads) t.join();
  AwsTransportStats stats = transport->stats();
  EXPECT_EQ(stats.requests_sent, 100u);
  EXPECT_EQ(stats.bytes_sent, 500u);
  EXPECT_EQ(stats.bytes_received, 200u);
}

TEST(ParseHttpDateTest, Rfc1123) {
  auto t = ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count(),
            784111777);
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 31 Feb 1994 08:49:37 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT trailing").has_value());
  EXPECT_FALSE(ParseHttpDate("").has_value());
}

}  // namespace
}  // namespace lifeboat
