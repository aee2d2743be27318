// Metrics: a small thread-safe registry of counters and gauges, rendered in the Prometheus
// text exposition format 0.0.4 for the agent's /metrics endpoint.
//
// A family is a metric name; a sample is one label set within it. Counters grow with Add;
// gauges are Set (or moved with Add). Names must be valid Prometheus names
// ([a-zA-Z_:][a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for labels): they come from
// code, not from users. Label values may be anything (paths); they are escaped on output.
// Label order does not matter: {a,b} and {b,a} are the same sample.
//
// All methods may be called from any thread.
#ifndef LIFEBOAT_COMMON_METRICS_H_
#define LIFEBOAT_COMMON_METRICS_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lifeboat {

using Labels = std::vector<std::pair<std::string, std::string>>;

enum class MetricType { kCounter, kGauge };

class Metrics {
 public:
  Metrics() = default;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Declares a family's type and help text. A described family is rendered even before it
  // has samples; an unlabelled counter then shows 0, so a scrape sees every counter from
  // the start. Describing again replaces type and help.
  void Describe(std::string_view name, MetricType type, std::string_view help);

  // Adds `delta` to a sample (created at 0). An undescribed family becomes a counter.
  void Add(std::string_view name, double delta, Labels labels = {});
  // Sets a sample. An undescribed family becomes a gauge.
  void Set(std::string_view name, double value, Labels labels = {});
  // Drops one sample (a gauge for a stream that no longer exists); absent is fine.
  void Remove(std::string_view name, const Labels& labels);

  // A sample's current value; 0 when it does not exist.
  double Value(std::string_view name, const Labels& labels = {}) const;

  // Every family in name order, each with # HELP (when described), # TYPE and its samples
  // in label order.
  std::string RenderPrometheus() const;

 private:
  struct Family {
    MetricType type = MetricType::kCounter;
    std::string help;
    bool described = false;
    // Once a family has had a labelled sample, an unlabelled 0 would be a wrong series.
    bool labelled = false;
    std::map<Labels, double> samples;  // labels sorted by name
  };

  Family& FamilyFor(std::string_view name, MetricType type_if_new);  // mu_ held

  mutable std::mutex mu_;
  std::map<std::string, Family, std::less<>> families_;
};

// A sample value as Prometheus reads it: integers without exponent or fraction ("1048576"),
// other numbers in their shortest exact form, NaN, +Inf, -Inf.
std::string FormatMetricValue(double value);

}  // namespace lifeboat

#endif  // LIFEBOAT_COMMON_METRICS_H_
