// DemoTimeline: what `lifeboat demo` saw of each instance, as plain data, and its two
// pictures: an SVG (DIR/timeline.svg) and a self-contained HTML page (DIR/timeline.html,
// the same SVG inline, a table of the figures, and a small script for hovering rows).
//
// One row per instance: its lifecycle states over time (Pending, InService,
// Terminating:Wait, Terminating:Proceed, Terminated), the moment of the scale-in decision,
// the evacuation (from the first byte shipped after the decision to the last), and its
// shipped bytes over time. Times are seconds since the demo started.
//
// Pure functions; safe from any thread.
#ifndef LIFEBOAT_DEMO_TIMELINE_H_
#define LIFEBOAT_DEMO_TIMELINE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lifeboat {

struct TimelineInterval {
  std::string state;  // "Pending", "InService", "Terminating:Wait", ...
  double start = 0;
  double end = 0;  // equal to the timeline's end while the state lasts
};

struct ShippedSample {
  double t = 0;
  uint64_t bytes = 0;  // raw bytes in the store so far
};

struct InstanceTimeline {
  std::string instance_id;
  std::string mode;                      // "lifeboat-agent", "lifeboat-controller" or "seed"
  std::vector<TimelineInterval> states;  // in time order, not overlapping
  std::optional<double> evacuation_start;
  std::optional<double> evacuation_end;
  std::optional<double> terminated_at;  // for instances that were scaled in
  std::vector<ShippedSample> shipped;   // in time order
  uint64_t bytes_written = 0;
  uint64_t bytes_stored = 0;  // compressed, as in the store
  uint64_t lines_written = 0;
  uint64_t lines_lost = 0;
  bool scaled_in = false;
};

struct DemoTimeline {
  std::string title;
  double end = 0;                     // seconds: the right edge
  std::optional<double> scale_in_at;  // the decision, a vertical line across all rows
  double heartbeat_timeout = 0;       // seconds as the demo ran them (scaled)
  std::vector<InstanceTimeline> instances;
};

// A standalone SVG document (with the XML declaration) naming every instance.
std::string RenderTimelineSvg(const DemoTimeline& timeline);
// A standalone HTML5 page: the SVG inline, one table row per instance
// (<tr class="instance-row" data-instance="i-...">), no external resources.
std::string RenderTimelineHtml(const DemoTimeline& timeline);

}  // namespace lifeboat

#endif  // LIFEBOAT_DEMO_TIMELINE_H_
