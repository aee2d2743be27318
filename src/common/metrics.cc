#include "common/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace lifeboat {
namespace {

// One canonical order, so the same label set always names the same sample.
Labels Canonical(Labels labels) {
  std::sort(labels.begin(), labels.end());
  return labels;
}

// Label values escape backslash, double quote and newline; help text only backslash and
// newline (the 0.0.4 text format).
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '"':
        out += quote ? "\\\"" : "\"";
        break;
      default:
        out += c;
    }
  }
}

void AppendSample(std::string& out, std::string_view name, const Labels& labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i > 0) out += ',';
      out += labels[i].first;
      out += "=\"";
      AppendEscaped(out, labels[i].second, /*quote=*/true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += FormatMetricValue(value);
  out += '\n';
}

}  // namespace

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  // Byte counts pass 2^53 long before they stop being whole numbers; below 2^63 an integral
  // double converts to int64 exactly, and "{}" on a double would print "1e+16".
  if (value == std::trunc(value) && std::fabs(value) < 9.2e18) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);  // shortest form that reads back to the same double
}

Metrics::Family& Metrics::FamilyFor(std::string_view name, MetricType type_if_new) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    it = families_.emplace(std::string(name), Family{}).first;
    it->second.type = type_if_new;
  }
  return it->second;
}

void Metrics::Describe(std::string_view name, MetricType type, std::string_view help) {
  std::lock_guard lock(mu_);
  Family& family = FamilyFor(name, type);
  family.type = type;
  family.help = std::string(help);
  family.described = true;
}

void Metrics::Add(std::string_view name, double delta, Labels labels) {
  std::lock_guard lock(mu_);
  Family& family = FamilyFor(name, MetricType::kCounter);
  if (!labels.empty()) family.labelled = true;
  family.samples[Canonical(std::move(labels))] += delta;
}

void Metrics::Set(std::string_view name, double value, Labels labels) {
  std::lock_guard lock(mu_);
  Family& family = FamilyFor(name, MetricType::kGauge);
  if (!labels.empty()) family.labelled = true;
  family.samples[Canonical(std::move(labels))] = value;
}

void Metrics::Remove(std::string_view name, const Labels& labels) {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it != families_.end()) it->second.samples.erase(Canonical(labels));
}

double Metrics::Value(std::string_view name, const Labels& labels) const {
  std::lock_guard lock(mu_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto sample = it->second.samples.find(Canonical(labels));
  return sample == it->second.samples.end() ? 0 : sample->second;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, family] : families_) {
    if (family.described) {
      out += "# HELP ";
      out += name;
      out += ' ';
      AppendEscaped(out, family.help, /*quote=*/false);
      out += '\n';
    }
    out += "# TYPE ";
    out += name;
    out += family.type == MetricType::kCounter ? " counter\n" : " gauge\n";
    if (family.samples.empty() && family.type == MetricType::kCounter && !family.labelled) {
      AppendSample(out, name, {}, 0);
    }
    for (const auto& [labels, value] : family.samples) AppendSample(out, name, labels, value);
  }
  return out;
}

}  // namespace lifeboat
