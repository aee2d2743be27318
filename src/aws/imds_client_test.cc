#include "aws/imds_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::seconds;

// A metadata service behind FakeHttpClient: issues numbered tokens, rejects GETs without a
// current one (401), answers paths from a map (404 otherwise).
class FakeImds {
 public:
  explicit FakeImds(FakeHttpClient& http) {
    http.SetHandler([this](const HttpRequest& r) { return Handle(r); });
  }
  std::map<std::string, std::string> paths;
  std::atomic<int> tokens_issued{0};
  std::atomic<int> valid_token{0};  // tokens below this number are refused
  std::string ttl_answer;           // the TTL header of token answers, when set

 private:
  Result<HttpResponse> Handle(const HttpRequest& r) {
    const std::string base = "http://169.254.169.254";
    if (r.method == "PUT" && r.url == base + "/latest/api/token") {
      if (!r.headers.Has("X-aws-ec2-metadata-token-ttl-seconds")) return HttpResponse{400, {}, ""};
      int n = ++tokens_issued;
      Headers h;
      if (!ttl_answer.empty()) h.Set("X-aws-ec2-metadata-token-ttl-seconds", ttl_answer);
      return HttpResponse{200, h, "token-" + std::to_string(n)};
    }
    auto token = r.headers.Get("X-aws-ec2-metadata-token");
    if (r.method != "GET" || !token || token->rfind("token-", 0) != 0 ||
        std::stoi(token->substr(6)) < valid_token) {
      return HttpResponse{401, {}, ""};
    }
    auto it = paths.find(r.url.substr(base.size()));
    if (it == paths.end()) return HttpResponse{404, {}, "Not Found"};
    return HttpResponse{200, {}, it->second};
  }
};

class ImdsClientTest : public ::testing::Test {
 protected:
  MemEnv env_;
  FakeHttpClient http_;
};

TEST_F(ImdsClientTest, FetchesATokenOnceAndSendsItWithEachGet) {
  FakeImds imds(http_);
  imds.paths["/latest/meta-data/instance-id"] = "i-0123456789abcdef0\n";
  imds.paths["/latest/meta-data/placement/region"] = "eu-west-1";
  ImdsClient client(env_, http_);
  EXPECT_EQ(*client.InstanceId(), "i-0123456789abcdef0");
  EXPECT_EQ(*client.Region(), "eu-west-1");
  EXPECT_EQ(*client.Get("/latest/meta-data/instance-id"), "i-0123456789abcdef0\n");

  auto requests = http_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].url, "http://169.254.169.254/latest/api/token");
  EXPECT_EQ(requests[0].headers.Get("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[0].timeout, std::chrono::milliseconds(1000));
  for (size_t i = 1; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].method, "GET");
    EXPECT_EQ(requests[i].headers.Get("X-aws-ec2-metadata-token"), "token-1");
    EXPECT_EQ(requests[i].timeout, std::chrono::milliseconds(1000));
  }
  EXPECT_EQ(imds.tokens_issued, 1);
}

TEST_F(ImdsClientTest, TokenIsRenewedShortlyBeforeItsTtlEnds) {
  FakeImds imds(http_);
  imds.paths["/latest/meta-data/instance-id"] = "i-1";
  ImdsClient client(env_, http_);
  ASSERT_TRUE(client.InstanceId().ok());
  env_.Advance(seconds(21600 - 121));
  ASSERT_TRUE(client.InstanceId().ok());
  EXPECT_EQ(imds.tokens_issued, 1);
  env_.Advance(seconds(2));
  ASSERT_TRUE(client.InstanceId().ok());
  EXPECT_EQ(imds.tokens_issued, 2);
}

TEST_F(ImdsClientTest, TtlAnsweredByTheServiceWins) {
  FakeImds imds(http_);
  imds.ttl_answer = "300";
  imds.paths["/latest/meta-data/instance-id"] = "i-1";
  ImdsClient client(env_, http_);
  ASSERT_TRUE(client.InstanceId().ok());
  env_.Advance(seconds(300 - 120 + 1));
  ASSERT_TRUE(client.InstanceId().ok());
  EXPECT_EQ(imds.tokens_issued, 2);
}

