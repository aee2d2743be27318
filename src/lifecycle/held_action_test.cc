#include "lifecycle/held_action.h"

#include <gtest/gtest.h>

#include "fakes/fake_autoscaling.h"
#include "lifecycle/lifecycle_notice.h"

namespace lifeboat {
namespace {

using std::chrono::milliseconds;
using Op = FakeAutoScaling::Op;

constexpr char kInstance[] = "i-0123456789abcdef0";
const SteadyTime kNow{std::chrono::seconds(500)};

LifecycleHookInfo Hook(std::string name, std::string_view transition, int heartbeat,
                       int global = 0) {
  LifecycleHookInfo h;
  h.name = std::move(name);
  h.group = "web";
  h.transition = std::string(transition);
  h.default_result = "CONTINUE";
  h.heartbeat_timeout = heartbeat;
  h.global_timeout = global;
  return h;
}

TEST(HeldActionTest, AutoFindsTheInstancesGroupAndItsOnlyTerminateHook) {
  FakeAutoScaling api;
  api.SetInstance(kInstance, "web");
  api.SetHooks("web", {Hook("warm-up", kLaunchingTransition, 60),
                       Hook("lifeboat", kTerminatingTransition, 300, 30000)});
  auto held = ResolveHeldAction(api, {kInstance}, kNow);
  ASSERT_TRUE(held.ok()) << held.status().message();
  ASSERT_TRUE(held->has_value());
  const HeldAction& a = **held;
  EXPECT_EQ(a.ref.group, "web");
  EXPECT_EQ(a.ref.hook, "lifeboat");
  EXPECT_EQ(a.ref.instance_id, kInstance);
  EXPECT_EQ(a.ref.token, "");
  EXPECT_EQ(a.heartbeat_timeout, milliseconds(300000));
  EXPECT_EQ(a.global_timeout, milliseconds(30000000));
  EXPECT_EQ(a.default_result, "CONTINUE");
  EXPECT_EQ(a.wait_started, kNow);
  EXPECT_EQ(a.Describe(), "web/lifeboat for i-0123456789abcdef0");
}

TEST(HeldActionTest, NamedGroupAndHookAreUsedAsGivenWithTheToken) {
  FakeAutoScaling api;
  api.SetHooks("web",
               {Hook("one", kTerminatingTransition, 60), Hook("two", kTerminatingTransition, 120)});
  LifecycleTarget target{kInstance, "web", "two", "tok-1"};
  auto held = ResolveHeldAction(api, target, kNow);
  ASSERT_TRUE(held.ok()) << held.status().message();
  ASSERT_TRUE(held->has_value());
  EXPECT_EQ((*held)->ref.hook, "two");
  EXPECT_EQ((*held)->ref.token, "tok-1");
  EXPECT_EQ((*held)->heartbeat_timeout, milliseconds(120000));
  // Without GlobalTimeout in the answer: min(100 x heartbeat timeout, 48 h).
  EXPECT_EQ((*held)->global_timeout, milliseconds(12000000));
  EXPECT_TRUE(api.calls(Op::kDescribeInstance).empty()) << "the group was named";
}

TEST(HeldActionTest, TheTimeScaleShortensTheTimeouts) {
  FakeAutoScaling api;
  api.SetHooks("web", {Hook("lifeboat", kTerminatingTransition, 300, 30000)});
  LifecycleTarget target{kInstance, "web", "auto", "", 60};
  auto held = ResolveHeldAction(api, target, kNow);
  ASSERT_TRUE(held.ok() && held->has_value());
  EXPECT_EQ((*held)->heartbeat_timeout, milliseconds(5000));
  EXPECT_EQ((*held)->global_timeout, milliseconds(500000));
}

TEST(HeldActionTest, NothingToHoldOutsideAGroupOrWithoutATerminateHook) {
  FakeAutoScaling api;
  auto outside = ResolveHeldAction(api, {kInstance}, kNow);
  ASSERT_TRUE(outside.ok()) << outside.status().message();
  EXPECT_FALSE(outside->has_value());

  api.SetInstance(kInstance, "web");
  api.SetHooks("web", {Hook("warm-up", kLaunchingTransition, 60)});
  auto no_hook = ResolveHeldAction(api, {kInstance}, kNow);
  ASSERT_TRUE(no_hook.ok()) << no_hook.status().message();
  EXPECT_FALSE(no_hook->has_value());
}

TEST(HeldActionTest, AmbiguousOrMissingHooksAreErrorsThatSayWhatToDo) {
  FakeAutoScaling api;
  api.SetInstance(kInstance, "web");
  api.SetHooks("web",
               {Hook("one", kTerminatingTransition, 60), Hook("two", kTerminatingTransition, 60)});
  auto two = ResolveHeldAction(api, {kInstance}, kNow);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("2 terminate lifecycle hooks"), std::string::npos);
  EXPECT_NE(two.status().message().find("name the one"), std::string::npos);

  auto missing = ResolveHeldAction(api, {kInstance, "web", "three"}, kNow);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no lifecycle hook named three"), std::string::npos);

  api.FailNext(Op::kDescribeHooks, Status::Unavailable("connection refused"));
  auto down = ResolveHeldAction(api, {kInstance}, kNow);
  EXPECT_EQ(down.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace lifeboat
