// What bench/longhaul prints: per profile, the agent's figures per simulated day and
// the monthly bill next to CloudWatch Logs, Vector and Fluent Bit; for --history, the
// figures against the targets. A compact table for people, JSON for scripts.
#ifndef LIFEBOAT_BENCH_LONGHAUL_REPORT_H_
#define LIFEBOAT_BENCH_LONGHAUL_REPORT_H_

#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "agent/agent_config.h"
#include "longhaul/profiles.h"
#include "longhaul/simulation.h"

namespace lifeboat {

struct ProfileReport {
  Profile profile;
  ProfileResult run;
  // Per simulated day.
  double raw_bytes = 0;
  double write_requests = 0;  // PutObject and multipart requests, chunks and manifests
  double objects = 0;         // chunk objects
  double mean_object_bytes = 0;
  double manifest_bytes = 0;     // written under .lifeboat/
  double agent_cpu_seconds = 0;  // the process's, less generating the synthetic bytes
  double stored_fraction = 0;    // stored / raw bytes shipped
  S3Day lifeboat, vector, fluent_bit;
  MonthlyCost lifeboat_cost, cloudwatch_cost, vector_cost, fluent_bit_cost;
};

ProfileReport Evaluate(const Profile& profile, const ProfileResult& run, const Prices& prices);

void PrintProfiles(std::FILE* out, const AgentConfig& config,
                   const std::vector<ProfileReport>& rows);
void PrintHistory(std::FILE* out, const HistoryOptions& options, const HistoryResult& result);

nlohmann::json ConfigJson(const AgentConfig& config);
nlohmann::json ProfileJson(const ProfileReport& row);
nlohmann::json HistoryJson(const HistoryOptions& options, const HistoryResult& result);

// ProfileResult through a pipe: each profile runs in a child process of its own, so that
// its peak RSS and CPU are its own.
std::string EncodeProfileResult(const ProfileResult& result);
Result<ProfileResult> DecodeProfileResult(std::string_view text);

}  // namespace lifeboat

#endif  // LIFEBOAT_BENCH_LONGHAUL_REPORT_H_