TEST_F(ImdsClientTest, Unauthorized401FetchesANewTokenAndRetriesOnce) {
  FakeImds imds(http_);
  imds.paths["/latest/meta-data/instance-id"] = "i-1";
  ImdsClient client(env_, http_);
  ASSERT_TRUE(client.InstanceId().ok());
  imds.valid_token = 2;  // the service restarted: token-1 is no longer accepted
  auto id = client.InstanceId();
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(imds.tokens_issued, 2);
  EXPECT_EQ(http_.requests().back().headers.Get("X-aws-ec2-metadata-token"), "token-2");
}

TEST_F(ImdsClientTest, SecondUnauthorizedIsAnError) {
  http_.Enqueue(200, "t1");
  http_.Enqueue(401);
  http_.Enqueue(200, "t2");
  http_.Enqueue(401);
  ImdsClient client(env_, http_);
  auto r = client.Get("meta-data/instance-id");
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(http_.requests().size(), 4u);
}

TEST_F(ImdsClientTest, DisabledByEnvironmentSendsNothing) {
  env_.SetVar("AWS_EC2_METADATA_DISABLED", "TRUE");
  ImdsClient client(env_, http_);
  EXPECT_TRUE(client.disabled());
  auto r = client.InstanceId();
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ImdsClientTest, EndpointFromEnvironment) {
  env_.SetVar("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8111/");
  http_.Enqueue(200, "tok");
  http_.Enqueue(200, "us-east-2");
  ImdsClient client(env_, http_);
  EXPECT_EQ(client.endpoint(), "http://127.0.0.1:8111");
  EXPECT_EQ(*client.Region(), "us-east-2");
  EXPECT_EQ(http_.requests()[0].url, "http://127.0.0.1:8111/latest/api/token");
  EXPECT_EQ(http_.requests()[1].url, "http://127.0.0.1:8111/latest/meta-data/placement/region");
}

TEST_F(ImdsClientTest, BadEndpointIsAnError) {
  env_.SetVar("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254");
  ImdsClient client(env_, http_);
  auto r = client.InstanceId();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("AWS_EC2_METADATA_SERVICE_ENDPOINT"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(ImdsClientTest, MissingPathIsNotFound) {
  FakeImds imds(http_);
  ImdsClient client(env_, http_);
  auto r = client.Get("meta-data/autoscaling/target-lifecycle-state");
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/latest/meta-data/autoscaling/target-lifecycle-state"),
            std::string::npos);
}

TEST_F(ImdsClientTest, TimeoutOnTheTokenRequestAnswersAtOnce) {
  http_.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::DeadlineExceeded("timed out after 1000 ms");
  });
  ImdsClient client(env_, http_);
  auto r = client.InstanceId();
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("not running on EC2?"), std::string::npos);
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(ImdsClientTest, ConnectionFailuresAndServerErrorsAreRetried) {
  http_.Enqueue(Status::Unavailable("connection refused"));
  http_.Enqueue(200, "tok");
  http_.Enqueue(503);
  http_.Enqueue(200, "i-9");
  ImdsClient client(env_, http_);
  auto id = client.InstanceId();
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "i-9");

  http_.Enqueue(500);
  http_.Enqueue(500);
  auto failed = client.InstanceId();
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(http_.requests().size(), 6u);
}

TEST_F(ImdsClientTest, TokenRefusedWith403IsPermissionDenied) {
  http_.Enqueue(403);
  ImdsClient client(env_, http_);
  EXPECT_EQ(client.InstanceId().status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ImdsClientTest, ConcurrentCallersShareOneToken) {
  FakeImds imds(http_);
  imds.paths["/latest/meta-data/instance-id"] = "i-1";
  ImdsClient client(env_, http_);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) ok += client.InstanceId().ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 160);
  EXPECT_EQ(imds.tokens_issued, 1);
}

}  // namespace
}  // namespace lifeboat
