// The workloads bench/longhaul simulates, and what shipping their bytes costs a month with
// lifeboat, CloudWatch Logs, and Vector's and Fluent Bit's S3 sinks at their defaults.
// docs/benchmarks.md ("bench/longhaul") states the same prices and formulas.
#ifndef LIFEBOAT_BENCH_LONGHAUL_PROFILES_H_
#define LIFEBOAT_BENCH_LONGHAUL_PROFILES_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "longhaul/synthetic_log_env.h"

namespace lifeboat {

// An instance's logging: `files` files written at the same rate, each renamed to
// <name>.1 every `rotate_every` (replacing, so deleting, the previous <name>.1) and
// started afresh; never when zero.
struct Profile {
  std::string name;
  int files = 3;
  double bytes_per_day = 0;  // all files together
  uint32_t line_bytes = 128;
  std::chrono::seconds rotate_every{0};
  double default_days = 30;
};

const std::vector<Profile>& Profiles();  // quiet, web, busy
const Profile* FindProfile(std::string_view name);

// The directory a profile's files live in, the source glob that ships them, and the
// path of file `index` (before rotation).
std::string ProfileDir(const Profile& profile);
std::string ProfileGlob(const Profile& profile);
std::string ProfileFile(const Profile& profile, int index);
// What file `index` holds in its `generation`-th incarnation (one per rotation).
SyntheticLogSpec ProfileLogSpec(const Profile& profile, int index, uint64_t generation);

// List prices, us-east-1. "GB" is 2^30 bytes, as AWS bills.
struct Prices {
  double put_per_1000 = 0.005;       // S3 PUT, COPY, POST, LIST
  double get_per_1000 = 0.0004;      // S3 GET, HEAD
  double s3_gb_month = 0.023;        // S3 Standard
  double cw_ingest_gb = 0.50;        // CloudWatch Logs, standard class
  double cw_gb_month = 0.03;         // CloudWatch Logs storage, billed on compressed bytes
  double cw_stored_fraction = 0.15;  // CloudWatch's compressed size / raw size (assumed)
  double retention_days = 30;        // what every design keeps
  double days_per_month = 30;
};

struct MonthlyCost {
  double requests = 0;
  double ingest = 0;
  double storage = 0;
  double total() const { return requests + ingest + storage; }
};

// One day of an S3 design: requests by price class and the bytes it stores.
struct S3Day {
  double objects = 0;
  double write_requests = 0;  // PUT class
  double read_requests = 0;   // GET class
  double stored_bytes = 0;
};

// Steady state with `retention_days` kept: stored bytes are one day's times the days kept.
MonthlyCost S3Monthly(const S3Day& day, const Prices& prices);
MonthlyCost CloudWatchMonthly(double raw_bytes_per_day, const Prices& prices);

// Vector's aws_s3 sink at its defaults (batch.timeout_secs 300, batch.max_bytes 10 MB of
// events before compression, one batch for every file, gzip, one PutObject per object).
S3Day VectorDefaults(double raw_bytes_per_day, double stored_bytes_per_day);
// Fluent Bit's out_s3 at its defaults, one tag per file (upload_timeout 10m,
// total_file_size 100M, multipart with 5 MiB parts, PutObject when an object is smaller
// than one part).
S3Day FluentBitDefaults(double raw_bytes_per_day, int files, double stored_bytes_per_day);

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_PROFILES_H_
