#include "longhaul/report.h"

#include <cmath>
#include <string>

#include "ship/codec.h"

namespace lifeboat {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StoreTally, requests, chunk_objects, chunk_bytes,
                                   metadata_writes, metadata_bytes, metadata_write_max,
                                   manifest_writes, refused_writes, overlapping_chunks,
                                   unserved_reads, streams)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ProfileResult, profile, days, stopped_early, wall_seconds, steps,
                                   raw_bytes_written, raw_bytes_shipped, store, metadata_bytes_kept,
                                   checkpoint_bytes, peak_rss_bytes, cpu_seconds,
                                   render_cpu_seconds, manifest_wait_timeouts, settle_timeouts)

namespace {

using nlohmann::json;

constexpr double kMiB = 1 << 20;
constexpr uint64_t kRssTarget = 32 << 20;
constexpr double kRestartTarget = 2.0;

std::string Format(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), format, v);
  return buf;
}

std::string Bytes(double b) {
  if (b < 1024) return Format("%.0f B", b);
  if (b < kMiB) return Format("%.1f KiB", b / 1024);
  if (b < 1024 * kMiB) return Format("%.1f MiB", b / kMiB);
  return Format("%.2f GiB", b / (1024 * kMiB));
}

// 1,234,567.
std::string Integer(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A rate: small figures keep one decimal.
std::string Count(double n) {
  return n < 10 ? Format("%.1f", n) : Integer(static_cast<uint64_t>(std::llround(n)));
}

std::string Dollars(double d) {
  if (d < 1) return Format("$%.3f", d);
  if (d < 100) return Format("$%.2f", d);
  return "$" + Count(d);
}

std::string Seconds(std::chrono::milliseconds ms) {
  const auto s = ms.count() / 1000;
  if (s % 3600 == 0 && s > 0) return std::to_string(s / 3600) + " h";
  if (s % 60 == 0 && s > 0) return std::to_string(s / 60) + " min";
  return Format("%g s", ms.count() / 1000.0);
}

std::string MetOrNot(bool met) { return met ? "met" : "NOT MET"; }

bool CheapEnough(const ProfileReport& r) {
  return r.lifeboat_cost.total() <= r.cloudwatch_cost.total() / 10;
}

// Vector's defaults are the bar for instances that write little; a busy one fills
// Vector's 10 MB batches and lifeboat's 8 MiB chunks alike.
bool HasWriteTarget(const ProfileReport& r) { return r.profile.name != "busy"; }

bool UpdatesMet(const HistoryResult& r) {
  return r.steady_updates > 0 && r.steady_over_target == 0;
}

json Cost(const MonthlyCost& c) {
  return {
      {"requests", c.requests}, {"ingest", c.ingest}, {"storage", c.storage}, {"total", c.total()}};
}

json Day(const S3Day& d) {
  return {{"objects", d.objects},
          {"write_requests", d.write_requests},
          {"read_requests", d.read_requests},
          {"stored_bytes", d.stored_bytes}};
}

}  // namespace

