#include "local/autoscaling/effect_queue.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace lifeboat {
namespace {

TEST(EffectQueueTest, InlineModeRunsEffectsInOrderOnDrain) {
  EffectQueue q;
  std::vector<int> seen;
  q.Post([&] { seen.push_back(1); });
  q.Post([&] { seen.push_back(2); });
  EXPECT_TRUE(seen.empty());
  q.Drain();
  EXPECT_EQ(seen, (std::vector<int>{1, 2}));
}

TEST(EffectQueueTest, AnEffectThatPostsAndDrainsDoesNotDeadlock) {
  EffectQueue q;
  std::vector<int> seen;
  q.Post([&] {
    seen.push_back(1);
    q.Post([&] { seen.push_back(3); });
    q.Drain();  // the outer drain runs it, after this effect
    seen.push_back(2);
  });
  q.Drain();
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
}

TEST(EffectQueueTest, ThreadedModeRunsEffectsInOrderOffTheCaller) {
  EffectQueue q;
  q.StartThread();
  std::mutex mu;
  std::vector<int> seen;
  const auto caller = std::this_thread::get_id();
  bool other_thread = true;
  for (int i = 0; i < 100; ++i) {
    q.Post([&, i] {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(i);
      other_thread = other_thread && std::this_thread::get_id() != caller;
    });
  }
  q.Drain();  // a no-op in threaded mode
  q.Stop();   // the worker runs what is queued before it stops
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], i);
  EXPECT_TRUE(other_thread);
}

TEST(EffectQueueTest, DestructionRunsWhatIsQueued) {
  int ran = 0;
  {
    EffectQueue q;
    q.StartThread();
    for (int i = 0; i < 10; ++i) q.Post([&] { ++ran; });
  }
  EXPECT_EQ(ran, 10);
}

}  // namespace
}  // namespace lifeboat
