// CommandHost: where Run Command's scripts run, as SSM sees the instances. lifeboat local
// implements it over the simulated instances (cloud_wiring.h: FleetCommandHost), where a
// script runs inside its instance, with the instance's environment, through bash; unit
// tests use a fake.
//
// Implementations must be thread-safe: SSM runs each invocation on its own thread.
#ifndef LIFEBOAT_LOCAL_SSM_COMMAND_HOST_H_
#define LIFEBOAT_LOCAL_SSM_COMMAND_HOST_H_

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace lifeboat {

struct HostInstance {
  std::string instance_id;
  std::map<std::string, std::string> tags;  // aws:autoscaling:groupName among them
};

struct HostCommand {
  std::string instance_id;
  // Names this run among the instance's runs, "<command-id>/<plugin>" (letters, digits,
  // '.', '-', '_' and '/'): where the host keeps the script and its output, as the agent
  // keeps them under its orchestration directory.
  std::string run_name;
  std::string script;             // the content of _script.sh
  std::string working_directory;  // empty: the host's default
  std::chrono::milliseconds timeout{3600 * 1000};
  // Set by SSM to stop the run (CancelCommand, shutdown); the host checks it often.
  const std::atomic<bool>* cancel = nullptr;
};

// How a run ended. exit_code is the script's status, 128+N when a signal N ended it; the
// agent's 137 when the host killed it for its timeout or a cancel.
struct HostCommandResult {
  int exit_code = 0;
  bool timed_out = false;
  bool cancelled = false;
  // The beginning of what the script wrote, at most kHostOutputLimit bytes of each.
  std::string stdout_head;
  std::string stderr_head;
};

inline constexpr size_t kHostOutputLimit = 64 * 1024;

class CommandHost {
 public:
  virtual ~CommandHost() = default;
  // Whether SSM can reach the instance now (it exists and runs).
  virtual bool Running(const std::string& instance_id) = 0;
  // Every instance that runs now, with its tags, for SendCommand's Targets.
  virtual std::vector<HostInstance> RunningInstances() = 0;
  // Runs one script to its end, its timeout or a cancel, blocking the calling thread. An
  // error means it could not start (the instance is gone, its files cannot be written).
  virtual Result<HostCommandResult> Run(const HostCommand& command) = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SSM_COMMAND_HOST_H_
