// lifeboat grep PATTERN URL: the matching lines of shipped logs, prefixed with instance and
// path like grep -H, in file order. Only the chunks whose written-time bounds overlap
// --since/--until are fetched; they are fetched, decoded and matched in parallel.
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "common/time_text.h"
#include "common/units.h"
#include "search/chunk_search.h"
#include "search/fleet_selection.h"
#include "store/open_store.h"

namespace lifeboat {
namespace {

struct GrepFlags {
  std::string pattern;
  std::string url;
  std::string since;
  std::string until;
  std::string group;
  std::vector<std::string> instances;
  std::string path;
  bool ignore_case = false;
  bool fixed = false;
  bool extended = false;  // the only syntax there is: accepted for grep's habit
  bool count = false;
  bool files_with_matches = false;
  bool json = false;
  bool stats = false;
  int parallel = 8;
  AwsFlags aws;
};

constexpr int kExitNoMatch = 1;
constexpr int kExitError = 2;

std::string JsonLine(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// What is printed for one (instance, path) once its chunks are searched.
class Printer {
 public:
  explicit Printer(const GrepFlags& f) : f_(f) {}

  void Line(const ChunkToSearch& c, std::string_view line) {
    if (f_.json) {
      std::printf("%s\n", JsonLine({{"instance", c.instance_id}, {"path", c.path}, {"line", line}}).c_str());
    } else {
      std::printf("%s:%s:%.*s\n", c.instance_id.c_str(), c.path.c_str(), static_cast<int>(line.size()),
                  line.data());
    }
  }
  void FileDone(const std::string& instance, const std::string& path, uint64_t matches) {
    if (f_.count) {
      if (f_.json) {
        std::printf("%s\n", JsonLine({{"instance", instance}, {"path", path}, {"count", matches}}).c_str());
      } else {
        std::printf("%s:%s:%llu\n", instance.c_str(), path.c_str(), static_cast<unsigned long long>(matches));
      }
    } else if (f_.files_with_matches && matches > 0) {
      if (f_.json) {
        std::printf("%s\n", JsonLine({{"instance", instance}, {"path", path}}).c_str());
      } else {
        std::printf("%s:%s\n", instance.c_str(), path.c_str());
      }
    }
  }

 private:
  const GrepFlags& f_;
};

// A line on the terminal while chunks are searched; nothing when stderr is not one.
class Progress {
 public:
  explicit Progress(const ChunkSearchProgress& p) : p_(p), on_(::isatty(STDERR_FILENO) == 1) {}
  void Show(size_t total) {
    if (!on_) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - shown_ < std::chrono::milliseconds(100)) return;
    shown_ = now;
    std::fprintf(stderr, "\r\033[Ksearched %llu of %zu chunks, %s", 
                 static_cast<unsigned long long>(p_.chunks.load()), total,
                 FormatBytes(p_.raw_bytes.load()).c_str());
  }
  void Clear() {
    if (on_ && shown_ != std::chrono::steady_clock::time_point{}) std::fprintf(stderr, "\r\033[K");
  }

 private:
  const ChunkSearchProgress& p_;
  bool on_;
  std::chrono::steady_clock::time_point shown_{};
};

int RunGrep(const GrepFlags& f) {
  Env* env = Env::Default();
  const auto now = env->Now();
  SearchScope scope;
  scope.path_glob = f.path;
  auto window = ParseTimeWindow(f.since, f.until, now);
  if (!window.ok()) return Fail(window.status(), kExitError);
  const std::optional<WallTime> since = window->since, until = window->until;
  scope.from_ms = UnixMsOr0(since);
  scope.to_ms = UnixMsOr0(until);
  auto matcher = LineMatcher::Create(f.pattern, {f.fixed, f.ignore_case});
  if (!matcher.ok()) return Fail(matcher.status(), kExitError);

  auto session = SessionFor(f.url, env, f.aws);
  if (!session.ok()) return Fail(session.status(), kExitError);
  auto url = ParseStoreUrl(f.url);
  if (!url.ok()) return Fail(url.status(), kExitError);
  auto opened = OpenStore(*url, env, session->get());
  if (!opened.ok()) return Fail(opened.status(), kExitError);
  ObjectStore* store = opened->store.get();

  auto ids = SelectInstances(store, f.instances, since, until, f.group, now);
  if (!ids.ok()) return Fail(ids.status(), kExitError);

  Printer printer(f);
  ChunkSearchProgress progress;
  Progress display(progress);
  uint64_t matched = 0;
  uint64_t chunks_in_scope = 0;
  uint64_t stored_in_scope = 0;
  bool failed = false;
  for (const std::string& id : *ids) {
    auto plan = PlanInstanceSearch(store, id, scope);
    if (!plan.ok()) {
      display.Clear();
      std::fprintf(stderr, "lifeboat: %s: %s\n", id.c_str(), plan.status().message().c_str());
      failed = true;
      continue;
    }
    chunks_in_scope += plan->chunks_in_scope;
    stored_in_scope += plan->stored_bytes_in_scope;
    std::map<std::string, uint64_t> per_path;  // every path in scope is reported by -c
    for (const std::string& p : plan->paths) per_path[p] = 0;
    ChunkSearchOptions options{f.parallel, !(f.count || f.files_with_matches)};
    SearchChunks(store, plan->chunks, *matcher, options, &progress,
                 [&](const ChunkToSearch& c, ChunkResult& r) {
                   if (!r.status.ok()) {
                     display.Clear();
                     std::fprintf(stderr, "lifeboat: %s\n", r.status.message().c_str());
                     failed = true;
                     return true;
                   }
                   if (!r.lines.empty()) display.Clear();
                   for (const std::string& line : r.lines) printer.Line(c, line);
                   per_path[c.path] += r.matches;
                   matched += r.matches;
                   display.Show(plan->chunks.size());
                   return true;
                 });
    display.Clear();
    for (const auto& [path, n] : per_path) printer.FileDone(id, path, n);
  }
  display.Clear();
  if (f.stats) {
    std::fprintf(stderr,
                 "lifeboat: searched %llu of %llu chunks: %s raw, %s of the %s stored in scope\n",
                 static_cast<unsigned long long>(progress.chunks.load()),
                 static_cast<unsigned long long>(chunks_in_scope),
                 FormatBytes(progress.raw_bytes.load()).c_str(),
                 FormatBytes(progress.stored_bytes.load()).c_str(), FormatBytes(stored_in_scope).c_str());
  }
  if (std::fflush(stdout) != 0) return Fail(Status::IoError("cannot write to standard output"), kExitError);
  if (failed) return kExitError;
  return matched > 0 ? kExitOk : kExitNoMatch;
}

}  // namespace

Subcommand AddGrepCommand(CLI::App& app) {
  auto flags = std::make_shared<GrepFlags>();
  CLI::App* cmd = app.add_subcommand(
      "grep", "Print the lines of shipped logs that match a pattern (exit 0 matched, 1 none, 2 error)");
  cmd->add_option("pattern", flags->pattern,
                  "An extended regular expression (RE2 syntax, as grep -E), or with -F a string")
      ->required();
  cmd->add_option("url", flags->url, "Where the fleet's logs are: s3://bucket[/prefix] or file:///dir")
      ->required();
  cmd->add_option("--since", flags->since,
                  "Only chunks written at or after: 2026-12-06T03:00:00Z, 2026-12-06, or 3h, 2d ago");
  cmd->add_option("--until", flags->until, "Only chunks written at or before (same forms)");
  cmd->add_option("--group", flags->group, "Only instances of this Auto Scaling group");
  cmd->add_option("--instance", flags->instances,
                  "Only this instance (repeatable); by default every instance the index finds "
                  "alive in the window (the last 7 days without --since)");
  cmd->add_option("--path", flags->path, "Only source paths matching this glob, e.g. '/var/log/nginx/*'");
  cmd->add_flag("-i,--ignore-case", flags->ignore_case, "Ignore case");
  cmd->add_flag("-F,--fixed-strings", flags->fixed, "PATTERN is a string, not an expression");
  cmd->add_flag("-E,--extended-regexp", flags->extended, "PATTERN is an extended expression (the default)");
  cmd->add_flag("-c,--count", flags->count, "Print a count of matching lines per file");
  cmd->add_flag("-l,--files-with-matches", flags->files_with_matches, "Print only the files that match");
  cmd->add_flag("--json", flags->json, "One JSON object per line");
  cmd->add_flag("--stats", flags->stats, "At the end, how many chunks and bytes were read (stderr)");
  cmd->add_option("--parallel", flags->parallel, "Chunks fetched and searched at once")
      ->check(CLI::Range(1, 64));
  flags->aws.AddTo(cmd);
  return {cmd, [flags] { return RunGrep(*flags); }};
}

}  // namespace lifeboat
