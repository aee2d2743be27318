// FakeSsm: Run Command behind SsmApi, for unit tests of code that sends documents to
// instances and waits for them.
//
// SendCommand records the request and answers a new command ("cmd-1", "cmd-2", ...) with one
// invocation per instance, unless an error was scripted for it (FailSendCommand: e.g. the
// InvalidInstanceId AWS answers while the SSM agent is not online yet). Each
// GetCommandInvocation call moves that invocation one step along a script (by default
// InProgress, then Success with code 0; the last step stays), or a test sets an invocation
// outright with SetInvocation. ListCommands lists the commands sent, newest first, with
// each command's status taken from its invocation on that instance.
//
// Thread-safe: one mutex guards everything.
#ifndef LIFEBOAT_TESTS_FAKES_FAKE_SSM_H_
#define LIFEBOAT_TESTS_FAKES_FAKE_SSM_H_

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aws/ssm_client.h"

namespace lifeboat {

class FakeSsm final : public SsmApi {
 public:
  static Status InvalidInstanceId() {
    return Status(StatusCode::kInvalidArgument, "InvalidInstanceId", "InvalidInstanceId");
  }
  static Status InvocationDoesNotExist() {
    return Status(StatusCode::kNotFound, "InvocationDoesNotExist", "InvocationDoesNotExist");
  }
  static CommandInvocation Step(std::string status, int response_code = -1,
                                std::string standard_output = {}) {
    CommandInvocation step;
    step.status_details = status;
    step.status = std::move(status);
    step.response_code = response_code;
    step.standard_output = std::move(standard_output);
    return step;
  }

  // The next `times` SendCommand calls fail with `error` (recorded all the same).
  void FailSendCommand(int times, Status error = InvalidInstanceId()) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) send_errors_.push_back(error);
  }
  // The next `times` GetCommandInvocation calls fail with `error`, before any step.
  void FailGetInvocation(int times, Status error = InvocationDoesNotExist()) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) get_errors_.push_back(error);
  }
  // The steps of invocations created from now on.
  void SetInvocationSteps(std::vector<CommandInvocation> steps) {
    std::lock_guard lock(mu_);
    steps_ = std::move(steps);
  }
  // Replaces an invocation's state; it stays so until set again.
  void SetInvocation(const std::string& command_id, const std::string& instance_id,
                     CommandInvocation state) {
    std::lock_guard lock(mu_);
    Invocation& inv = invocations_[{command_id, instance_id}];
    state.command_id = command_id;
    state.instance_id = instance_id;
    inv.steps = {std::move(state)};
    inv.next = 0;
    inv.current = inv.steps[0];
  }

  std::vector<SendCommandRequest> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  // (command id, instance id) of every GetCommandInvocation call.
  std::vector<std::pair<std::string, std::string>> invocation_queries() const {
    std::lock_guard lock(mu_);
    return queries_;
  }
  std::vector<CommandInfo> commands() const {
    std::lock_guard lock(mu_);
    return commands_;
  }

  Result<CommandInfo> SendCommand(const SendCommandRequest& request) override {
    std::lock_guard lock(mu_);
    sent_.push_back(request);
    if (!send_errors_.empty()) {
      Status error = std::move(send_errors_.front());
      send_errors_.pop_front();
      return error;
    }
    CommandInfo command{"cmd-" + std::to_string(commands_.size() + 1),
                        request.document_name,
                        request.comment,
                        "Pending",
                        request.instance_ids,
                        request.parameters};
    for (const std::string& instance : request.instance_ids) {
      Invocation& inv = invocations_[{command.command_id, instance}];
      inv.steps = steps_;
      for (CommandInvocation& step : inv.steps) {
        step.command_id = command.command_id;
        step.instance_id = instance;
      }
      inv.current = Step("Pending");
      inv.current.command_id = command.command_id;
      inv.current.instance_id = instance;
    }
    commands_.push_back(command);
    return command;
  }

  Result<CommandInvocation> GetCommandInvocation(std::string_view command_id,
                                                 std::string_view instance_id) override {
    std::lock_guard lock(mu_);
    queries_.emplace_back(command_id, instance_id);
    if (!get_errors_.empty()) {
      Status error = std::move(get_errors_.front());
      get_errors_.pop_front();
      return error;
    }
    auto it = invocations_.find({std::string(command_id), std::string(instance_id)});
    if (it == invocations_.end()) return InvocationDoesNotExist();
    Invocation& inv = it->second;
    if (inv.next < inv.steps.size()) inv.current = inv.steps[inv.next++];
    return inv.current;
  }

  Result<std::vector<CommandInfo>> ListCommands(std::string_view instance_id,
                                                std::string_view document_name) override {
    std::lock_guard lock(mu_);
    std::vector<CommandInfo> out;
    for (auto it = commands_.rbegin(); it != commands_.rend(); ++it) {
      if (!document_name.empty() && it->document_name != document_name) continue;
      auto inv = invocations_.find({it->command_id, std::string(instance_id)});
      if (inv == invocations_.end()) continue;
      CommandInfo command = *it;
      command.status = inv->second.current.status;
      out.push_back(std::move(command));
    }
    return out;
  }

 private:
  struct Invocation {
    std::vector<CommandInvocation> steps;
    size_t next = 0;  // the step the next GetCommandInvocation moves to
    CommandInvocation current;
  };

  mutable std::mutex mu_;
  std::vector<CommandInvocation> steps_ = {Step("InProgress"), Step("Success", 0)};
  std::deque<Status> send_errors_;
  std::deque<Status> get_errors_;
  std::vector<SendCommandRequest> sent_;
  std::vector<std::pair<std::string, std::string>> queries_;
  std::vector<CommandInfo> commands_;
  std::map<std::pair<std::string, std::string>, Invocation> invocations_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FAKE_SSM_H_
