// loggen: writes realistic web-server logs for benchmarks and demos.
//
//   loggen --out DIR --files N --total-bytes BYTES [--seed S] [--kind mixed|access|error|KIND]
//          [--lines-per-second R] [--start-unix SECONDS] [--request-time]
//
// Writes N files into DIR totalling about BYTES (each file ends on a line end and
// overshoots its share by less than one record). The output depends only on the
// arguments: the same arguments give the same bytes on every machine.
//
// --kind mixed (the default) rotates through access, nginx error, access, PHP-FPM error,
// access, application JSON, access, PHP-FPM slow log, ... and gives access logs three
// shares of the bytes and application logs two for every share of an error log, as on a
// real web server. --kind error rotates through the three error formats; --kind access,
// or one of nginx-access, nginx-error, php-fpm-error, php-fpm-slow, app-json, writes only
// that kind.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "workload/generator_util.h"
#include "workload/log_generator.h"

namespace lifeboat {
namespace {

struct FilePlan {
  LogKind kind;
  std::string path;
  uint64_t bytes;
  LogGeneratorOptions options;
};

struct KindShare {
  LogKind kind;
  std::string_view file_stem;
  uint64_t share;
  double lines_per_second;  // a busy instance's typical rate for this kind
};

constexpr KindShare kShares[] = {
    {LogKind::kNginxAccess, "access", 3, 40.0},
    {LogKind::kNginxError, "error", 1, 0.5},
    {LogKind::kPhpFpmError, "php-fpm-error", 1, 0.3},
    {LogKind::kPhpFpmSlow, "php-fpm-slow", 1, 0.05},
    {LogKind::kAppJson, "app", 2, 30.0},
};

const KindShare& ShareOf(LogKind kind) {
  for (const KindShare& s : kShares) {
    if (s.kind == kind) return s;
  }
  return kShares[0];
}

Result<std::vector<LogKind>> KindRotation(const std::string& kind) {
  using K = LogKind;
  if (kind == "mixed") {
    return std::vector<K>{K::kNginxAccess, K::kNginxError, K::kNginxAccess, K::kPhpFpmError,
                          K::kNginxAccess, K::kAppJson,    K::kNginxAccess, K::kPhpFpmSlow};
  }
  if (kind == "error") return std::vector<K>{K::kNginxError, K::kPhpFpmError, K::kPhpFpmSlow};
  if (kind == "access") return std::vector<K>{K::kNginxAccess};
  Result<K> one = ParseLogKind(kind);
  if (!one.ok()) {
    return Status::InvalidArgument("--kind " + kind +
                                   ": expected mixed, access, error, nginx-access, nginx-error, "
                                   "php-fpm-error, php-fpm-slow or app-json");
  }
  return std::vector<K>{*one};
}

struct Args {
  std::string out;
  uint64_t files = 0;
  uint64_t total_bytes = 0;
  uint64_t seed = 1;
  std::string kind = "mixed";
  std::optional<double> lines_per_second;
  std::optional<int64_t> start_unix;
  bool request_time = false;
};

Result<std::vector<FilePlan>> Plan(const Args& args) {
  LIFEBOAT_ASSIGN_OR_RETURN(const std::vector<LogKind> rotation, KindRotation(args.kind));
  std::vector<FilePlan> plans;
  uint64_t total_shares = 0;
  for (uint64_t i = 0; i < args.files; ++i) {
    const LogKind kind = rotation[i % rotation.size()];
    const KindShare& share = ShareOf(kind);
    FilePlan plan{
        kind,
        JoinPath(args.out, std::string(share.file_stem) + "-" + std::to_string(i) + ".log"),
        share.share,
        {}};  // bytes holds the share until all are known
    uint64_t seed_state = args.seed ^ (i * 0x9e3779b97f4a7c15ULL);
    plan.options.seed = SplitMix64(seed_state);
    plan.options.kind = kind;
    plan.options.lines_per_second = args.lines_per_second.value_or(share.lines_per_second);
    plan.options.request_time = args.request_time;
    if (args.start_unix) {
      plan.options.start =
          std::chrono::system_clock::time_point(std::chrono::seconds(*args.start_unix));
    }
    Status valid = ValidateLogGeneratorOptions(plan.options);
    if (!valid.ok()) return valid.WithContext("--lines-per-second");
    total_shares += share.share;
    plans.push_back(std::move(plan));
  }
  // Shares become byte counts; the last file takes the rounding remainder.
  uint64_t assigned = 0;
  for (size_t i = 0; i < plans.size(); ++i) {
    const uint64_t share = plans[i].bytes;
    const uint64_t bytes = i + 1 == plans.size()
                               ? (args.total_bytes > assigned ? args.total_bytes - assigned : 0)
                               : args.total_bytes / total_shares * share +
                                     args.total_bytes % total_shares * share / total_shares;
    plans[i].bytes = std::max<uint64_t>(bytes, 1);  // every file gets at least one record
    assigned += plans[i].bytes;
  }
  return plans;
}

Result<uint64_t> WriteFile(Env& env, const FilePlan& plan) {
  constexpr uint64_t kChunk = 4 << 20;
  LIFEBOAT_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, env.NewWritableFile(plan.path));
  LogGenerator generator(plan.options);
  std::string buffer;
  buffer.reserve(kChunk + (64 << 10));
  uint64_t written = 0;
  while (written < plan.bytes) {
    buffer.clear();
    generator.AppendLines(buffer, std::min(kChunk, plan.bytes - written));
    LIFEBOAT_RETURN_IF_ERROR(file->Append(buffer).WithContext(plan.path));
    written += buffer.size();
  }
  LIFEBOAT_RETURN_IF_ERROR(file->Close().WithContext(plan.path));
  return written;
}

int Run(int argc, char** argv) {
  Args args;
  CLI::App app{"loggen: write realistic, deterministic web-server logs"};
  app.add_option("--out", args.out, "directory to write into (created if missing)")->required();
  app.add_option("--files", args.files, "number of files (1-100000)")->required();
  app.add_option("--total-bytes", args.total_bytes, "total size, e.g. 256MiB")
      ->required()
      ->transform(CLI::AsSizeValue(false));
  app.add_option("--seed", args.seed, "seed; the same seed gives the same bytes")
      ->capture_default_str();
  app.add_option("--kind", args.kind,
                 "mixed, access, error, or one of nginx-access, nginx-error, php-fpm-error, "
                 "php-fpm-slow, app-json")
      ->capture_default_str();
  app.add_option("--lines-per-second", args.lines_per_second,
                 "records per second of simulated time in every file (default: per kind)");
  app.add_option("--start-unix", args.start_unix,
                 "time of the first record, seconds since 1970 (default 2024-05-01T00:00:00Z)");
  app.add_flag("--request-time", args.request_time,
               "append rt=$request_time urt=\"$upstream_response_time\" to access lines");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help
    std::fprintf(stderr, "loggen: %s\n", e.what());
    return 2;
  }

