// What the demo measured of each scaled-in instance, from outside: what the application
// wrote (the files in the instance's root, which lifeboat local keeps after termination)
// against what the store holds (lifeboat's chunks rebuilt through the manifest, or the
// seed's copied object), and how long the instance was held.
#ifndef LIFEBOAT_DEMO_DEMO_RESULTS_H_
#define LIFEBOAT_DEMO_DEMO_RESULTS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "demo/demo_designs.h"
#include "demo/timeline.h"
#include "store/object_store.h"

namespace lifeboat {

struct InstanceResult {
  std::string id;
  std::string mode;
  uint64_t bytes_written = 0;
  uint64_t bytes_stored = 0;  // compressed, as stored
  uint64_t lines_written = 0;
  uint64_t lines_lost = 0;            // written but not in the store
  double seconds_to_terminated = -1;  // from the scale-in decision
  double seconds_held = 0;            // in Terminating:Wait
  bool verified = false;              // lifeboat's designs: every chunk checked
};

// Measures one instance. `root` is its directory on the host.
Result<InstanceResult> MeasureInstance(const DemoDesign& design, ObjectStore* store,
                                       const std::string& root, const InstanceTimeline& timeline,
                                       std::optional<double> scale_in_at);

// Lines of a log: its newlines, plus one for a last line without one.
uint64_t CountLines(std::string_view text);
// Lines of `written` that `stored` lacks: all of them when `stored` is not a prefix.
uint64_t LinesLost(std::string_view written, std::string_view stored);

// S3 write requests each design made (by mode), as lifeboat local counted them.
using DesignRequests = std::map<std::string, uint64_t>;

// {"instances": [...], "totals": {mode: {...}}}: one object per scaled-in instance.
nlohmann::json ResultsJson(const std::vector<InstanceResult>& results,
                           const DesignRequests& requests = {});
// The summary table, one row per design, for a terminal.
std::string ResultsTable(const std::vector<InstanceResult>& results,
                         const DesignRequests& requests = {});

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_DEMO_RESULTS_H_
