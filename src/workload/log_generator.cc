#include "workload/log_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "workload/error_log_formatter.h"
#include "workload/generator_util.h"
#include "workload/log_vocabulary.h"
#include "workload/web_traffic.h"

namespace lifeboat {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr double kMinRate = 1e-3;
constexpr double kMaxRate = 1e9;

bool RateIsValid(double rate) {
  return std::isfinite(rate) && rate >= kMinRate && rate <= kMaxRate;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void AppendClock(std::string& out, const std::chrono::hh_mm_ss<std::chrono::seconds>& t) {
  AppendPadded(out, static_cast<uint64_t>(t.hours().count()), 2);
  out += ':';
  AppendPadded(out, static_cast<uint64_t>(t.minutes().count()), 2);
  out += ':';
  AppendPadded(out, static_cast<uint64_t>(t.seconds().count()), 2);
}

// The time each format starts its records with, to the second, in UTC.
std::string FormatStamp(LogKind kind, int64_t unix_seconds) {
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_seconds}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> clock{t - day};
  const int year = static_cast<int>(ymd.year());
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned mday = static_cast<unsigned>(ymd.day());
  const std::string_view month_name = log_vocabulary::kMonths[month - 1];
  std::string s;
  switch (kind) {
    case LogKind::kNginxAccess:  // 01/May/2024:12:00:00 +0000
      AppendPadded(s, mday, 2);
      Append(s, '/', month_name, '/', year, ':');
      AppendClock(s, clock);
      s += " +0000";
      break;
    case LogKind::kNginxError:  // 2024/05/01 12:00:00
      Append(s, year, '/');
      AppendPadded(s, month, 2);
      s += '/';
      AppendPadded(s, mday, 2);
      s += ' ';
      AppendClock(s, clock);
      break;
    case LogKind::kPhpFpmError:
    case LogKind::kPhpFpmSlow:  // 01-May-2024 12:00:00
      AppendPadded(s, mday, 2);
      Append(s, '-', month_name, '-', year, ' ');
      AppendClock(s, clock);
      break;
    case LogKind::kAppJson:  // 2024-05-01T12:00:00, milliseconds follow per record
      Append(s, year, '-');
      AppendPadded(s, month, 2);
      s += '-';
      AppendPadded(s, mday, 2);
      s += 'T';
      AppendClock(s, clock);
      break;
  }
  return s;
}

// Invalid options become defaults, so a generator built from them still works.
LogGeneratorOptions Sanitized(LogGeneratorOptions o) {
  if (ValidateLogGeneratorOptions(o).ok()) return o;
  const LogGeneratorOptions defaults;
  if (!RateIsValid(o.lines_per_second)) o.lines_per_second = defaults.lines_per_second;
  if (!ValidateLogGeneratorOptions(o).ok()) o.status_mix.clear();
  o.long_line_ppm = std::min<uint32_t>(o.long_line_ppm, 1'000'000);
  if (o.server_name.empty()) o.server_name = defaults.server_name;
  return o;
}

}  // namespace

std::string_view LogKindName(LogKind kind) {
  switch (kind) {
    case LogKind::kNginxAccess:
      return "nginx-access";
    case LogKind::kNginxError:
      return "nginx-error";
    case LogKind::kPhpFpmError:
      return "php-fpm-error";
    case LogKind::kPhpFpmSlow:
      return "php-fpm-slow";
    case LogKind::kAppJson:
      return "app-json";
  }
  return "unknown";
}

Result<LogKind> ParseLogKind(std::string_view name) {
  for (LogKind k : {LogKind::kNginxAccess, LogKind::kNginxError, LogKind::kPhpFpmError,
                    LogKind::kPhpFpmSlow, LogKind::kAppJson}) {
    if (LogKindName(k) == name) return k;
  }
  return Status::InvalidArgument(
      "unknown log kind '" + std::string(name) +
      "' (expected nginx-access, nginx-error, php-fpm-error, php-fpm-slow or app-json)");
}

const std::vector<StatusWeight>& DefaultStatusMix() {
  static const std::vector<StatusWeight> kMix = {{200, 8190}, {201, 50},  {204, 100}, {206, 30},
                                                 {301, 250},  {302, 200}, {304, 600}, {400, 40},
                                                 {403, 60},   {404, 350}, {429, 20},  {499, 60},
                                                 {500, 25},   {502, 10},  {503, 5},   {504, 10}};
  return kMix;
}

