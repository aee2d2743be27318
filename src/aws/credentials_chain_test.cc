#include "aws/credentials_chain.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <thread>
#include <vector>

#include "fakes/fake_http_client.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// A source that answers whatever the test tells it to, counting calls.
class ScriptedProvider final : public CredentialsProvider {
 public:
  explicit ScriptedProvider(std::function<Result<Credentials>()> answer)
      : answer_(std::move(answer)) {}
  Result<Credentials> GetCredentials() override {
    ++calls_;
    return answer_();
  }
  int calls() const { return calls_; }

 private:
  std::function<Result<Credentials>()> answer_;
  std::atomic<int> calls_{0};
};

Credentials Creds(std::string id,
                  std::optional<std::chrono::system_clock::time_point> expiration = std::nullopt) {
  Credentials c;
  c.access_key_id = std::move(id);
  c.secret_access_key = "secret";
  c.expiration = expiration;
  c.source = "scripted";
  return c;
}

// Appends a scripted source to `links` and returns it for inspection (the chain owns it).
ScriptedProvider* Add(std::vector<ChainCredentialsProvider::Link>& links, std::string name,
                      std::function<Result<Credentials>()> answer) {
  auto provider = std::make_unique<ScriptedProvider>(std::move(answer));
  ScriptedProvider* raw = provider.get();
  links.push_back({std::move(name), std::move(provider)});
  return raw;
}

TEST(ChainCredentialsTest, FirstSourceWithCredentialsWinsAndLaterOnesAreNotAsked) {
  std::vector<ChainCredentialsProvider::Link> links;
  ScriptedProvider* missing = Add(links, "a", [] { return Status::NotFound("nothing"); });
  Add(links, "b", [] { return Creds("SECOND"); });
  ScriptedProvider* later = Add(links, "c", [] { return Creds("THIRD"); });
  ChainCredentialsProvider chain(std::move(links));
  auto creds = chain.GetCredentials();
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->access_key_id, "SECOND");
  EXPECT_EQ(missing->calls(), 1);
  EXPECT_EQ(later->calls(), 0);
}

TEST(ChainCredentialsTest, BrokenSourceStopsTheChainAndIsNamed) {
  std::vector<ChainCredentialsProvider::Link> links;
  Add(links, "profile", [] { return Status::InvalidArgument("bad file"); });
  ScriptedProvider* later = Add(links, "IMDS", [] { return Creds("LATER"); });
  ChainCredentialsProvider chain(std::move(links));
  auto creds = chain.GetCredentials();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(creds.status().message(), "profile credentials: bad file");
  EXPECT_EQ(later->calls(), 0);
}

class DefaultChainTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.SetVar("HOME", "/home/u"); }
  Result<Credentials> Get() {
    return MakeDefaultCredentialsProvider(env_, http_)->GetCredentials();
  }
  MemEnv env_;
  FakeHttpClient http_;
};

constexpr char kDocument[] =
    R"({"Code":"Success","AccessKeyId":"ASIA","SecretAccessKey":"s","Token":"t",)"
    R"("Expiration":"2015-08-30T18:36:00Z"})";

TEST_F(DefaultChainTest, OrderIsEnvironmentProfileContainerImds) {
  env_.SetFile("/home/u/.aws/credentials",
               "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = s\n");
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/creds");
  env_.SetVar("AWS_ACCESS_KEY_ID", "ENV");
  env_.SetVar("AWS_SECRET_ACCESS_KEY", "s");
  http_.SetHandler([](const HttpRequest& r) -> Result<HttpResponse> {
    if (r.url == "http://169.254.170.2/creds") return HttpResponse{200, {}, kDocument};
    if (r.method == "PUT") return HttpResponse{200, {}, "tok"};
    if (r.url.ends_with("/security-credentials/")) return HttpResponse{200, {}, "role"};
    return HttpResponse{200, {}, kDocument};
  });
  EXPECT_EQ(Get()->source, "environment");
  env_.SetVar("AWS_ACCESS_KEY_ID", "");
  env_.SetVar("AWS_SECRET_ACCESS_KEY", "");
  EXPECT_EQ(Get()->source, "profile default");
  EXPECT_TRUE(http_.requests().empty());
  env_.SetFile("/home/u/.aws/credentials", "");
  EXPECT_EQ(Get()->source, "container");
  env_.SetVar("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
  EXPECT_EQ(Get()->source, "imds role role");
}

TEST_F(DefaultChainTest, ProfileOverrideSelectsTheSharedFileProfile) {
  env_.SetFile("/home/u/.aws/credentials",
               "[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = s\n"
               "[ops]\naws_access_key_id = OPS\naws_secret_access_key = s\n");
  auto creds = MakeDefaultCredentialsProvider(env_, http_, std::string("ops"))->GetCredentials();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "OPS");
  EXPECT_EQ(creds->source, "profile ops");
}

