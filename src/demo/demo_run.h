// RunDemo: the whole architecture on `lifeboat local`, a scale-in, and its measured result.
//
//   start lifeboat local (a child process, state in a temporary directory)
//   -> deploy lifeboat's two designs (and the seed's, with compare_seed) through the API
//   -> let the sample application run -> scale every group in by `scale_in`
//   -> wait until the scaled-in instances are Terminated -> measure each of them
//   -> write DIR/timeline.svg and DIR/timeline.html -> stop everything it started
//
// Everything started is stopped on every path out, an interruption included.
#ifndef LIFEBOAT_DEMO_DEMO_RUN_H_
#define LIFEBOAT_DEMO_DEMO_RUN_H_

#include <atomic>
#include <string>
#include <vector>

#include "common/status.h"
#include "demo/demo_results.h"
#include "demo/demo_view.h"

namespace lifeboat {

struct DemoOptions {
  int instances = 3;  // per design
  int scale_in = 2;   // per design
  bool compare_seed = false;
  std::string out_dir = "demo-out";
  double time_scale = 60;
  int heartbeat_timeout = 300;
  double traffic_seconds = 4;
  double lines_per_second = 50;
  std::string lifeboat_binary;  // the production lifeboat: the controller function runs it
  std::string local_binary;     // lifeboat-local (this executable): runs `local`
};

struct DemoOutcome {
  std::vector<InstanceResult> results;  // the scaled-in instances
  DesignRequests requests;              // S3 write requests by design
  std::string svg_path;
  std::string html_path;
};

// Checks the options; kInvalidArgument naming the one that is wrong.
Status ValidateDemoOptions(const DemoOptions& options);

Result<DemoOutcome> RunDemo(const DemoOptions& options, const std::atomic<bool>& interrupted,
                            DemoView& view);

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_RUN_H_
