#include "lifecycle/termination_watch.h"

#include <gtest/gtest.h>

#include <map>
#include <mutex>

#include "fakes/fake_http_client.h"
#include "fakes/fake_sqs.h"
#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

constexpr char kInstance[] = "i-0123456789abcdef0";
constexpr char kQueue[] = "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle";

// An IMDSv2 service whose metadata paths a test sets; unset paths answer 404.
class FakeImds {
 public:
  explicit FakeImds(FakeHttpClient& http) {
    http.SetHandler([this](const HttpRequest& r) -> Result<HttpResponse> {
      if (r.method == "PUT") return HttpResponse{200, {}, "token"};
      std::lock_guard lock(mu_);
      const std::string path = r.url.substr(r.url.find("/latest/") + 8);
      auto it = paths_.find(path);
      if (it == paths_.end()) return HttpResponse{404, {}, "Not Found"};
      return HttpResponse{200, {}, it->second};
    });
  }
  void Set(const std::string& path, std::string value) {
    std::lock_guard lock(mu_);
    paths_[path] = std::move(value);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> paths_;
};

class ImdsTerminationWatchTest : public ::testing::Test {
 protected:
  ImdsTerminationWatchTest() : imds_(http_), client_(env_, http_) {}
  MemEnv env_;
  FakeHttpClient http_;
  FakeImds imds_;
  ImdsClient client_;
};

TEST_F(ImdsTerminationWatchTest, TheTargetStateTerminatedIsReportedOnce) {
  ImdsTerminationWatch watch(client_, env_, {});
  EXPECT_TRUE(watch.Check().empty()) << "outside a group: 404, nothing to say";
  imds_.Set("meta-data/autoscaling/target-lifecycle-state", "InService\n");
  EXPECT_TRUE(watch.Check().empty());
  env_.Advance(milliseconds(5000));
  const SteadyTime previous_poll = env_.SteadyNow();
  env_.Advance(milliseconds(5000));
  imds_.Set("meta-data/autoscaling/target-lifecycle-state", "Terminated");
  auto signals = watch.Check();
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0].cause, TerminationCause::kTerminate);
  EXPECT_EQ(signals[0].source, "imds");
  EXPECT_EQ(signals[0].detail, "Terminated");
  EXPECT_TRUE(signals[0].holds_lifecycle_action());
  EXPECT_EQ(signals[0].noticed, env_.SteadyNow());
  // The group decided after the previous poll: the wait can have begun no earlier.
  EXPECT_EQ(signals[0].wait_started, previous_poll);
  EXPECT_TRUE(watch.Check().empty()) << "the same state is not news";
}

TEST_F(ImdsTerminationWatchTest, AWarmPoolTargetIsItsOwnCause) {
  ImdsTerminationWatch watch(client_, env_, {});
  imds_.Set("meta-data/autoscaling/target-lifecycle-state", "Warmed:Stopped");
  auto signals = watch.Check();
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0].cause, TerminationCause::kWarmPool);
  EXPECT_EQ(signals[0].detail, "Warmed:Stopped");
}

TEST_F(ImdsTerminationWatchTest, SpotNoticesAndRebalanceRecommendations) {
  ImdsTerminationWatch watch(client_, env_, {});
  imds_.Set("meta-data/events/recommendations/rebalance",
            R"({"noticeTime": "2026-12-01T08:22:00Z"})");
  auto rebalance = watch.Check();
  ASSERT_EQ(rebalance.size(), 1u);
  EXPECT_EQ(rebalance[0].cause, TerminationCause::kRebalance);
  EXPECT_NE(rebalance[0].detail.find("2026-12-01T08:22:00Z"), std::string::npos);
  EXPECT_FALSE(rebalance[0].holds_lifecycle_action());
  EXPECT_TRUE(watch.Check().empty()) << "a recommendation is reported once";

  imds_.Set("meta-data/spot/instance-action",
            R"({"action": "stop", "time": "2026-12-01T08:24:00Z"})");
  auto stop = watch.Check();
  ASSERT_EQ(stop.size(), 1u);
  EXPECT_EQ(stop[0].cause, TerminationCause::kSpotStop);
  imds_.Set("meta-data/spot/instance-action",
            R"({"action": "terminate", "time": "2026-12-01T08:26:00Z"})");
  auto terminate = watch.Check();
  ASSERT_EQ(terminate.size(), 1u);
  EXPECT_EQ(terminate[0].cause, TerminationCause::kSpotTerminate);
  EXPECT_EQ(terminate[0].detail, "spot terminate at 2026-12-01T08:26:00Z");
}