Status ValidateLogGeneratorOptions(const LogGeneratorOptions& o) {
  if (!RateIsValid(o.lines_per_second)) {
    char rate[32];
    std::snprintf(rate, sizeof(rate), "%g", o.lines_per_second);
    return Status::InvalidArgument(
        std::string("lines per second must be between 0.001 and 1e9, not ") + rate);
  }
  uint64_t total = 0;
  for (const StatusWeight& s : o.status_mix) {
    if (s.status < 100 || s.status > 599) {
      return Status::InvalidArgument("status " + std::to_string(s.status) +
                                     " in the status mix is not an HTTP status (100-599)");
    }
    total += s.weight;
  }
  if (!o.status_mix.empty() && total == 0) {
    return Status::InvalidArgument("the status mix has no positive weight");
  }
  if (o.long_line_ppm > 1'000'000) {
    return Status::InvalidArgument("long-line rate must be at most 1000000 ppm, not " +
                                   std::to_string(o.long_line_ppm));
  }
  if (o.server_name.empty()) return Status::InvalidArgument("server name must not be empty");
  return Status::Ok();
}

class LogGenerator::Impl {
 public:
  explicit Impl(LogGeneratorOptions options)
      : options_(Sanitized(std::move(options))),
        rng_(options_.seed),
        traffic_(rng_, options_.server_name, options_.long_line_ppm),
        errors_(rng_, traffic_, options_.server_name) {
    now_ns_ =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options_.start.time_since_epoch())
            .count();
    last_ns_ = now_ns_;
    const long long mean_gap = std::llround(1e9 / options_.lines_per_second);
    gap_span_ = 2 * static_cast<uint64_t>(std::max<long long>(1, mean_gap));
    for (const StatusWeight& s :
         options_.status_mix.empty() ? DefaultStatusMix() : options_.status_mix) {
      statuses_.push_back(s.status);
      status_picker_.Add(s.weight);
    }
  }

  void AppendRecord(std::string& out) {
    const int64_t second = FloorDiv(now_ns_, kNanosPerSecond);
    if (second != stamp_second_) {
      stamp_ = FormatStamp(options_.kind, second);
      stamp_second_ = second;
    }
    switch (options_.kind) {
      case LogKind::kNginxAccess:
        AppendAccess(out);
        break;
      case LogKind::kNginxError:
        errors_.AppendNginxError(out, stamp_);
        break;
      case LogKind::kPhpFpmError:
        errors_.AppendPhpError(out, stamp_);
        break;
      case LogKind::kPhpFpmSlow:
        errors_.AppendPhpSlow(out, stamp_);
        break;
      case LogKind::kAppJson:
        AppendAppJson(out);
        break;
    }
    ++records_;
    last_ns_ = now_ns_;
    // Uniform gaps in [0, 2/rate]: bursty enough, never backwards.
    now_ns_ += static_cast<int64_t>(rng_.Below(gap_span_ + 1));
  }

  uint64_t records() const { return records_; }
  int64_t last_ns() const { return last_ns_; }
  const LogGeneratorOptions& options() const { return options_; }

 private:
  int PickStatus() { return statuses_[status_picker_.Pick(rng_)]; }
  void AppendAccess(std::string& out);
  void AppendAppJson(std::string& out);

  const LogGeneratorOptions options_;
  Rng rng_;
  WebTraffic traffic_;
  ErrorLogFormatter errors_;
  std::vector<int> statuses_;
  Weighted status_picker_;
  int64_t now_ns_;
  int64_t last_ns_;
  uint64_t gap_span_;
  uint64_t records_ = 0;
  int64_t stamp_second_ = std::numeric_limits<int64_t>::min();
  std::string stamp_;
};

// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
// "$http_referer" "$http_user_agent", optionally followed by rt=$request_time
// urt="$upstream_response_time".
void LogGenerator::Impl::AppendAccess(std::string& out) {
  const Request r = traffic_.Make(PickStatus(), false);
  Append(out, r.client, " - - [", stamp_, "] \"");
  if (!r.method.empty()) Append(out, r.method, ' ');
  out += r.target;
  if (!r.method.empty()) Append(out, ' ', r.protocol);
  Append(out, "\" ", r.status, ' ', r.bytes, " \"", r.referer, "\" \"",
         r.agent.empty() ? "-" : r.agent, '"');
  if (options_.request_time) {
    out += " rt=";
    AppendSeconds3(out, r.request_ms);
    out += " urt=\"";
    if (r.upstream_ms < 0) {
      out += '-';
    } else {
      AppendSeconds3(out, static_cast<uint64_t>(r.upstream_ms));
    }
    out += '"';
  }
  out += '\n';
}

