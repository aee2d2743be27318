#include "demo/demo_results.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "common/units.h"
#include "demo/demo_workload.h"
#include "ship/restore.h"
#include "ship/verification.h"

namespace lifeboat {
namespace {

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double HeldSeconds(const InstanceTimeline& t) {
  double held = 0;
  for (const auto& s : t.states) {
    if (s.state == "Terminating:Wait") held += s.end - s.start;
  }
  return held;
}

}  // namespace

uint64_t CountLines(std::string_view text) {
  uint64_t n = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

uint64_t LinesLost(std::string_view written, std::string_view stored) {
  if (stored.size() > written.size() || written.substr(0, stored.size()) != stored) {
    return CountLines(written);
  }
  // A stored part-line counts as lost: the line is not whole in the store.
  const uint64_t whole = static_cast<uint64_t>(std::count(stored.begin(), stored.end(), '\n'));
  return CountLines(written) - whole;
}

Result<InstanceResult> MeasureInstance(const DemoDesign& design, ObjectStore* store,
                                       const std::string& root, const InstanceTimeline& timeline,
                                       std::optional<double> scale_in_at) {
  InstanceResult r;
  r.id = timeline.instance_id;
  r.mode = design.mode;
  r.seconds_held = HeldSeconds(timeline);
  if (scale_in_at && timeline.terminated_at) {
    r.seconds_to_terminated = *timeline.terminated_at - *scale_in_at;
  }
  std::optional<Manifest> manifest;
  if (design.lifeboat()) {
    auto m = ReadManifest(store, r.id);
    if (m.ok()) {
      manifest = std::move(*m);
      r.bytes_stored = manifest->stored_bytes();
      auto report = VerifyInstance(store, r.id, VerifyOptions{});
      r.verified = report.ok() && report->ok();
    }
  }
  for (const std::string& path : WorkloadLogs()) {
    const std::string written = ReadFileOrEmpty(root + path);
    std::string stored;
    if (design.lifeboat()) {
      if (manifest) {
        Status s = RestoreFile(store, *manifest, path, [&](std::string_view bytes) {
          stored.append(bytes);
          return Status::Ok();
        });
        if (!s.ok() && s.code() != StatusCode::kNotFound) return s.WithContext(r.id + path);
      }
    } else if (path == kErrorLog) {  // the seed copies this one file
      auto object = store->Get(r.id + "/error.log");
      if (object.ok()) {
        stored = std::move(*object);
        r.bytes_stored += stored.size();
      }
    }
    r.bytes_written += written.size();
    r.lines_written += CountLines(written);
    r.lines_lost += LinesLost(written, stored);
  }
  return r;
}

nlohmann::json ResultsJson(const std::vector<InstanceResult>& results,
                           const DesignRequests& requests) {
  nlohmann::json instances = nlohmann::json::array();
  std::map<std::string, nlohmann::json> totals;
  for (const auto& r : results) {
    instances.push_back({{"id", r.id},
                         {"mode", r.mode},
                         {"bytes_written", r.bytes_written},
                         {"bytes_stored", r.bytes_stored},
                         {"lines_written", r.lines_written},
                         {"lines_lost", r.lines_lost},
                         {"seconds_to_terminated", r.seconds_to_terminated},
                         {"seconds_held", r.seconds_held},
                         {"verified", r.verified}});
    auto& t = totals[r.mode];
    if (t.is_null()) {
      t = {{"instances", 0},     {"bytes_written", 0}, {"bytes_stored", 0},
           {"lines_written", 0}, {"lines_lost", 0},    {"max_seconds_to_terminated", 0.0}};
    }
    t["instances"] = t["instances"].get<int>() + 1;
    const std::pair<const char*, uint64_t> sums[] = {{"bytes_written", r.bytes_written},
                                                     {"bytes_stored", r.bytes_stored},
                                                     {"lines_written", r.lines_written},
                                                     {"lines_lost", r.lines_lost}};
    for (const auto& [key, value] : sums) t[key] = t[key].get<uint64_t>() + value;
    t["max_seconds_to_terminated"] =
        std::max(t["max_seconds_to_terminated"].get<double>(), r.seconds_to_terminated);
  }
  for (const auto& [mode, n] : requests) {
    if (totals.count(mode)) totals[mode]["s3_write_requests"] = n;
  }
  return {{"instances", instances}, {"totals", totals}};
}

std::string ResultsTable(const std::vector<InstanceResult>& results,
                         const DesignRequests& requests) {
  struct Row {
    int instances = 0;
    uint64_t written = 0, stored = 0, lines = 0, lost = 0;
    double held = 0, slowest = 0;
  };
  std::vector<std::string> order;
  std::map<std::string, Row> rows;
  for (const auto& r : results) {
    if (!rows.count(r.mode)) order.push_back(r.mode);
    Row& row = rows[r.mode];
    ++row.instances;
    row.written += r.bytes_written;
    row.stored += r.bytes_stored;
    row.lines += r.lines_written;
    row.lost += r.lines_lost;
    row.held = std::max(row.held, r.seconds_held);
    row.slowest = std::max(row.slowest, r.seconds_to_terminated);
  }
  // Every scaled-in instance, then the designs side by side.
  std::string out = fmt::format("{:<21} {:<20} {:>13} {:>12} {:>6} {:>13} {:>10} {:>17}\n",
                                "instance", "design", "bytes written", "bytes stored", "ratio",
                                "lines written", "lines lost", "to Terminated");
  for (const auto& r : results) {
    const std::string ratio = r.mode == "seed" || r.bytes_stored == 0
                                  ? "-"
                                  : fmt::format("{:.1f}x", static_cast<double>(r.bytes_written) /
                                                               static_cast<double>(r.bytes_stored));
    out += fmt::format("{:<21} {:<20} {:>13} {:>12} {:>6} {:>13} {:>10} {:>16.2f}s\n", r.id, r.mode,
                       FormatBytes(r.bytes_written), FormatBytes(r.bytes_stored), ratio,
                       r.lines_written, r.lines_lost, r.seconds_to_terminated);
  }
  out += "\n";
  out += fmt::format("{:<20} {:>9} {:>13} {:>12} {:>6} {:>13} {:>10} {:>9} {:>17} {:>9}\n",
                     "design", "instances", "bytes written", "bytes stored", "ratio",
                     "lines written", "lines lost", "max held", "max to Terminated", "requests");
  bool seed = false;
  for (const auto& mode : order) {
    const Row& r = rows[mode];
    seed |= mode == "seed";
    // The seed copies one of the logs, uncompressed: a ratio would mean nothing.
    const std::string ratio = mode == "seed" || r.stored == 0
                                  ? "-"
                                  : fmt::format("{:.1f}x", static_cast<double>(r.written) /
                                                               static_cast<double>(r.stored));
    auto n = requests.find(mode);
    out += fmt::format(
        "{:<20} {:>9} {:>13} {:>12} {:>6} {:>13} {:>10} {:>8.2f}s {:>16.2f}s {:>9}\n", mode,
        r.instances, FormatBytes(r.written), FormatBytes(r.stored), ratio, r.lines, r.lost, r.held,
        r.slowest, n == requests.end() ? std::string("-") : std::to_string(n->second));
  }
  if (seed) {
    out +=
        "(the seed's document copies /var/log/php-fpm/error.log only; its other log is lost "
        "with the instance)\n";
  }
  return out;
}

}  // namespace lifeboat
