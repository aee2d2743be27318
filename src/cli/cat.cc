// lifeboat cat URL/INSTANCE-ID/PATH: print a shipped file's original bytes.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/instance_url.h"
#include "common/time_text.h"
#include "ship/restore.h"

namespace lifeboat {
namespace {

struct CatFlags {
  std::string location;
  std::string since;
  std::string until;
  AwsFlags aws;
};

int RunCat(const CatFlags& f) {
  Env* env = Env::Default();
  auto window = ParseTimeWindow(f.since, f.until, env->Now());
  if (!window.ok()) return Fail(window.status(), kExitUsage);
  const int64_t from_ms = UnixMsOr0(window->since), to_ms = UnixMsOr0(window->until);
  auto session = SessionFor(f.location, env, f.aws);
  if (!session.ok()) return Fail(session.status(), ExitCodeFor(session.status()));
  auto loc = LocateInstanceFile(f.location, env, session->get());
  if (!loc.ok()) return Fail(loc.status(), ExitCodeFor(loc.status()));
  Status s = RestoreFile(loc->opened.store.get(), loc->manifest, loc->path, [](std::string_view data) {
    if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size()) {
      return Status::IoError("cannot write to standard output");
    }
    return Status::Ok();
  }, [&](const ChunkRecord& c) { return c.written.MayOverlap(from_ms, to_ms); });
  if (std::fflush(stdout) != 0 && s.ok()) s = Status::IoError("cannot write to standard output");
  return s.ok() ? kExitOk : Fail(s);
}

}  // namespace

Subcommand AddCatCommand(CLI::App& app) {
  auto flags = std::make_shared<CatFlags>();
  CLI::App* cmd = app.add_subcommand("cat", "Print the original bytes of a shipped file");
  cmd->add_option("location", flags->location,
                  "URL/INSTANCE-ID/PATH, e.g. s3://logs/fleet/i-0abc/var/log/app.log")
      ->required();
  cmd->add_option("--since", flags->since,
                  "Only the chunks written at or after: 2026-12-06T03:00:00Z, 2026-12-06, or 3h, 2d ago");
  cmd->add_option("--until", flags->until, "Only the chunks written at or before (same forms)");
  flags->aws.AddTo(cmd);
  return {cmd, [flags] { return RunCat(*flags); }};
}

}  // namespace lifeboat
