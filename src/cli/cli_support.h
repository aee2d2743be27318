// What the subcommands share: the AWS flags every command that talks to AWS takes, the
// session they lead to, and how errors reach the operator (one line on stderr).
#ifndef LIFEBOAT_CLI_CLI_SUPPORT_H_
#define LIFEBOAT_CLI_CLI_SUPPORT_H_

#include <memory>
#include <string>

#include "aws/aws_session.h"
#include "common/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace lifeboat {

// Exit statuses: 0 done and verified; 1 the work failed (the line says why);
// 2 the command line or configuration is wrong.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct AwsFlags {
  std::string endpoint_url;
  std::string region;
  std::string profile;

  void AddTo(CLI::App* app);
  AwsSessionOptions ToOptions() const;
};

// A session over libcurl with the standard credentials chain.
Result<std::unique_ptr<AwsSession>> MakeSession(Env* env, const AwsSessionOptions& options);
// The session an s3:// location needs; nullptr for file:// (which must not touch AWS).
Result<std::unique_ptr<AwsSession>> SessionFor(std::string_view location, Env* env,
                                               const AwsFlags& flags);

// Prints "lifeboat: <message>" to stderr and returns `exit_code`.
int Fail(const Status& status, int exit_code = kExitFailure);
// The exit status for a Status that stopped a command before any work: usage errors
// (kInvalidArgument) exit 2, everything else 1.
int ExitCodeFor(const Status& status);

}  // namespace lifeboat

#endif  // LIFEBOAT_CLI_CLI_SUPPORT_H_