ProfileReport Evaluate(const Profile& profile, const ProfileResult& run, const Prices& prices) {
  ProfileReport r;
  r.profile = profile;
  r.run = run;
  const double days = std::max(run.days, 1e-9);
  const StoreTally& s = run.store;
  r.raw_bytes = run.raw_bytes_written / days;
  r.write_requests = s.write_requests() / days;
  r.objects = s.chunk_objects / days;
  r.mean_object_bytes =
      s.chunk_objects == 0 ? 0 : static_cast<double>(s.chunk_bytes) / s.chunk_objects;
  r.manifest_bytes = s.metadata_bytes / days;
  r.agent_cpu_seconds = (run.cpu_seconds - run.render_cpu_seconds) / days;
  r.stored_fraction =
      run.raw_bytes_shipped == 0 ? 0 : static_cast<double>(s.chunk_bytes) / run.raw_bytes_shipped;

  const double chunk_bytes_per_day = s.chunk_bytes / days;
  r.lifeboat.objects = r.objects;
  // LIST is billed as a PUT; DELETE is free.
  r.lifeboat.write_requests = (s.write_requests() + s.Requests("ListObjectsV2")) / days;
  r.lifeboat.read_requests = (s.Requests("GetObject") + s.Requests("HeadObject")) / days;
  r.lifeboat.stored_bytes = (s.chunk_bytes + run.metadata_bytes_kept) / days;
  // The other designs are given lifeboat's compressed size: generous to both (Vector
  // gzips, which stores more than zstd; Fluent Bit stores raw unless told to compress).
  r.vector = VectorDefaults(r.raw_bytes, chunk_bytes_per_day);
  r.fluent_bit = FluentBitDefaults(r.raw_bytes, profile.files, chunk_bytes_per_day);
  r.lifeboat_cost = S3Monthly(r.lifeboat, prices);
  r.cloudwatch_cost = CloudWatchMonthly(r.raw_bytes, prices);
  r.vector_cost = S3Monthly(r.vector, prices);
  r.fluent_bit_cost = S3Monthly(r.fluent_bit, prices);
  return r;
}

