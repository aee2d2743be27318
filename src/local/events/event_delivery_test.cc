#include "local/events/event_delivery.h"

#include <gtest/gtest.h>

#include <thread>

#include "local/events/fake_event_invoker.h"

namespace lifeboat {
namespace {

DeliveryRetryPolicy Quick(int max_attempts) {
  DeliveryRetryPolicy policy;
  policy.max_attempts = max_attempts;
  policy.backoff = {std::chrono::milliseconds(1), std::chrono::milliseconds(5)};
  return policy;
}

TEST(EventDeliveryTest, RetriesUntilTheTargetAcceptsThenDeliversOnce) {
  FakeEventInvoker invoker(/*failures_first=*/3);
  EventDelivery delivery(&invoker, Quick(10));
  delivery.Enqueue("arn:aws:sqs:us-east-1:000000000000:q", "{\"n\":1}");
  auto delivered = invoker.WaitFor(1);
  ASSERT_EQ(delivered.size(), 1u);
  EXPECT_EQ(delivered[0].first, "arn:aws:sqs:us-east-1:000000000000:q");
  EXPECT_EQ(delivered[0].second, "{\"n\":1}");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(invoker.WaitFor(2, std::chrono::milliseconds(0)).size(), 1u);  // exactly once
  EXPECT_EQ(invoker.attempts(), 4);
}

TEST(EventDeliveryTest, GivesUpAfterTheLastAttempt) {
  FakeEventInvoker invoker(/*failures_first=*/100);
  EventDelivery delivery(&invoker, Quick(4));
  delivery.Enqueue("arn:aws:sqs:us-east-1:000000000000:q", "x");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(invoker.attempts(), 4);
  EXPECT_TRUE(invoker.WaitFor(1, std::chrono::milliseconds(0)).empty());
}

TEST(EventDeliveryTest, GivesUpWhenTheEventIsTooOld) {
  FakeEventInvoker invoker(/*failures_first=*/100);
  DeliveryRetryPolicy policy = Quick(1000);
  policy.max_age = std::chrono::milliseconds(30);
  EventDelivery delivery(&invoker, policy);
  delivery.Enqueue("arn:aws:sqs:us-east-1:000000000000:q", "x");
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  int attempts = invoker.attempts();
  EXPECT_GT(attempts, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(invoker.attempts(), attempts);  // stopped
}

// A slow target must not hold up the caller: Enqueue only queues.
class SlowInvoker final : public EventTargetInvoker {
 public:
  Status Deliver(const std::string&, const std::string&) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return Status::Ok();
  }
};

TEST(EventDeliveryTest, EnqueueNeverWaitsForTheTarget) {
  SlowInvoker invoker;
  EventDelivery delivery(&invoker, Quick(3));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i)
    delivery.Enqueue("arn:aws:lambda:us-east-1:000000000000:function:f", "x");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace lifeboat
