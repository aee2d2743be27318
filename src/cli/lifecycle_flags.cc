#include "cli/lifecycle_flags.h"

#include <CLI/CLI.hpp>

#include "common/units.h"

namespace lifeboat {
namespace {

Result<std::chrono::milliseconds> FlagDuration(const std::string& text, const char* flag,
                                               bool auto_ok) {
  if (auto_ok && text == kAuto) return std::chrono::milliseconds(0);
  auto d = ParseDuration(text);
  if (!d.ok()) return d.status().WithContext(flag);
  if (d->count() < 0) return Status::InvalidArgument(std::string(flag) + " must not be negative");
  return *d;
}

}  // namespace

void LifecycleFlags::AddTo(CLI::App* app) {
  app->add_flag(
      "--complete-lifecycle", complete,
      "After every log is stored, complete the instance's lifecycle action (CONTINUE; "
      "the --on-failure result if not everything could be stored), heartbeating meanwhile");
  app->add_option("--asg", group, "Auto Scaling group of the action; auto: the instance's own")
      ->capture_default_str();
  app->add_option("--hook", hook, "Lifecycle hook; auto: the group's only terminate hook")
      ->capture_default_str();
  app->add_option("--token", token, "LifecycleActionToken; empty: complete by instance id");
  app->add_option("--on-failure", on_failure,
                  "ABANDON or CONTINUE when logs could not all be stored")
      ->capture_default_str();
  // One command per occurrence: a vector option would otherwise swallow the paths after it.
  app->add_option("--pre-stop", pre_stop,
                  "Command run (sh -c) before shipping, e.g. 'systemctl stop php-fpm'; repeatable")
      ->allow_extra_args(false);
  // The defaults are LifecycleConfig's, shown here and applied in ToConfig when unset.
  app->add_option("--pre-stop-timeout", pre_stop_timeout, "Limit for each pre-stop command")
      ->default_str(FormatDuration(LifecycleConfig{}.pre_stop_timeout));
  app->add_option("--heartbeat-interval", heartbeat_interval,
                  "Between lifecycle heartbeats; auto: a third of the hook's heartbeat timeout")
      ->capture_default_str();
  app->add_option("--stall-timeout", stall_timeout,
                  "Give up holding the instance when no byte moved this long (0: never)")
      ->default_str(FormatDuration(HeartbeatOptions{}.stall_timeout));
  app->add_option("--time-scale", time_scale,
                  "lifeboat local's --time-scale, which divides the hook's timeouts; 1 on AWS")
      ->capture_default_str();
}

Result<LifecycleConfig> LifecycleFlags::ToConfig() const {
  LifecycleConfig c;
  c.enabled = complete;
  c.group = group.empty() ? std::string(kAuto) : group;
  c.hook = hook.empty() ? std::string(kAuto) : hook;
  for (const auto& command : pre_stop) {
    if (!command.empty()) c.pre_stop.push_back(command);
  }
  if (!pre_stop_timeout.empty()) {
    LIFEBOAT_ASSIGN_OR_RETURN(c.pre_stop_timeout,
                              FlagDuration(pre_stop_timeout, "--pre-stop-timeout", false));
    if (c.pre_stop_timeout.count() == 0) {
      return Status::InvalidArgument("--pre-stop-timeout must be longer than 0");
    }
  }
  auto result = ParseLifecycleResult(on_failure);
  if (!result.ok()) return result.status().WithContext("--on-failure");
  c.keeper.on_failure = *result;
  LIFEBOAT_ASSIGN_OR_RETURN(c.keeper.heartbeat.interval,
                            FlagDuration(heartbeat_interval, "--heartbeat-interval", true));
  if (!stall_timeout.empty()) {
    LIFEBOAT_ASSIGN_OR_RETURN(c.keeper.heartbeat.stall_timeout,
                              FlagDuration(stall_timeout, "--stall-timeout", false));
  }
  LIFEBOAT_ASSIGN_OR_RETURN(c.time_scale, ParseTimeScale(time_scale, "--time-scale"));
  return c;
}

}  // namespace lifeboat
