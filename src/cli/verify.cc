// lifeboat verify URL/INSTANCE-ID: prove an instance's logs are complete in the store.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/cli_support.h"
#include "cli/commands.h"
#include "cli/instance_url.h"
#include "common/units.h"
#include "ship/verification.h"

namespace lifeboat {
namespace {

struct VerifyFlags {
  std::string location;
  bool quick = false;
  bool json = false;
  int parallel = 4;
  AwsFlags aws;
};

int RunVerify(const VerifyFlags& f) {
  Env* env = Env::Default();
  auto session = SessionFor(f.location, env, f.aws);
  if (!session.ok()) return Fail(session.status(), ExitCodeFor(session.status()));
  auto loc = LocateInstance(f.location, env, session->get());
  if (!loc.ok()) return Fail(loc.status(), ExitCodeFor(loc.status()));
  auto report = VerifyInstance(loc->opened.store.get(), loc->instance_id, {f.quick, f.parallel});
  if (!report.ok()) return Fail(report.status());

  const Manifest& m = report->manifest;
  if (f.json) {
    nlohmann::json problems = nlohmann::json::array();
    for (const auto& p : report->problems) problems.push_back(p.message());
    nlohmann::json j = {{"ok", report->ok()},
                        {"instance_id", m.instance_id},
                        {"sealed", m.sealed},
                        {"streams", report->streams},
                        {"chunks", report->chunks_checked},
                        {"raw_bytes", report->raw_bytes},
                        {"stored_bytes", report->stored_bytes},
                        {"problems", problems},
                        {"warnings", report->warnings}};
    std::printf("%s\n", j.dump().c_str());
  }
  for (const auto& w : report->warnings) std::fprintf(stderr, "lifeboat: warning: %s\n", w.c_str());
  if (!report->ok()) {
    std::fprintf(stderr, "lifeboat: %s\n", report->problems.front().message().c_str());
    if (report->problems.size() > 1) {
      std::fprintf(stderr, "lifeboat: %zu more problems (--json lists them all)\n",
                   report->problems.size() - 1);
    }
    return kExitFailure;
  }
  if (!f.json) {
    std::fprintf(stderr, "lifeboat: verified %s: %zu streams, %llu chunks, %s (%s stored)%s%s\n",
                 m.instance_id.c_str(), report->streams,
                 static_cast<unsigned long long>(report->chunks_checked),
                 FormatBytes(report->raw_bytes).c_str(), FormatBytes(report->stored_bytes).c_str(),
                 m.sealed ? ", sealed" : ", not sealed", f.quick ? " (sizes only)" : "");
  }
  return kExitOk;
}

}  // namespace

Subcommand AddVerifyCommand(CLI::App& app) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check an instance's manifest against the store: every chunk present, intact, contiguous");
  cmd->add_option("location", flags->location, "URL/INSTANCE-ID, e.g. s3://logs/fleet/i-0abc")->required();
  cmd->add_flag("--quick", flags->quick, "Check sizes only (no download)");
  cmd->add_flag("--json", flags->json, "Print the result as JSON on stdout");
  cmd->add_option("--parallel", flags->parallel, "Chunks checked at once")->capture_default_str();
  flags->aws.AddTo(cmd);
  return {cmd, [flags] { return RunVerify(*flags); }};
}

}  // namespace lifeboat