TEST_F(DefaultChainTest, NothingFoundIsOneLineListingEverySource) {
  env_.SetVar("AWS_EC2_METADATA_DISABLED", "true");
  auto creds = Get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.status().code(), StatusCode::kNotFound);
  const std::string& m = creds.status().message();
  EXPECT_EQ(m.find('\n'), std::string::npos);
  EXPECT_EQ(m.rfind("no AWS credentials found; tried environment (", 0), 0u) << m;
  size_t env = m.find("environment ("), profile = m.find("; profile ("),
         container = m.find("; container ("), imds = m.find("; IMDS (");
  EXPECT_LT(env, profile);
  EXPECT_LT(profile, container);
  EXPECT_LT(container, imds);
  EXPECT_NE(imds, std::string::npos);
  EXPECT_NE(m.find("AWS_EC2_METADATA_DISABLED"), std::string::npos);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(DefaultChainTest, HalfConfiguredEnvironmentIsAnErrorNotSkipped) {
  env_.SetVar("AWS_ACCESS_KEY_ID", "ENV");
  env_.SetFile("/home/u/.aws/credentials",
               "[default]\naws_access_key_id = PROFILE\naws_secret_access_key = s\n");
  auto creds = Get();
  EXPECT_EQ(creds.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(creds.status().message(),
            "environment credentials: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

class CachingCredentialsTest : public ::testing::Test {
 protected:
  // The cache owns the scripted source; the test keeps a pointer to steer it.
  CachingCredentialsProvider MakeCache(std::function<Result<Credentials>()> answer) {
    auto source = std::make_unique<ScriptedProvider>(std::move(answer));
    source_ = source.get();
    return CachingCredentialsProvider(env_, std::move(source));
  }
  MemEnv env_;
  ScriptedProvider* source_ = nullptr;
};

TEST_F(CachingCredentialsTest, ServesCachedCredentialsUntilTheRefreshWindow) {
  int n = 0;
  CachingCredentialsProvider cache = MakeCache([&] {
    ++n;
    return Creds("KEY" + std::to_string(n), env_.Now() + minutes(60));
  });
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY1");
  env_.Advance(minutes(54));
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY1");
  EXPECT_EQ(source_->calls(), 1);
  env_.Advance(minutes(1) + seconds(1));  // now inside the last five minutes
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY2");
  EXPECT_EQ(source_->calls(), 2);
}

TEST_F(CachingCredentialsTest, LongTermCredentialsAreNeverRefreshed) {
  CachingCredentialsProvider cache = MakeCache([] { return Creds("LONG"); });
  ASSERT_TRUE(cache.GetCredentials().ok());
  env_.Advance(std::chrono::hours(24 * 365));
  ASSERT_TRUE(cache.GetCredentials().ok());
  EXPECT_EQ(source_->calls(), 1);
}

TEST_F(CachingCredentialsTest, FailedRefreshKeepsStillValidCredentialsThenRetries) {
  const auto expiry = env_.Now() + minutes(10);
  bool fail = false;
  CachingCredentialsProvider cache = MakeCache([&]() -> Result<Credentials> {
    if (fail) return Status::Unavailable("metadata service down");
    return Creds("OLD", expiry);
  });
  ASSERT_TRUE(cache.GetCredentials().ok());
  fail = true;
  env_.Advance(minutes(6));  // inside the refresh window, not yet expired
  auto creds = cache.GetCredentials();
  ASSERT_TRUE(creds.ok()) << creds.status().ToString();
  EXPECT_EQ(creds->access_key_id, "OLD");
  EXPECT_EQ(source_->calls(), 2);
  // Right after a failure the source is left alone for a while...
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  EXPECT_EQ(source_->calls(), 2);
  // ...then asked again.
  env_.Advance(seconds(11));
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "OLD");
  EXPECT_EQ(source_->calls(), 3);
  // Once they have expired, the failure is the answer.
  env_.Advance(minutes(4));
  auto expired = cache.GetCredentials();
  EXPECT_EQ(expired.status().code(), StatusCode::kUnavailable);
}

TEST_F(CachingCredentialsTest, ErrorsWithNothingCachedPropagate) {
  CachingCredentialsProvider cache = MakeCache([] { return Status::NotFound("none"); });
  EXPECT_EQ(cache.GetCredentials().status().code(), StatusCode::kNotFound);
  EXPECT_EQ(cache.GetCredentials().status().code(), StatusCode::kNotFound);
  EXPECT_EQ(source_->calls(), 2);
}

TEST_F(CachingCredentialsTest, ConcurrentCallersShareOneRefresh) {
  CachingCredentialsProvider cache = MakeCache([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a slow source
    return Creds("SHARED", env_.Now() + minutes(60));
  });
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ok += cache.GetCredentials().ok() ? 1 : 0; });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(source_->calls(), 1);
}

TEST_F(CachingCredentialsTest, CallersDuringARefreshGetTheStillValidCredentials) {
  std::atomic<bool> block{false};
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
  int n = 0;
  CachingCredentialsProvider cache = MakeCache([&] {
    if (block) {
      entered = true;
      // Bounded, so a broken cache that calls the source twice fails instead of hanging.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (!release && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
    }
    return Creds("KEY" + std::to_string(++n), env_.Now() + minutes(60));
  });
  ASSERT_TRUE(cache.GetCredentials().ok());
  env_.Advance(minutes(57));  // in the refresh window, still valid
  block = true;
  std::thread refresher([&] { EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY2"); });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!entered && std::chrono::steady_clock::now() < give_up) std::this_thread::yield();
  EXPECT_TRUE(entered) << "the refresh never reached the source";
  if (entered) {
    EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY1");  // does not wait for the refresh
  }
  release = true;
  refresher.join();
  EXPECT_EQ(cache.GetCredentials()->access_key_id, "KEY2");
}

}  // namespace
}  // namespace lifeboat