TEST_F(ImdsTerminationWatchTest, OnlyTheConfiguredPathsArePolled) {
  ImdsWatchOptions options;
  options.spot = false;
  options.rebalance = false;
  ImdsTerminationWatch watch(client_, env_, options);
  imds_.Set("meta-data/spot/instance-action", R"({"action": "terminate", "time": "x"})");
  EXPECT_TRUE(watch.Check().empty());
  for (const auto& r : http_.requests()) {
    EXPECT_EQ(r.url.find("spot"), std::string::npos) << r.url;
    EXPECT_EQ(r.url.find("rebalance"), std::string::npos) << r.url;
  }
}

TEST_F(ImdsTerminationWatchTest, AnUnreachableServiceIsNotASignal) {
  FakeHttpClient down;
  down.SetHandler([](const HttpRequest&) -> Result<HttpResponse> {
    return Status::Unavailable("connection refused");
  });
  ImdsClient client(env_, down);
  ImdsTerminationWatch watch(client, env_, {});
  EXPECT_TRUE(watch.Check().empty());
  EXPECT_TRUE(watch.Check().empty());
}

std::string DirectNotice(const std::string& instance, const std::string& token,
                         const std::string& destination = "EC2") {
  return R"({"Origin": "AutoScalingGroup", "LifecycleHookName": "lifeboat", "Destination": ")" +
         destination + R"(", "LifecycleTransition": "autoscaling:EC2_INSTANCE_TERMINATING",
             "AutoScalingGroupName": "web", "Service": "AWS Auto Scaling",
             "Time": "2026-12-01T08:00:00.000Z", "EC2InstanceId": ")" +
         instance + R"(", "LifecycleActionToken": ")" + token + R"("})";
}

class SqsTerminationWatchTest : public ::testing::Test {
 protected:
  SqsTerminationWatchTest() { sqs_.CreateQueue(kQueue); }
  SqsTerminationWatch Watch() {
    SqsWatchOptions options;
    options.queue_url = kQueue;
    return SqsTerminationWatch(sqs_, env_, kInstance, options);
  }
  MemEnv env_;
  FakeSqs sqs_;
};

TEST_F(SqsTerminationWatchTest, HandsOverThisInstancesNoticeWithItsReceiptHandle) {
  auto watch = Watch();
  sqs_.Send(kQueue, DirectNotice(kInstance, "tok-1"));
  auto signals = watch.Check();
  ASSERT_EQ(signals.size(), 1u);
  const TerminationSignal& s = signals[0];
  EXPECT_EQ(s.cause, TerminationCause::kTerminate);
  EXPECT_EQ(s.source, "sqs");
  ASSERT_TRUE(s.notice.has_value());
  EXPECT_EQ(s.notice->token, "tok-1");
  EXPECT_EQ(s.queue_url, kQueue);
  EXPECT_FALSE(s.receipt_handle.empty());
  EXPECT_TRUE(sqs_.deletes().empty()) << "deleted only once the action is completed";
  EXPECT_EQ(sqs_.Size(kQueue), 1u);
}

TEST_F(SqsTerminationWatchTest, OthersNoticesGoBackAtOnceAndTestNotificationsAreDeleted) {
  auto watch = Watch();
  sqs_.Send(kQueue, DirectNotice("i-0fffffffffffffff0", "tok-2"));
  sqs_.Send(kQueue, R"({"AccountId": "1", "AutoScalingGroupName": "web",
                        "Service": "AWS Auto Scaling", "Event": "autoscaling:TEST_NOTIFICATION",
                        "Time": "2026-12-01T08:00:00Z"})");
  sqs_.Send(kQueue, "not a notice at all");
  EXPECT_TRUE(watch.Check().empty());
  ASSERT_EQ(sqs_.visibility_changes().size(), 1u);
  EXPECT_EQ(sqs_.visibility_changes()[0].seconds, 0);
  ASSERT_EQ(sqs_.deletes().size(), 1u);
  EXPECT_EQ(sqs_.Size(kQueue), 2u) << "the other instance's notice and the garbage stay";
}

TEST_F(SqsTerminationWatchTest, AWarmPoolNoticeIsAWarmPoolSignal) {
  auto watch = Watch();
  sqs_.Send(kQueue, DirectNotice(kInstance, "tok-3", "WarmPool"));
  auto signals = watch.Check();
  ASSERT_EQ(signals.size(), 1u);
  EXPECT_EQ(signals[0].cause, TerminationCause::kWarmPool);
}

TEST_F(SqsTerminationWatchTest, AQueueErrorPausesTheWatch) {
  auto watch = Watch();
  sqs_.FailNext(FakeSqs::Op::kReceive, Status::Unavailable("connection refused"));
  EXPECT_TRUE(watch.Check().empty());
  EXPECT_GT(watch.interval().count(), 0);
  sqs_.Send(kQueue, DirectNotice(kInstance, "tok-4"));
  EXPECT_EQ(watch.Check().size(), 1u);
  EXPECT_EQ(watch.interval().count(), 0);
}

}  // namespace
}  // namespace lifeboat
