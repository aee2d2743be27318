#include "agent/termination_responder.h"

#include <gtest/gtest.h>

#include <fstream>

#include "agent/agent_daemon.h"
#include "fakes/fake_autoscaling.h"
#include "fakes/fake_sqs.h"
#include "fakes/temp_dir.h"
#include "ship/object_keys.h"
#include "ship/verification.h"
#include "ship/instance_index.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kInstance[] = "i-0123456789abcdef0";
constexpr char kQueue[] = "https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class TerminationResponderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Env* env = Env::Default();
    ASSERT_TRUE(env->CreateDirs(logs_).ok());
    std::ofstream(log_) << "first line\nsecond line\na partial last line";
    store_ = std::make_unique<FileObjectStore>(env, dir_.path() + "/store");
    auto checkpoint = CheckpointStore::Open(*Env::Default(), dir_.path() + "/state", "file:///store");
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    checkpoint_ = std::move(*checkpoint);
    DescribeAgentMetrics(metrics_);
    ShipperOptions o;
    o.instance_id = kInstance;
    o.tool = "test";
    o.sources = {{logs_ + "/*.log", {}}};
    o.max_backoff = milliseconds(50);
    shipper_ = std::make_unique<Shipper>(env, store_.get(), checkpoint_.get(), &metrics_, o, [] {});
    ASSERT_TRUE(shipper_->Start().ok());
    ASSERT_TRUE(shipper_->Step(true).ok());

    autoscaling_.SetHooks("web", {FakeAutoScaling::TerminateHook()});
    autoscaling_.SetInstance(kInstance, "web");
    sqs_.CreateQueue(kQueue);
    config_.enabled = true;
    config_.pre_stop = {"echo 'stopped by pre-stop' >> " + log_};
  }

  TerminationResponder Responder() {
    return TerminationResponder(Env::Default(), shipper_.get(), &autoscaling_, &sqs_, &metrics_,
                                config_, kInstance);
  }

  static TerminationSignal Signal(TerminationCause cause, std::string detail = "Terminated") {
    TerminationSignal s;
    s.cause = cause;
    s.source = "imds";
    s.detail = std::move(detail);
    s.noticed = s.wait_started = Env::Default()->SteadyNow();
    return s;
  }

  // The manifest is sealed and verify finds every chunk it names.
  void ExpectSealedAndVerified() {
    auto manifest = ReadManifest(store_.get(), kInstance);
    ASSERT_TRUE(manifest.ok()) << manifest.status().message();
    EXPECT_TRUE(manifest->sealed);
    auto report = VerifyInstance(store_.get(), kInstance, VerifyOptions{});
    ASSERT_TRUE(report.ok()) << report.status().message();
    EXPECT_TRUE(report->ok());
  }

  TempDir dir_;
  std::string logs_ = dir_.path() + "/logs";
  std::string log_ = logs_ + "/app.log";
  std::unique_ptr<FileObjectStore> store_;
  std::unique_ptr<CheckpointStore> checkpoint_;
  Metrics metrics_;
  std::unique_ptr<Shipper> shipper_;
  FakeAutoScaling autoscaling_;
  FakeSqs sqs_;
  LifecycleConfig config_;
  std::function<bool()> never_ = [] { return false; };
};

TEST_F(TerminationResponderTest, TerminateStopsTheAppShipsEverythingThenContinues) {
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kTerminate), never_).ok());
  // The pre-stop's line, written after the signal, is shipped before the completion.
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"),
            static_cast<double>(Slurp(log_).size()));
  EXPECT_NE(Slurp(log_).find("stopped by pre-stop"), std::string::npos);
  auto completions = autoscaling_.completions();
  ASSERT_EQ(completions.size(), 1u);
  EXPECT_EQ(completions[0].result, "CONTINUE");
  EXPECT_EQ(completions[0].action.group, "web");
  EXPECT_EQ(completions[0].action.hook, "lifeboat");
  EXPECT_EQ(completions[0].action.token, "") << "IMDS knows no token";
  EXPECT_EQ(completions[0].action.instance_id, kInstance);
  ExpectSealedAndVerified();
  EXPECT_EQ(metrics_.Value("lifeboat_termination_signals_total", {{"cause", "terminate"}}), 1);

  // The same action seen again (a later poll, a redelivered notice) is not completed twice.
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kTerminate), never_).ok());
  EXPECT_EQ(autoscaling_.completions().size(), 1u);
}

// The instance record is stored before the action is completed and names why it ended.
TEST_F(TerminationResponderTest, TheRecordNamesTheCauseBeforeTheInstanceIsReleased) {
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kSpotTerminate, "spot terminate"), never_).ok());
  auto record = ReadInstanceRecord(store_.get(), kInstance);
  ASSERT_TRUE(record.ok() && record->has_value());
  ASSERT_TRUE((*record)->cause.has_value());
  EXPECT_EQ(*(*record)->cause, EndCause::kSpot);
  EXPECT_TRUE((*record)->sealed);
  EXPECT_TRUE((*record)->terminated_at.has_value());
  EXPECT_EQ(responder.cause(), EndCause::kSpot);
}

