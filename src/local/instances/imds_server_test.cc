#include "local/instances/imds_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "aws/imds_client.h"
#include "aws/imds_credentials.h"
#include "http/curl_http_client.h"

namespace lifeboat {
namespace {

using std::chrono::seconds;

// The real environment with a clock that tests move forward, and the metadata endpoint
// variable pointing where a test says.
class TestEnv : public EnvWrapper {
 public:
  TestEnv() : EnvWrapper(Env::Default()) {}
  std::chrono::system_clock::time_point Now() override { return target()->Now() + skew(); }
  std::chrono::steady_clock::time_point SteadyNow() override {
    return target()->SteadyNow() + skew();
  }
  std::optional<std::string> GetVar(const std::string& name) override {
    if (name == "AWS_EC2_METADATA_SERVICE_ENDPOINT") return endpoint;
    if (name == "AWS_EC2_METADATA_DISABLED") return std::nullopt;
    return target()->GetVar(name);
  }
  void Advance(seconds s) { skew_s_ += s.count(); }
  std::string endpoint;

 private:
  seconds skew() const { return seconds(skew_s_.load()); }
  std::atomic<int64_t> skew_s_{0};
};

ImdsIdentity TestIdentity() {
  ImdsIdentity id;
  id.instance_id = "i-0123456789abcdef0";
  id.region = "eu-west-1";
  id.availability_zone = "eu-west-1b";
  id.instance_type = "t3.small";
  id.image_id = "ami-0abc";
  id.private_ip = "10.0.1.23";
  id.account_id = "000000000000";
  id.group_name = "web";
  id.role_name = "lifeboat-local-instance";
  id.access_key = "test";
  id.secret_key = "secret";
  id.session_token = "session";
  id.user_data = "#!/bin/sh\necho hi\n";
  id.launch_time = std::chrono::system_clock::now();
  return id;
}

class ImdsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    base_ = "http://127.0.0.1:" + std::to_string(server_.port());
    env_.endpoint = server_.endpoint();
  }

  HttpResponse Send(const std::string& method, const std::string& path, Headers headers = {}) {
    HttpRequest request;
    request.method = method;
    request.url = base_ + path;
    request.headers = std::move(headers);
    request.timeout = std::chrono::milliseconds(2000);
    auto response = http_.Send(request);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? *response : HttpResponse{};
  }
  std::string Token(const std::string& ttl = "60") {
    HttpResponse r =
        Send("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", ttl}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.headers.Get("X-aws-ec2-metadata-token-ttl-seconds").value_or(""), ttl);
    return r.body;
  }
  HttpResponse Get(const std::string& path, const std::string& token) {
    return Send("GET", path, {{"X-aws-ec2-metadata-token", token}});
  }

  TestEnv env_;
  ImdsServer server_{&env_, TestIdentity(), ImdsServerOptions{true, 10.0}};
  CurlHttpClient http_;
  std::string base_;
};

TEST_F(ImdsServerTest, TokenTtlMustBeBetweenOneSecondAndSixHours) {
  for (const char* bad : {"0", "21601", "-5", "abc", "", "60s"}) {
    EXPECT_EQ(
        Send("PUT", "/latest/api/token", {{"X-aws-ec2-metadata-token-ttl-seconds", bad}}).status,
        400)
        << "ttl '" << bad << "'";
  }
  EXPECT_EQ(Send("PUT", "/latest/api/token").status, 400);  // no TTL header at all
  EXPECT_EQ(Send("PUT", "/latest/api/token",
                 {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}, {"X-Forwarded-For", "1.2.3.4"}})
                .status,
            403);
  EXPECT_FALSE(Token("1").empty());
  EXPECT_FALSE(Token("21600").empty());
}

