// LocalSsm: the SSM Run Command of `lifeboat local`, JSON 1.1 (X-Amz-Target:
// AmazonSSM.<Action>, application/x-amz-json-1.1), as the aws CLI and boto3 call it:
//   documents   CreateDocument, DescribeDocument, GetDocument, DeleteDocument,
//               ListDocuments (ssm_document_store.h; AWS-RunShellScript built in)
//   commands    SendCommand, GetCommandInvocation, ListCommandInvocations, ListCommands,
//               CancelCommand
// SendCommand checks everything first (the document and its parameters, that every
// InstanceIds instance is running: InvalidInstanceId otherwise; Targets by InstanceIds,
// tag:<key>, tag-key, matched against the running instances' tags, all targets must
// match), then runs one invocation per instance on a thread of its own, through the
// CommandHost: each plugin's script runs inside the instance, killed at its execution
// timeout (TimedOut, ResponseCode 137, as the agent reports it). An instance that stops
// running after the command was sent is retried until TimeoutSeconds (the delivery
// timeout), then the invocation is TimedOut with StatusDetails DeliveryTimedOut.
//
// What is not AWS: state is in memory only (documents and commands are gone when the
// process ends); OutputS3BucketName/KeyPrefix and CloudWatchOutputConfig are recorded and
// echoed but output is not uploaded (StandardOutputUrl stays empty); MaxConcurrency is
// echoed, every target starts at once; a document has one version.
//
// Thread-safe. Stop() (or the destructor) cancels every running script and waits for the
// invocation threads; the CommandHost must outlive it.
#ifndef LIFEBOAT_LOCAL_SSM_LOCAL_SSM_H_
#define LIFEBOAT_LOCAL_SSM_LOCAL_SSM_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "local/local_service.h"
#include "local/ssm/command_host.h"
#include "local/ssm/ssm_commands.h"
#include "local/ssm/ssm_document_store.h"

namespace lifeboat {

struct LocalSsmOptions {
  Env* env = nullptr;  // clocks; must outlive the service
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  CommandHost* host = nullptr;  // where scripts run; must outlive the service
  // How often an unreachable instance is tried again until the delivery timeout.
  std::chrono::milliseconds delivery_retry{1000};
};

class LocalSsm final : public LocalService {
 public:
  explicit LocalSsm(LocalSsmOptions options);
  ~LocalSsm() override;
  LocalSsm(const LocalSsm&) = delete;
  LocalSsm& operator=(const LocalSsm&) = delete;

  LocalResponse Handle(const LocalRequest& request) override;

  // Runs one action on a request body: what Handle does after unwrapping the protocol.
  Result<nlohmann::json> Call(std::string_view action, const nlohmann::json& input);

  // Cancels what runs, waits for the invocation threads; later SendCommands fail.
  void Stop();

 private:
  using CommandPtr = std::shared_ptr<SsmCommandState>;
  using InvocationPtr = std::shared_ptr<SsmInvocationState>;

  Result<nlohmann::json> SendCommand(const nlohmann::json& input);
  Result<nlohmann::json> GetCommandInvocation(const nlohmann::json& input);
  Result<nlohmann::json> ListCommandInvocations(const nlohmann::json& input);
  Result<nlohmann::json> ListCommands(const nlohmann::json& input);
  Result<nlohmann::json> CancelCommand(const nlohmann::json& input);

  Result<std::vector<std::string>> ResolveTargets(const nlohmann::json& targets);
  CommandPtr FindCommand(const std::string& command_id);  // needs mu_
  void StartWorker(CommandPtr command, InvocationPtr invocation);
  void RunInvocation(const CommandPtr& command, const InvocationPtr& invocation);
  // Runs one plugin; returns its final state (the caller stores it under the lock).
  SsmPluginState RunPlugin(const SsmCommandState& command, const SsmInvocationState& invocation,
                           const SsmPluginPlan& plan, SsmPluginState state);

  const LocalSsmOptions options_;
  SsmDocumentStore documents_;

  std::mutex mu_;                 // guards everything below and the state inside the commands
  std::condition_variable wake_;  // delivery retries wait on it; Stop and cancels notify
  bool stopping_ = false;
  std::vector<CommandPtr> commands_;  // in the order they were sent
  std::map<std::string, CommandPtr> by_id_;
  std::map<uint64_t, std::thread> workers_;
  std::vector<uint64_t> finished_;  // workers done, to be joined
  uint64_t next_worker_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_LOCAL_SSM_H_
