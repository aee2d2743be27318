// `lifeboat demo`: the whole architecture on `lifeboat local`, a scale-in, and what it
// shows: every line stored and each instance released within a second or two, against the
// seed's design (with --compare-seed) holding every instance for the heartbeat timeout and
// losing lines. Writes DIR/timeline.svg and DIR/timeline.html.
#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "cli/cli_support.h"
#include "cli/executables.h"
#include "demo/demo_results.h"
#include "demo/demo_run.h"
#include "demo/demo_view.h"
#include "local_cli/local_commands.h"

namespace lifeboat {
namespace {

struct DemoFlags {
  DemoOptions options;
  bool json = false;
};

int RunDemoCommand(DemoFlags& f) {
  if (Status s = ValidateDemoOptions(f.options); !s.ok()) return Fail(s, kExitUsage);
  auto lifeboat = ProductionExecutable();
  if (!lifeboat.ok()) return Fail(lifeboat.status());
  f.options.lifeboat_binary = *lifeboat;
  f.options.local_binary = SelfExecutable();

  // Ctrl-C (or SIGTERM) stops the demo cleanly: everything it started is stopped.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::atomic<bool> interrupted{false};
  std::atomic<bool> finished{false};
  std::thread waiter([&] {
    timespec tick{0, 100 * 1000 * 1000};
    while (!finished) {
      if (sigtimedwait(&signals, nullptr, &tick) > 0) interrupted = true;
    }
  });

  DemoView view(stderr, ::isatty(STDERR_FILENO) != 0);
  auto outcome = RunDemo(f.options, interrupted, view);
  finished = true;
  waiter.join();
  if (!outcome.ok()) return Fail(outcome.status());

  bool lifeboat_ok = true;
  for (const InstanceResult& r : outcome->results) {
    if (r.mode != "seed" && (r.lines_lost > 0 || !r.verified)) lifeboat_ok = false;
  }
  if (f.json) {
    std::printf("%s\n", ResultsJson(outcome->results, outcome->requests).dump().c_str());
  } else {
    std::printf("\n%s\n", ResultsTable(outcome->results, outcome->requests).c_str());
    std::printf("timeline: %s and %s\n", outcome->svg_path.c_str(), outcome->html_path.c_str());
  }
  if (!lifeboat_ok) {
    return Fail(Status::DataLoss("a lifeboat design lost lines or did not verify"));
  }
  return kExitOk;
}

}  // namespace

Subcommand AddDemoCommand(CLI::App& root) {
  auto f = std::make_shared<DemoFlags>();
  CLI::App* cmd = root.add_subcommand("demo", LocalCommandSummary("demo"));
  cmd->add_option("--instances", f->options.instances, "Instances per design")
      ->capture_default_str();
  cmd->add_option("--scale-in", f->options.scale_in, "Instances each group scales in by")
      ->capture_default_str();
  cmd->add_flag("--compare-seed", f->options.compare_seed,
                "Also run the seed's design (EventBridge, Python Lambda, aws s3 cp)");
  cmd->add_option("--out", f->options.out_dir, "Where the timeline and the cloud's log go")
      ->capture_default_str();
  cmd->add_option("--time-scale", f->options.time_scale,
                  "lifeboat local's time scale: the 300 s heartbeat timeout lasts 300/X s")
      ->capture_default_str();
  cmd->add_option("--traffic", f->options.traffic_seconds,
                  "Seconds the application logs before the scale-in")
      ->capture_default_str();
  cmd->add_option("--lines-per-second", f->options.lines_per_second,
                  "Access-log lines each instance writes per second")
      ->capture_default_str();
  cmd->add_flag("--json", f->json, "Print the summary as one JSON object on stdout");
  return {cmd, [f] { return RunDemoCommand(*f); }};
}

}  // namespace lifeboat