void PrintProfiles(std::FILE* out, const AgentConfig& c, const std::vector<ProfileReport>& rows) {
  std::fprintf(out,
               "bench/longhaul: the agent at its shipped defaults (%s %d, flush %s / %s, manifest "
               "every %s, rescan %s, %d uploads), virtual time; S3 Standard, 30 days kept\n\n",
               std::string(CodecName(c.codec)).c_str(), c.level, Bytes(c.flush_max_bytes).c_str(),
               Seconds(c.flush_max_age).c_str(), Seconds(c.manifest_interval).c_str(),
               Seconds(c.rescan_interval).c_str(), c.parallel);
  std::fprintf(
      out,
      "| profile | days | wall s | writes/day | objects/day | mean object | manifest/day | "
      "peak RSS | CPU s/day | stored/raw | lifeboat $/mo | CloudWatch $/mo | "
      "Vector $/mo (writes/day) | Fluent Bit $/mo (writes/day) |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  bool any_early = false;
  for (const ProfileReport& r : rows) {
    any_early |= r.run.stopped_early;
    std::fprintf(
        out,
        "| %s | %s%s | %.0f | %s | %s | %s | %s | %s | %.1f | %.1f%% | %s | %s | %s (%s) | %s (%s) "
        "|\n",
        r.profile.name.c_str(), Format("%.3g", r.run.days).c_str(), r.run.stopped_early ? "*" : "",
        r.run.wall_seconds, Count(r.write_requests).c_str(), Count(r.objects).c_str(),
        Bytes(r.mean_object_bytes).c_str(), Bytes(r.manifest_bytes).c_str(),
        Bytes(r.run.peak_rss_bytes).c_str(), r.agent_cpu_seconds, 100 * r.stored_fraction,
        Dollars(r.lifeboat_cost.total()).c_str(), Dollars(r.cloudwatch_cost.total()).c_str(),
        Dollars(r.vector_cost.total()).c_str(), Count(r.vector.write_requests).c_str(),
        Dollars(r.fluent_bit_cost.total()).c_str(), Count(r.fluent_bit.write_requests).c_str());
  }
  std::fprintf(out, "\n");
  if (any_early)
    std::fprintf(out, "* stopped at the wall-clock limit; figures are for the days simulated\n");
  std::fprintf(out,
               "CPU s/day is the process's user+system time less generating the synthetic bytes (");
  for (size_t i = 0; i < rows.size(); ++i) {
    std::fprintf(out, "%s%s %.1f s/day", i ? ", " : "", rows[i].profile.name.c_str(),
                 rows[i].run.render_cpu_seconds / std::max(rows[i].run.days, 1e-9));
  }
  std::fprintf(out, ").\n");
  for (const ProfileReport& r : rows) {
    std::fprintf(
        out,
        "%s: %s raw/day, %s streams, %s manifest updates/day, checkpoint %s, manifest now %s%s\n",
        r.profile.name.c_str(), Bytes(r.raw_bytes).c_str(), Integer(r.run.store.streams).c_str(),
        Count(r.run.store.manifest_writes / std::max(r.run.days, 1e-9)).c_str(),
        Bytes(r.run.checkpoint_bytes).c_str(), Bytes(r.run.metadata_bytes_kept).c_str(),
        r.run.store.overlapping_chunks + r.run.store.unserved_reads + r.run.manifest_wait_timeouts +
                r.run.settle_timeouts
            ? " (ANOMALIES: see --json)"
            : "");
  }
  std::fprintf(out, "\ntargets:\n");
  for (const ProfileReport& r : rows) {
    std::fprintf(out, "  %s: lifeboat at most 1/10 of CloudWatch Logs: %s (%.3fx)",
                 r.profile.name.c_str(), MetOrNot(CheapEnough(r)).c_str(),
                 r.lifeboat_cost.total() / r.cloudwatch_cost.total());
    if (HasWriteTarget(r)) {
      std::fprintf(out, "; fewer writes/day than Vector's defaults: %s (%s vs %s)",
                   MetOrNot(r.write_requests < r.vector.write_requests).c_str(),
                   Count(r.write_requests).c_str(), Count(r.vector.write_requests).c_str());
    }
    std::fprintf(out, "\n");
  }
}

void PrintHistory(std::FILE* out, const HistoryOptions& o, const HistoryResult& r) {
  std::fprintf(out,
               "bench/longhaul --history: %s chunks of %s shipped in %.0f virtual s, %.0f s of "
               "wall time%s\n",
               Integer(r.chunks).c_str(), Bytes(o.chunk_bytes).c_str(), r.virtual_seconds,
               r.wall_seconds, r.stopped_early ? " (stopped at the wall-clock limit)" : "");
  std::fprintf(out,
               "  agent RSS after the history: %s (%s after malloc_trim, peak %s); at most 32 MiB: "
               "%s\n",
               Bytes(r.rss_bytes).c_str(), Bytes(r.rss_trimmed_bytes).c_str(),
               Bytes(r.peak_rss_bytes).c_str(), MetOrNot(r.rss_bytes <= kRssTarget).c_str());
  std::fprintf(out, "  manifest updates: %s, bytes written per update: max %s, mean %s\n",
               Integer(r.updates).c_str(), Bytes(r.update_bytes_max).c_str(),
               Bytes(r.update_bytes_mean).c_str());
  if (r.steady_updates == 0) {
    std::fprintf(out, "  updates after the history: none measured%s\n",
                 r.stopped_early ? " (the history did not finish)" : "");
  } else {
    std::fprintf(out,
                 "  after the history, %s updates; the worst wrote %s for %s new chunks (%.0f%% "
                 "of 64 KiB + 200 B a chunk); over the target: %s of %s: %s\n",
                 Integer(r.steady_updates).c_str(), Bytes(r.steady_worst_bytes).c_str(),
                 Integer(r.steady_worst_new_chunks).c_str(),
                 100 * UpdateShareOfTarget(r.steady_worst_bytes, r.steady_worst_new_chunks),
                 Integer(r.steady_over_target).c_str(), Integer(r.steady_updates).c_str(),
                 MetOrNot(UpdatesMet(r)).c_str());
  }
  std::fprintf(out, "  checkpoint: %s\n", Bytes(r.checkpoint_bytes).c_str());
  std::fprintf(out,
               "  restart in a new process (open the checkpoint, Shipper::Start; median of 3): "
               "%.2f s, at most 2 s: %s; its RSS then %s\n",
               r.restart_seconds, MetOrNot(r.restart_seconds <= kRestartTarget).c_str(),
               Bytes(r.restart_rss_bytes).c_str());
}

json ConfigJson(const AgentConfig& c) {
  return {{"codec", std::string(CodecName(c.codec))},
          {"level", c.level},
          {"flush_max_bytes", c.flush_max_bytes},
          {"flush_max_age_ms", c.flush_max_age.count()},
          {"manifest_interval_ms", c.manifest_interval.count()},
          {"rescan_interval_ms", c.rescan_interval.count()},
          {"rotate_wait_ms", c.rotate_wait.count()},
          {"parallel", c.parallel}};
}

json ProfileJson(const ProfileReport& r) {
  json targets = {{"cost_at_most_tenth_of_cloudwatch", CheapEnough(r)}};
  if (HasWriteTarget(r))
    targets["fewer_writes_than_vector"] = r.write_requests < r.vector.write_requests;
  return {{"profile", r.profile.name},
          {"files", r.profile.files},
          {"run", r.run},
          {"per_day",
           {{"raw_bytes", r.raw_bytes},
            {"write_requests", r.write_requests},
            {"objects", r.objects},
            {"manifest_bytes", r.manifest_bytes},
            {"manifest_updates", r.run.store.manifest_writes / std::max(r.run.days, 1e-9)},
            {"agent_cpu_seconds", r.agent_cpu_seconds}}},
          {"mean_object_bytes", r.mean_object_bytes},
          {"stored_fraction", r.stored_fraction},
          {"s3_day",
           {{"lifeboat", Day(r.lifeboat)},
            {"vector", Day(r.vector)},
            {"fluent_bit", Day(r.fluent_bit)}}},
          {"dollars_per_month",
           {{"lifeboat", Cost(r.lifeboat_cost)},
            {"cloudwatch", Cost(r.cloudwatch_cost)},
            {"vector", Cost(r.vector_cost)},
            {"fluent_bit", Cost(r.fluent_bit_cost)}}},
          {"targets", targets}};
}

json HistoryJson(const HistoryOptions& o, const HistoryResult& r) {
  return {{"chunks", r.chunks},
          {"chunk_bytes", o.chunk_bytes},
          {"wall_seconds", r.wall_seconds},
          {"virtual_seconds", r.virtual_seconds},
          {"stopped_early", r.stopped_early},
          {"rss_bytes", r.rss_bytes},
          {"rss_trimmed_bytes", r.rss_trimmed_bytes},
          {"peak_rss_bytes", r.peak_rss_bytes},
          {"checkpoint_bytes", r.checkpoint_bytes},
          {"manifest_updates", r.updates},
          {"update_bytes_max", r.update_bytes_max},
          {"update_bytes_mean", r.update_bytes_mean},
          {"steady_updates", r.steady_updates},
          {"steady_worst_bytes", r.steady_worst_bytes},
          {"steady_worst_new_chunks", r.steady_worst_new_chunks},
          {"steady_over_target", r.steady_over_target},
          {"restart_seconds", r.restart_seconds},
          {"restart_rss_bytes", r.restart_rss_bytes},
          {"targets",
           {{"rss_at_most_32_mib", r.rss_bytes <= kRssTarget},
            {"update_at_most_64k_plus_200_per_chunk", UpdatesMet(r)},
            {"restart_at_most_2_s", r.restart_seconds <= kRestartTarget}}}};
}

std::string EncodeProfileResult(const ProfileResult& result) { return json(result).dump(); }

Result<ProfileResult> DecodeProfileResult(std::string_view text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return Status::Internal("a profile's child process sent no result");
  if (parsed.contains("error")) return Status::Internal(parsed["error"].get<std::string>());
  try {
    return parsed.get<ProfileResult>();
  } catch (const json::exception& e) {
    return Status::Internal(std::string("a profile's result does not parse: ") + e.what());
  }
}

}  // namespace lifeboat
