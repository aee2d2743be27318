#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "common/logging.h"

namespace lifeboat {

int RunCli(int argc, char** argv) {
  CLI::App app{"lifeboat: get every log line off an EC2 instance before it is terminated"};
  app.set_version_flag("--version", std::string("lifeboat ") + LIFEBOAT_VERSION);
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")->capture_default_str();

  struct Entry {
    CLI::App* sub;
    CommandRunner run;
  };
  std::vector<Entry> entries;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!InitLogging(log_level)) {
    std::fprintf(stderr, "lifeboat: --log-level %s: not one of trace|debug|info|warn|error|off\n",
                 log_level.c_str());
    return 2;
  }
  for (auto& e : entries) {
    if (e.sub->parsed()) return e.run();
  }
  return 2;
}

}  // namespace lifeboat