// One JSON object per line, as a PHP application's structured logger writes them. Every
// string written here is free of quotes, backslashes and control characters, or already
// escaped.
void LogGenerator::Impl::AppendAppJson(std::string& out) {
  auto head = [&](std::string_view level, std::string_view channel, std::string_view message) {
    Append(out, "{\"ts\":\"", stamp_, '.');
    AppendPadded(
        out,
        static_cast<uint64_t>(now_ns_ - FloorDiv(now_ns_, kNanosPerSecond) * kNanosPerSecond) /
            1'000'000,
        3);
    Append(out, "Z\",\"level\":\"", level, "\",\"channel\":\"", channel, "\",\"message\":\"",
           message, "\",\"host\":\"", options_.server_name, '"');
  };
  const uint64_t p = rng_.Below(100);
  if (p < 68) {
    const Request r = traffic_.Make(PickStatus(), true);
    head(r.status >= 500   ? "error"
         : r.status >= 400 ? "warning"
                           : "info",
         "http", "request completed");
    out += ",\"request_id\":\"";
    AppendHex(out, rng_.Next(), 16);
    Append(out, "\",\"method\":\"", r.method.empty() ? "GET" : r.method, "\",\"path\":\"",
           r.target.substr(0, 512), "\",\"status\":", r.status, ",\"duration_ms\":", r.request_ms,
           '.', rng_.Below(10), ",\"user_id\":");
    if (rng_.Percent(35)) {
      Append(out, rng_.Between(1, 250000));
    } else {
      out += "null";
    }
    Append(out, ",\"ip\":\"", r.client, "\"}\n");
  } else if (p < 78) {
    head("debug", "cache", "cache miss");
    Append(out, ",\"key\":\"product:", traffic_.PickProduct(),
           ":v3\",\"ttl\":", 300 * rng_.Between(1, 12), "}\n");
  } else if (p < 86) {
    static constexpr std::string_view kJobs[] = {"SendOrderConfirmation", "SyncInventory",
                                                 "GenerateInvoicePdf", "IndexProduct",
                                                 "ResizeImages"};
    head("info", "queue", "job processed");
    Append(out, ",\"job\":\"App\\\\Jobs\\\\", rng_.Pick(kJobs),
           "\",\"queue\":\"default\",\"attempt\":", rng_.Percent(95) ? 1 : rng_.Between(2, 5),
           ",\"duration_ms\":", rng_.Between(3, 2400), "}\n");
  } else if (p < 90) {
    head("info", "payments", "payment authorized");
    Append(out, ",\"order_id\":", rng_.Between(1000000, 1999999),
           ",\"amount_cents\":", rng_.Between(499, 89999),
           ",\"currency\":\"EUR\",\"provider\":\"stripe\"}\n");
  } else if (p < 97) {
    head("warning", "db", "slow query");
    Append(out, ",\"duration_ms\":", rng_.Between(1000, 9000),
           ",\"sql\":\"select * from `products` where `category_id` = ? and `active` = 1 "
           "order by `created_at` desc limit 24 offset ?\",\"bindings\":[",
           rng_.Between(1, 30), ',', 24 * rng_.Below(20), "]}\n");
  } else {
    head("error", "http", "unhandled exception");
    out +=
        ",\"exception\":\"Illuminate\\\\Database\\\\QueryException\",\"error\":\"SQLSTATE[40001]: "
        "Serialization failure: 1213 Deadlock found when trying to get lock; try restarting "
        "transaction\",\"file\":\"/var/www/html/vendor/laravel/framework/src/Illuminate/"
        "Database/Connection.php\",\"line\":795,\"request_id\":\"";
    AppendHex(out, rng_.Next(), 16);
    out += "\"}\n";
  }
}

LogGenerator::LogGenerator(LogGeneratorOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
LogGenerator::~LogGenerator() = default;
LogGenerator::LogGenerator(LogGenerator&&) noexcept = default;
LogGenerator& LogGenerator::operator=(LogGenerator&&) noexcept = default;

std::string LogGenerator::NextLine() {
  std::string line;
  impl_->AppendRecord(line);
  return line;
}

void LogGenerator::AppendLines(std::string& out, size_t approx_bytes) {
  const size_t target = out.size() + approx_bytes;
  while (out.size() < target) impl_->AppendRecord(out);
}

uint64_t LogGenerator::lines_generated() const { return impl_->records(); }

std::chrono::system_clock::time_point LogGenerator::last_timestamp() const {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(impl_->last_ns())));
}

const LogGeneratorOptions& LogGenerator::options() const { return impl_->options(); }

}  // namespace lifeboat
