// LogGenerator: a deterministic source of realistic web-server log records, for the
// benchmark (bench/loggen), `make demo` and the simulated sample web application.
//
// The output imitates a PHP shop behind nginx: nginx "combined" access lines, nginx
// error.log lines, PHP / PHP-FPM error log records (a fatal error carries a multi-line
// stack trace), PHP-FPM slow-log records and JSON application lines. Realism matters
// because compression ratios and line lengths drive the benchmark: client addresses,
// products and user agents follow Zipf-like popularity, static assets keep their sizes,
// and a rare request carries a huge query string.
//
// Output is a pure function of the options: the same options give the same bytes on every
// machine (a private xoshiro256** generator, integer arithmetic only, no locale, no
// implementation-defined distributions). Timestamps start at `start` and advance on
// average by 1/lines_per_second per record, never backwards. No clock is read.
//
// A LogGenerator is a value that owns all its state; it is not thread-safe, but separate
// instances are independent.
#ifndef LIFEBOAT_WORKLOAD_LOG_GENERATOR_H_
#define LIFEBOAT_WORKLOAD_LOG_GENERATOR_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace lifeboat {

enum class LogKind {
  kNginxAccess,  // combined format, optionally with request/upstream times
  kNginxError,   // nginx error.log
  kPhpFpmError,  // PHP error_log plus PHP-FPM master messages; fatals have stack traces
  kPhpFpmSlow,   // PHP-FPM slow log: one multi-line backtrace per record, blank line after
  kAppJson,      // one JSON object per line from the application
};

// "nginx-access", "nginx-error", "php-fpm-error", "php-fpm-slow", "app-json".
std::string_view LogKindName(LogKind kind);
// The inverse of LogKindName; an error naming the bad value otherwise.
Result<LogKind> ParseLogKind(std::string_view name);

// One status code and its relative weight in the access log's mix.
struct StatusWeight {
  int status = 200;
  uint32_t weight = 1;
};

// A mix seen on busy production sites: mostly 200, some redirects, 304s from caches,
// 404s from scanners, 499s from impatient clients and a few 5xx.
const std::vector<StatusWeight>& DefaultStatusMix();

struct LogGeneratorOptions {
  uint64_t seed = 1;
  LogKind kind = LogKind::kNginxAccess;
  // The first record's time. The default is 2024-05-01T00:00:00Z so output never depends
  // on when it was produced.
  std::chrono::system_clock::time_point start =
      std::chrono::system_clock::time_point(std::chrono::seconds(1714521600));
  // Average records per second of simulated time; gaps are jittered around 1/rate.
  double lines_per_second = 100.0;
  // Access log only: append ` rt=0.012 urt="0.011"` (nginx $request_time and
  // $upstream_response_time) to each line.
  bool request_time = false;
  // Access log only; empty means DefaultStatusMix().
  std::vector<StatusWeight> status_mix;
  // Access log only: the chance, in parts per million, that a request carries a huge
  // (2-8 KiB) query string.
  uint32_t long_line_ppm = 300;
  // Virtual host named in error logs, JSON lines and internal referers.
  std::string server_name = "www.example-shop.com";
};

// OK when options can drive a generator: a finite positive rate (at most 1e9/s), a
// status mix of 100..599 codes with a positive total weight, a non-empty server name.
Status ValidateLogGeneratorOptions(const LogGeneratorOptions& options);

class LogGenerator {
 public:
  // Options must pass ValidateLogGeneratorOptions; invalid ones are replaced by defaults
  // (rate 100/s, the default status mix) rather than failing later.
  explicit LogGenerator(LogGeneratorOptions options);
  ~LogGenerator();
  LogGenerator(LogGenerator&&) noexcept;
  LogGenerator& operator=(LogGenerator&&) noexcept;
  LogGenerator(const LogGenerator&) = delete;
  LogGenerator& operator=(const LogGenerator&) = delete;

  // The next record, ending in '\n'. Most records are one line; PHP fatal errors and
  // slow-log records span several lines, as they do in the real files.
  std::string NextLine();
  // Appends whole records to `out` until it has grown by at least `approx_bytes`
  // (overshooting by less than one record). What is appended ends in '\n'.
  void AppendLines(std::string& out, size_t approx_bytes);

  // Records produced so far.
  uint64_t lines_generated() const;
  // The time stamped on the most recent record (`start` before the first).
  std::chrono::system_clock::time_point last_timestamp() const;
  const LogGeneratorOptions& options() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_WORKLOAD_LOG_GENERATOR_H_