// `curl -X PUT` (as AWS documents the token request) sends neither a body nor a
// Content-Length; the answer must not wait for a body.
TEST_F(ImdsServerTest, TokenRequestWithoutContentLengthIsAnsweredAtOnce) {
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server_.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{2, 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  const std::string request =
      "PUT /latest/api/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "X-aws-ec2-metadata-token-ttl-seconds: 60\r\n\r\n";
  ASSERT_EQ(::send(sock, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  char buf[512];
  ssize_t n = ::recv(sock, buf, sizeof buf, 0);
  ::close(sock);
  ASSERT_GT(n, 0) << "no answer within 2 s";
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)).rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ImdsServerTest, GetsNeedAValidUnexpiredToken) {
  EXPECT_EQ(Send("GET", "/latest/meta-data/instance-id").status, 401);
  EXPECT_EQ(Get("/latest/meta-data/instance-id", "not-a-token").status, 401);
  std::string token = Token("60");
  HttpResponse ok = Get("/latest/meta-data/instance-id", token);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "i-0123456789abcdef0");
  // A token from another service (another key) is refused.
  ImdsServer other(&env_, TestIdentity());
  ASSERT_TRUE(other.Start().ok());
  HttpRequest put{"PUT",
                  other.endpoint() + "latest/api/token",
                  {{"X-aws-ec2-metadata-token-ttl-seconds", "60"}},
                  "",
                  {}};
  std::string foreign = http_.Send(put)->body;
  EXPECT_EQ(Get("/latest/meta-data/instance-id", foreign).status, 401);
  env_.Advance(seconds(61));
  EXPECT_EQ(Get("/latest/meta-data/instance-id", token).status, 401);
}

