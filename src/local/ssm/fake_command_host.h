// A CommandHost for SSM's unit tests: instances are names with tags, and a run does what
// the test says (by default: succeeds and prints its script). Runs are recorded.
#ifndef LIFEBOAT_LOCAL_SSM_FAKE_COMMAND_HOST_H_
#define LIFEBOAT_LOCAL_SSM_FAKE_COMMAND_HOST_H_

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "local/ssm/command_host.h"

namespace lifeboat {

class FakeCommandHost final : public CommandHost {
 public:
  using Behaviour = std::function<Result<HostCommandResult>(const HostCommand&)>;

  void AddInstance(const std::string& id, std::map<std::string, std::string> tags = {}) {
    std::lock_guard lock(mu_);
    instances_[id] = std::move(tags);
  }
  void SetBehaviour(Behaviour behaviour) {
    std::lock_guard lock(mu_);
    behaviour_ = std::move(behaviour);
  }
  std::vector<HostCommand> runs() {
    std::lock_guard lock(mu_);
    return runs_;
  }

  bool Running(const std::string& id) override {
    std::lock_guard lock(mu_);
    return instances_.count(id) > 0;
  }
  std::vector<HostInstance> RunningInstances() override {
    std::lock_guard lock(mu_);
    std::vector<HostInstance> out;
    for (const auto& [id, tags] : instances_) out.push_back({id, tags});
    return out;
  }
  Result<HostCommandResult> Run(const HostCommand& command) override {
    Behaviour behaviour;
    {
      std::lock_guard lock(mu_);
      runs_.push_back(command);
      behaviour = behaviour_;
    }
    if (behaviour) return behaviour(command);
    HostCommandResult result;
    result.stdout_head = command.script;
    return result;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> instances_;
  Behaviour behaviour_;
  std::vector<HostCommand> runs_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_FAKE_COMMAND_HOST_H_