  if (args.files < 1 || args.files > 100000) {
    std::fprintf(stderr, "loggen: --files %llu: expected 1 to 100000 files\n",
                 static_cast<unsigned long long>(args.files));
    return 2;
  }
  if (args.total_bytes < args.files) {
    std::fprintf(stderr, "loggen: --total-bytes %llu: expected at least one byte per file\n",
                 static_cast<unsigned long long>(args.total_bytes));
    return 2;
  }
  Result<std::vector<FilePlan>> plans = Plan(args);
  if (!plans.ok()) {
    std::fprintf(stderr, "loggen: %s\n", plans.status().ToString().c_str());
    return 2;
  }
  Env& env = *Env::Default();
  if (Status s = env.CreateDirs(args.out); !s.ok()) {
    std::fprintf(stderr, "loggen: %s\n", s.ToString().c_str());
    return 1;
  }
  const auto started = env.SteadyNow();
  uint64_t total = 0;
  for (const FilePlan& plan : *plans) {
    Result<uint64_t> written = WriteFile(env, plan);
    if (!written.ok()) {
      std::fprintf(stderr, "loggen: %s\n", written.status().ToString().c_str());
      return 1;
    }
    total += *written;
  }
  const double seconds = std::chrono::duration<double>(env.SteadyNow() - started).count();
  std::fprintf(stderr, "loggen: wrote %zu files, %llu bytes in %.2f s (%.0f MiB/s)\n",
               plans->size(), static_cast<unsigned long long>(total), seconds,
               static_cast<double>(total) / (1 << 20) / std::max(seconds, 1e-9));
  return 0;
}

}  // namespace
}  // namespace lifeboat

int main(int argc, char** argv) { return lifeboat::Run(argc, argv); }