TEST_F(ImdsServerTest, AnswersMetadataPathsAndListings) {
  std::string t = Token();
  EXPECT_EQ(Get("/latest/meta-data/placement/region", t).body, "eu-west-1");
  EXPECT_EQ(Get("/latest/meta-data/placement/availability-zone", t).body, "eu-west-1b");
  EXPECT_EQ(Get("/latest/meta-data/instance-type", t).body, "t3.small");
  EXPECT_EQ(Get("/latest/meta-data/local-ipv4", t).body, "10.0.1.23");
  EXPECT_EQ(Get("/latest/meta-data/local-hostname", t).body,
            "ip-10-0-1-23.eu-west-1.compute.internal");
  EXPECT_EQ(Get("/latest/meta-data/placement/", t).body, "availability-zone\nregion");
  EXPECT_EQ(Get("/latest/meta-data/placement", t).body, "availability-zone\nregion");
  std::string listing = Get("/latest/meta-data/", t).body;
  EXPECT_NE(listing.find("instance-id\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("placement/\n"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("spot/"), std::string::npos) << "no spot entries before a notice";
  EXPECT_EQ(Get("/latest/", t).body, "dynamic/\nmeta-data/\nuser-data");
  EXPECT_EQ(Get("/latest/user-data", t).body, "#!/bin/sh\necho hi\n");
  EXPECT_EQ(Get("/latest/meta-data/no-such-thing", t).status, 404);

  auto doc = nlohmann::json::parse(Get("/latest/dynamic/instance-identity/document", t).body);
  EXPECT_EQ(doc["instanceId"], "i-0123456789abcdef0");
  EXPECT_EQ(doc["region"], "eu-west-1");
  EXPECT_EQ(doc["availabilityZone"], "eu-west-1b");
  EXPECT_EQ(doc["accountId"], "000000000000");
  EXPECT_TRUE(doc["kernelId"].is_null());
}

TEST_F(ImdsServerTest, RoleCredentialsAreTheLocalKeysInEc2sShape) {
  std::string t = Token();
  EXPECT_EQ(Get("/latest/meta-data/iam/security-credentials/", t).body, "lifeboat-local-instance");
  std::string body =
      Get("/latest/meta-data/iam/security-credentials/lifeboat-local-instance", t).body;
  EXPECT_EQ(body.rfind("{\n  \"Code\" : \"Success\",\n", 0), 0u) << body;
  auto creds = nlohmann::json::parse(body);
  EXPECT_EQ(creds["Type"], "AWS-HMAC");
  EXPECT_EQ(creds["AccessKeyId"], "test");
  EXPECT_EQ(creds["SecretAccessKey"], "secret");
  EXPECT_EQ(creds["Token"], "session");
  EXPECT_EQ(creds["Expiration"].get<std::string>().size(), 20u);  // 2024-01-01T00:00:00Z
}

TEST_F(ImdsServerTest, LifecycleStateSpotNoticeAndRebalanceChangeTheAnswers) {
  std::string t = Token();
  const std::string state = "/latest/meta-data/autoscaling/target-lifecycle-state";
  EXPECT_EQ(Get(state, t).body, "InService");
  server_.SetTargetLifecycleState("Terminated");
  EXPECT_EQ(Get(state, t).body, "Terminated");

  EXPECT_EQ(Get("/latest/meta-data/spot/instance-action", t).status, 404);
  EXPECT_EQ(Get("/latest/meta-data/events/recommendations/rebalance", t).status, 404);
  EXPECT_EQ(server_.InjectSpotNotice("explode").code(), StatusCode::kInvalidArgument);
  auto before = std::chrono::system_clock::now();
  ASSERT_TRUE(server_.InjectSpotNotice("terminate").ok());
  HttpResponse spot = Get("/latest/meta-data/spot/instance-action", t);
  ASSERT_EQ(spot.status, 200);
  auto notice = nlohmann::json::parse(spot.body);
  EXPECT_EQ(notice["action"], "terminate");
  // Two minutes, scaled by the time scale of 10: twelve seconds from now.
  EXPECT_EQ(notice["time"], Rfc3339(before + seconds(12)));
  EXPECT_EQ(Get("/latest/meta-data/spot/termination-time", t).body, Rfc3339(before + seconds(12)));

  server_.InjectRebalance();
  auto rebalance =
      nlohmann::json::parse(Get("/latest/meta-data/events/recommendations/rebalance", t).body);
  EXPECT_EQ(rebalance["noticeTime"].get<std::string>().size(), 20u);
}

TEST_F(ImdsServerTest, TokensOptionalServesImdsV1ButStillRefusesBadTokens) {
  ImdsServer v1(&env_, TestIdentity(), ImdsServerOptions{false, 1.0});
  ASSERT_TRUE(v1.Start().ok());
  HttpRequest get{"GET", v1.endpoint() + "latest/meta-data/instance-id", {}, "", {}};
  EXPECT_EQ(http_.Send(get)->status, 200);
  get.headers.Set("X-aws-ec2-metadata-token", "bogus");
  EXPECT_EQ(http_.Send(get)->status, 401);
}

TEST_F(ImdsServerTest, LifeboatsOwnImdsClientAndCredentialsProviderWork) {
  ImdsClient client(env_, http_);
  EXPECT_EQ(client.endpoint(), base_);
  EXPECT_EQ(*client.InstanceId(), "i-0123456789abcdef0");
  EXPECT_EQ(*client.Region(), "eu-west-1");
  EXPECT_EQ(*client.Get("meta-data/autoscaling/target-lifecycle-state"), "InService");
  ImdsCredentialsProvider provider(client);
  auto creds = provider.GetCredentials();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "test");
  EXPECT_EQ(creds->secret_access_key, "secret");
  EXPECT_EQ(creds->session_token, "session");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_GT(*creds->expiration, std::chrono::system_clock::now() + std::chrono::hours(5));
}

TEST(ImdsTokensTest, ParseTtl) {
  EXPECT_EQ(ImdsTokens::ParseTtl("1"), 1);
  EXPECT_EQ(ImdsTokens::ParseTtl("21600"), 21600);
  EXPECT_FALSE(ImdsTokens::ParseTtl("+5"));
  EXPECT_FALSE(ImdsTokens::ParseTtl(" 5"));
}

TEST(ImdsMetadataTest, NoGroupNoRoleNoUserDataMeansNoSuchEntries) {
  ImdsIdentity id = TestIdentity();
  id.group_name.clear();
  id.role_name.clear();
  id.user_data.clear();
  auto tree = MetadataTree(id, ImdsState{}, std::chrono::system_clock::now());
  EXPECT_FALSE(LookupMetadata(tree, "meta-data/autoscaling/target-lifecycle-state"));
  EXPECT_FALSE(LookupMetadata(tree, "meta-data/iam/"));
  EXPECT_FALSE(LookupMetadata(tree, "user-data"));
  EXPECT_EQ(*LookupMetadata(tree, ""), "dynamic/\nmeta-data/");
}

}  // namespace
}  // namespace lifeboat
