#include "longhaul/profiles.h"

#include <algorithm>
#include <cmath>

#include "common/hash.h"
#include "workload/generator_util.h"

namespace lifeboat {
namespace {

constexpr double kGB = double(uint64_t{1} << 30);
constexpr double kSecondsPerDay = 86400;
constexpr const char* kRoot = "/longhaul";

// Vector: sinks.aws_s3 batch.timeout_secs and batch.max_bytes.
constexpr double kVectorBatchSeconds = 300;
constexpr double kVectorBatchBytes = 10e6;
// Fluent Bit: out_s3 upload_timeout, total_file_size and upload_chunk_size.
constexpr double kFluentBitTimeoutSeconds = 600;
constexpr double kFluentBitFileBytes = 100e6;
constexpr double kFluentBitPartBytes = 5'242'880;

}  // namespace

const std::vector<Profile>& Profiles() {
  using std::chrono::hours;
  static const std::vector<Profile> kProfiles = {
      // Three streams of one ~100-byte line a second each: a quiet instance.
      {"quiet", 3, 3 * 100 * kSecondsPerDay, 100, std::chrono::seconds(0), 30},
      // 1 GB a day over three files, rotated daily: a small web server.
      {"web", 3, 1e9, 128, hours(24), 30},
      // 50 GB a day over three files, rotated hourly. Every byte goes through zstd, so
      // it runs fewer days (docs/benchmarks.md says why that is enough).
      {"busy", 3, 50e9, 128, hours(1), 1},
  };
  return kProfiles;
}

const Profile* FindProfile(std::string_view name) {
  for (const Profile& p : Profiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string ProfileDir(const Profile& profile) { return std::string(kRoot) + "/" + profile.name; }
std::string ProfileGlob(const Profile& profile) { return ProfileDir(profile) + "/*.log"; }
std::string ProfileFile(const Profile& profile, int index) {
  return ProfileDir(profile) + "/app-" + std::to_string(index) + ".log";
}

SyntheticLogSpec ProfileLogSpec(const Profile& profile, int index, uint64_t generation) {
  SyntheticLogSpec spec;
  uint64_t state = Crc32c(profile.name) ^ (uint64_t(index) << 32) ^ (generation << 40);
  spec.seed = SplitMix64(state);
  spec.line_bytes = profile.line_bytes;
  spec.lines_per_second =
      profile.bytes_per_day / profile.files / profile.line_bytes / kSecondsPerDay;
  return spec;
}

MonthlyCost S3Monthly(const S3Day& day, const Prices& p) {
  MonthlyCost m;
  m.requests = (day.write_requests * p.put_per_1000 + day.read_requests * p.get_per_1000) / 1000 *
               p.days_per_month;
  m.storage = day.stored_bytes * p.retention_days / kGB * p.s3_gb_month;
  return m;
}

MonthlyCost CloudWatchMonthly(double raw_bytes_per_day, const Prices& p) {
  MonthlyCost m;
  m.ingest = raw_bytes_per_day * p.days_per_month / kGB * p.cw_ingest_gb;
  m.storage = raw_bytes_per_day * p.cw_stored_fraction * p.retention_days / kGB * p.cw_gb_month;
  return m;
}

S3Day VectorDefaults(double raw_bytes_per_day, double stored_bytes_per_day) {
  S3Day day;
  day.objects =
      std::max(kSecondsPerDay / kVectorBatchSeconds, raw_bytes_per_day / kVectorBatchBytes);
  day.write_requests = day.objects;
  day.stored_bytes = stored_bytes_per_day;
  return day;
}

S3Day FluentBitDefaults(double raw_bytes_per_day, int files, double stored_bytes_per_day) {
  const double per_file = raw_bytes_per_day / files;
  const double objects_per_file =
      std::max(kSecondsPerDay / kFluentBitTimeoutSeconds, per_file / kFluentBitFileBytes);
  const double object_bytes = per_file / objects_per_file;
  // Create + parts + Complete, or one PutObject for an object smaller than a part.
  const double requests_per_object =
      object_bytes < kFluentBitPartBytes ? 1 : std::ceil(object_bytes / kFluentBitPartBytes) + 2;
  S3Day day;
  day.objects = objects_per_file * files;
  day.write_requests = day.objects * requests_per_object;
  day.stored_bytes = stored_bytes_per_day;
  return day;
}

}  // namespace lifeboat
