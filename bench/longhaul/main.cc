// bench/longhaul: 30 simulated days of the lifeboat agent, in minutes.
//
//   build/bench/longhaul [--profile quiet|web|busy]... [--days N] [--json]
//   build/bench/longhaul --history[=N] [--json]
//
// Runs the real agent (Shipper at AgentConfig's defaults, a real SQLite checkpoint) in
// virtual time against generated log files and a store that counts requests, and prints
// per profile what a month costs: write requests and objects a day, manifest bytes a
// day, peak RSS, CPU seconds a day, and dollars next to CloudWatch Logs, Vector and
// Fluent Bit. Each profile runs in a child process, so its RSS and CPU are its own.
// --history ships N small chunks (default 1,000,000), then measures what a long history
// costs: RSS, bytes per manifest update, checkpoint size and restart time.
// docs/benchmarks.md has the machine, the figures and the price formulas.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/logging.h"
#include "longhaul/report.h"
#include "longhaul/simulation.h"

namespace lifeboat {
namespace {

constexpr size_t kRestarts = 3;

struct Args {
  std::vector<std::string> profiles;
  std::optional<double> days;
  bool json = false;
  uint64_t history = 0;
  std::string work_dir;
  std::optional<int> wall_limit_seconds;  // default: RunOptions' and HistoryOptions'
  bool verbose = false;
  std::string restart_from;
};

// tmpfs when there is one: the checkpoint fsyncs at every commit, and a month of them on
// a shared disk would time the disk, not the agent (docs/benchmarks.md).
std::string DefaultWorkRoot() {
  std::error_code ec;
  if (std::filesystem::is_directory("/dev/shm", ec)) return "/dev/shm";
  return std::filesystem::temp_directory_path(ec).string();
}

Result<std::string> MakeWorkDir(const std::string& root) {
  std::string path = root + "/longhaul-XXXXXX";
  if (::mkdtemp(path.data()) == nullptr) {
    return PosixError("creating a directory in " + root, errno);
  }
  return path;
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Reads what a child process writes to `fd` until it closes it, then reaps the child.
Result<std::string> CollectChild(pid_t pid, int fd, const std::string& what) {
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof(buf))) > 0;) text.append(buf, static_cast<size_t>(n));
  ::close(fd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Internal(what + " failed in its own process (status " + std::to_string(status) +
                            ")");
  }
  return text;
}

// Runs one profile in a child process and reads its result back through a pipe. The
// parent has started no thread, so forking it is safe.
Result<ProfileResult> RunInChild(const Profile& profile, const RunOptions& options) {
  int fds[2];
  if (::pipe(fds) != 0) return PosixError("pipe", errno);
  const pid_t pid = ::fork();
  if (pid < 0) return PosixError("fork", errno);
  if (pid == 0) {
    ::close(fds[0]);
    Result<ProfileResult> result = RunProfile(profile, options);
    const std::string out = result.ok()
                                ? EncodeProfileResult(*result)
                                : nlohmann::json{{"error", result.status().ToString()}}.dump();
    std::_Exit(WriteAll(fds[1], out) ? 0 : 1);
  }
  ::close(fds[1]);
  LIFEBOAT_ASSIGN_OR_RETURN(std::string text,
                            CollectChild(pid, fds[0], "the " + profile.name + " run"));
  Result<ProfileResult> result = DecodeProfileResult(text);
  if (!result.ok()) return result.status().WithContext(profile.name);
  return result;
}

// A restart is a new process: this binary again, with --restart-from, so that the RSS
// it reports is the new agent's and not what the history left in this one.
Result<RestartResult> RestartInNewProcess(const std::string& work_dir) {
  int fds[2];
  if (::pipe(fds) != 0) return PosixError("pipe", errno);
  const pid_t pid = ::fork();
  if (pid < 0) return PosixError("fork", errno);
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl("/proc/self/exe", "longhaul", "--restart-from", work_dir.c_str(), nullptr);
    std::_Exit(127);
  }
  ::close(fds[1]);
  LIFEBOAT_ASSIGN_OR_RETURN(std::string text, CollectChild(pid, fds[0], "the restart"));
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object()) return Status::Internal("the restart sent no result");
  return RestartResult{parsed.value("seconds", 0.0), parsed.value("rss_bytes", uint64_t{0})};
}

