// lifeboat ls URL [--since TIME|DURATION] [--until TIME] [--group NAME] [--json]: the
// instances whose logs overlap a time window, newest first, found through the day index
// (ship/instance_index.h) without knowing their ids. Reads one listing a day of the window
// and the records it finds, nothing else.
//
// Exit status, as ls(1) and grep(1): 0 the listing is complete (even when empty), 2 it
// could not be made (a bad argument, a missing bucket or directory, a denied read).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/time_text.h"
#include "common/units.h"
#include "ship/instance_index.h"
#include "store/open_store.h"

namespace lifeboat {
namespace {

struct LsFlags {
  std::string location;
  std::string since;
  std::string until;
  std::string group;
  bool json = false;
  AwsFlags aws;
};

std::string TimeCell(const std::optional<WallTime>& t) { return t ? FormatRfc3339(*t) : "-"; }

void PrintTable(const std::vector<InstanceRecord>& records) {
  std::vector<std::vector<std::string>> rows = {
      {"INSTANCE", "GROUP", "LAUNCHED", "TERMINATED", "CAUSE", "FILES", "RAW", "STORED", "SEALED"}};
  for (const auto& r : records) {
    rows.push_back({r.instance_id, r.group.empty() ? "-" : r.group, TimeCell(r.launch_time),
                    TimeCell(r.terminated_at),
                    r.cause ? std::string(EndCauseName(*r.cause)) : "running",
                    std::to_string(r.files.size()), FormatBytes(r.raw_bytes()),
                    FormatBytes(r.stored_bytes()), r.sealed ? "sealed" : "open"});
  }
  std::vector<size_t> width(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    }
    std::printf("%s\n", line.c_str());
  }
}

int RunLs(const LsFlags& f) {
  Env* env = Env::Default();
  const WallTime now = env->Now();
  auto window = ParseTimeWindow(f.since, f.until, now);
  if (!window.ok()) return Fail(window.status(), kExitUsage);
  const std::optional<WallTime> since = window->since, until = window->until;
  auto url = ParseStoreUrl(f.location);
  if (!url.ok()) return Fail(url.status(), kExitUsage);
  if (url->kind == StoreUrl::Kind::kFile) {
    // A directory store lists a missing directory as empty; say it is missing instead.
    auto info = env->Stat(url->directory());
    if (!info.ok() || info->type != FileType::kDirectory) {
      return Fail(Status::NotFound(url->ToString() + ": no such directory"), kExitUsage);
    }
  }
  auto session = SessionFor(f.location, env, f.aws);
  if (!session.ok()) return Fail(session.status(), kExitUsage);
  auto opened = OpenStore(*url, env, session->get());
  if (!opened.ok()) return Fail(opened.status(), kExitUsage);

  auto found = FindInstances(opened->store.get(), since, until, f.group, now);
  if (!found.ok()) return Fail(found.status(), kExitUsage);
  if (f.json) {
    // One record per line, as stored: what jq and scripts read.
    for (const auto& r : *found) {
      std::printf("%s\n", nlohmann::json::parse(InstanceRecordToJson(r)).dump().c_str());
    }
  } else if (found->empty()) {
    const WallTime to = until.value_or(now);
    std::fprintf(stderr, "lifeboat: no instance%s has logs between %s and %s in %s\n",
                 f.group.empty() ? "" : (" of group " + f.group).c_str(),
                 FormatRfc3339(since.value_or(to - kDefaultFindWindow)).c_str(),
                 FormatRfc3339(to).c_str(), url->ToString().c_str());
  } else {
    PrintTable(*found);
  }
  if (std::fflush(stdout) != 0) return Fail(Status::IoError("cannot write to standard output"), kExitUsage);
  return kExitOk;
}

}  // namespace

Subcommand AddLsCommand(CLI::App& app) {
  auto flags = std::make_shared<LsFlags>();
  CLI::App* cmd = app.add_subcommand(
      "ls", "List the instances whose logs overlap a time window, newest first (default: the last 7 days)");
  cmd->add_option("location", flags->location, "s3://bucket[/prefix] or file:///dir")->required();
  cmd->add_option("--since", flags->since,
                  "Start of the window: RFC 3339 (2026-11-26T03:00:00Z, 2026-11-26) or a duration ago (3h, 2d); "
                  "default: 7 days before --until");
  cmd->add_option("--until", flags->until, "End of the window, as --since; default: now");
  cmd->add_option("--group", flags->group, "Only instances of this Auto Scaling group");
  cmd->add_flag("--json", flags->json, "One instance record per line (lifeboat-instance/1)");
  flags->aws.AddTo(cmd);
  return {cmd, [flags] { return RunLs(*flags); }};
}

}  // namespace lifeboat
