// How much of a command's output SSM keeps, as the SSM agent cuts it:
//   - GetCommandInvocation's StandardOutputContent: the first 24,000 bytes of stdout,
//     StandardErrorContent the first 8,000 of stderr; an output that reaches the limit
//     ends in "--output truncated--" within it (the agent's ReadPrefix, which cannot tell
//     an output of exactly the limit from a longer one);
//   - ListCommandInvocations' CommandPlugins Output (Details=true): both, at most 2,500
//     bytes, stderr after "\n----------ERROR-------\n", long parts cut with
//     "\n---Output truncated---" / "\n---Error truncated----" (the agent's TruncateOutput).
#ifndef LIFEBOAT_LOCAL_SSM_SSM_OUTPUT_H_
#define LIFEBOAT_LOCAL_SSM_SSM_OUTPUT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace lifeboat {

inline constexpr size_t kSsmStdoutLimit = 24000;
inline constexpr size_t kSsmStderrLimit = 8000;
inline constexpr size_t kSsmPluginOutputLimit = 2500;

// The first `limit` bytes of an output, "--output truncated--" ending it when cut.
std::string SsmOutputPrefix(std::string_view output, size_t limit);

// The plugin Output of ListCommandInvocations from the kept stdout and stderr.
std::string SsmPluginOutput(std::string_view stdout_text, std::string_view stderr_text,
                            size_t capacity = kSsmPluginOutputLimit);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_SSM_OUTPUT_H_