int RestartOnly(const std::string& work_dir) {
  Result<RestartResult> r = MeasureRestart(work_dir);
  if (!r.ok()) {
    std::fprintf(stderr, "longhaul: restart: %s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf("%s\n",
              nlohmann::json{{"seconds", r->seconds}, {"rss_bytes", r->rss_bytes}}.dump().c_str());
  return 0;
}

int RunProfiles(const Args& args, const std::string& work_dir) {
  std::vector<const Profile*> selected;
  for (const std::string& name : args.profiles) selected.push_back(FindProfile(name));
  if (selected.empty()) {
    for (const Profile& p : Profiles()) selected.push_back(&p);
  }
  const AgentConfig config = ShippedDefaults();
  std::vector<ProfileReport> rows;
  for (const Profile* profile : selected) {
    RunOptions options;
    options.days = args.days.value_or(profile->default_days);
    options.work_dir = work_dir + "/" + profile->name;
    if (args.wall_limit_seconds)
      options.wall_limit = std::chrono::seconds(*args.wall_limit_seconds);
    options.progress = !args.json;
    Result<ProfileResult> run = RunInChild(*profile, options);
    if (!run.ok()) {
      std::fprintf(stderr, "longhaul: %s\n", run.status().ToString().c_str());
      return 1;
    }
    rows.push_back(Evaluate(*profile, *run, Prices{}));
  }
  if (args.json) {
    nlohmann::json out = {{"config", ConfigJson(config)}, {"profiles", nlohmann::json::array()}};
    for (const ProfileReport& row : rows) out["profiles"].push_back(ProfileJson(row));
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    PrintProfiles(stdout, config, rows);
  }
  return 0;
}

int RunHistoryMode(const Args& args, const std::string& work_dir) {
  HistoryOptions options;
  options.chunks = args.history;
  options.work_dir = work_dir + "/history";
  if (args.wall_limit_seconds) options.wall_limit = std::chrono::seconds(*args.wall_limit_seconds);
  options.progress = !args.json;
  Result<HistoryResult> result = RunHistory(options);
  // The median of a few restarts: one alone is at the mercy of whatever else this
  // machine runs.
  std::vector<RestartResult> restarts;
  while (result.ok() && restarts.size() < kRestarts) {
    Result<RestartResult> restart = RestartInNewProcess(options.work_dir);
    if (!restart.ok()) {
      result = restart.status();
    } else {
      restarts.push_back(*restart);
    }
  }
  if (result.ok()) {
    std::sort(restarts.begin(), restarts.end(),
              [](const auto& a, const auto& b) { return a.seconds < b.seconds; });
    result->restart_seconds = restarts[kRestarts / 2].seconds;
    result->restart_rss_bytes = restarts[kRestarts / 2].rss_bytes;
  }
  if (!result.ok()) {
    std::fprintf(stderr, "longhaul: --history: %s\n", result.status().ToString().c_str());
    return 1;
  }
  if (args.json) {
    std::printf("%s\n", nlohmann::json{{"config", ConfigJson(ShippedDefaults())},
                                       {"history", HistoryJson(options, *result)}}
                            .dump(2)
                            .c_str());
  } else {
    PrintHistory(stdout, options, *result);
  }
  return 0;
}

int Main(int argc, char** argv) {
  Args args;
  CLI::App app{"bench/longhaul: simulated weeks of the lifeboat agent, priced"};
  std::vector<std::string> names;
  for (const Profile& p : Profiles()) names.push_back(p.name);
  app.add_option("--profile", args.profiles, "profiles to run (default: all)")
      ->check(CLI::IsMember(names));
  app.add_option("--days", args.days, "simulated days for every profile run (default: per profile)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--json", args.json, "print JSON instead of the table");
  app.add_flag("--history{1000000}", args.history,
               "ship N small chunks (default 1,000,000), then measure what a long history costs");
  app.add_option("--work-dir", args.work_dir,
                 "where checkpoints and manifests go (default: a new "
                 "directory in /dev/shm)");
  app.add_option("--wall-limit", args.wall_limit_seconds,
                 "stop a run after this many seconds of real time and report what it simulated "
                 "(default: 180 a profile, 3600 for --history)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--verbose", args.verbose, "show the agent's info logs");
  app.add_option("--restart-from", args.restart_from,
                 "what --history runs in a new process: start an agent on this work directory")
      ->group("");  // hidden
  CLI11_PARSE(app, argc, argv);
  InitLogging(args.verbose ? "info" : "warn");
  if (!args.restart_from.empty()) return RestartOnly(args.restart_from);

  std::string work_dir = args.work_dir;
  const bool own_dir = work_dir.empty();
  if (own_dir) {
    Result<std::string> made = MakeWorkDir(DefaultWorkRoot());
    if (!made.ok()) {
      std::fprintf(stderr, "longhaul: %s\n", made.status().ToString().c_str());
      return 1;
    }
    work_dir = *made;
  }
  const int rc = args.history > 0 ? RunHistoryMode(args, work_dir) : RunProfiles(args, work_dir);
  if (own_dir) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir, ec);
  }
  return rc;
}

}  // namespace
}  // namespace lifeboat

int main(int argc, char** argv) { return lifeboat::Main(argc, argv); }