// A rebalance notice only flushes: the record still says running, and the cause waits for
// the shutdown that may follow.
TEST_F(TerminationResponderTest, AfterARebalanceFlushTheInstanceStillRuns) {
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kRebalance, "rebalance"), never_).ok());
  auto record = ReadInstanceRecord(store_.get(), kInstance);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_TRUE((*record)->running());
  EXPECT_EQ(responder.cause(), EndCause::kRebalance);
}

TEST_F(TerminationResponderTest, AnSqsNoticeCompletesByTokenAndIsDeletedAfterwards) {
  TerminationResponder responder = Responder();
  sqs_.Send(kQueue, "{}");
  ReceiveMessageOptions receive;
  auto received = sqs_.ReceiveMessage(kQueue, receive);
  ASSERT_TRUE(received.ok() && received->size() == 1);
  TerminationSignal s = Signal(TerminationCause::kTerminate, "sqs notice");
  s.source = "sqs";
  s.notice = LifecycleNotice{};
  s.notice->instance_id = kInstance;
  s.notice->group = "web";
  s.notice->hook = "lifeboat";
  s.notice->token = "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28";
  s.notice->transition = std::string(kTerminatingTransition);
  s.queue_url = kQueue;
  s.receipt_handle = (*received)[0].receipt_handle;
  ASSERT_TRUE(responder.Handle(s, never_).ok());
  ASSERT_EQ(autoscaling_.completions().size(), 1u);
  EXPECT_EQ(autoscaling_.completions()[0].action.token, s.notice->token);
  EXPECT_TRUE(autoscaling_.calls(FakeAutoScaling::Op::kDescribeInstance).empty())
      << "the notice named the group";
  ASSERT_EQ(sqs_.deletes().size(), 1u);
  EXPECT_EQ(sqs_.deletes()[0].receipt_handle, s.receipt_handle);
  EXPECT_EQ(sqs_.Size(kQueue), 0u);
}

TEST_F(TerminationResponderTest, WarmPoolFlushShipsWithoutStoppingTheApp) {
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kWarmPool, "Warmed:Stopped"), never_).ok());
  EXPECT_EQ(Slurp(log_).find("stopped by pre-stop"), std::string::npos);
  ASSERT_EQ(autoscaling_.completions().size(), 1u);
  EXPECT_EQ(autoscaling_.completions()[0].result, "CONTINUE");
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"),
            static_cast<double>(Slurp(log_).size()));
}

TEST_F(TerminationResponderTest, WarmPoolIgnoreLeavesTheActionAlone) {
  config_.warm_pool = WarmPoolAction::kIgnore;
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kWarmPool, "Warmed:Stopped"), never_).ok());
  EXPECT_TRUE(autoscaling_.calls().empty());
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"), 0);
}

TEST_F(TerminationResponderTest, RebalanceAndSpotStopShipButHoldNothing) {
  TerminationResponder responder = Responder();
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kRebalance, "rebalance"), never_).ok());
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"),
            static_cast<double>(Slurp(log_).size()));
  std::ofstream(log_, std::ios::app) << "\nmore";
  ASSERT_TRUE(responder.Handle(Signal(TerminationCause::kSpotStop, "spot stop"), never_).ok());
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"),
            static_cast<double>(Slurp(log_).size()));
  EXPECT_TRUE(autoscaling_.calls().empty());
  EXPECT_EQ(Slurp(log_).find("stopped by pre-stop"), std::string::npos);
}

TEST_F(TerminationResponderTest, WithoutATerminateHookTheLogsStillGo) {
  autoscaling_.SetHooks("web", {});
  TerminationResponder responder = Responder();
  ASSERT_TRUE(
      responder.Handle(Signal(TerminationCause::kSpotTerminate, "spot terminate"), never_).ok());
  EXPECT_TRUE(autoscaling_.completions().empty());
  EXPECT_NE(Slurp(log_).find("stopped by pre-stop"), std::string::npos);
  EXPECT_EQ(metrics_.Value("lifeboat_bytes_shipped_total"),
            static_cast<double>(Slurp(log_).size()));
}

TEST_F(TerminationResponderTest, ASecondSignalAbandonsTheEvacuation) {
  TerminationResponder responder = Responder();
  Status s = responder.Handle(Signal(TerminationCause::kTerminate), [] { return true; });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  ASSERT_EQ(autoscaling_.completions().size(), 1u);
  EXPECT_EQ(autoscaling_.completions()[0].result, "ABANDON") << "logs may be missing";
}

}  // namespace
}  // namespace lifeboat
