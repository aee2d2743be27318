// Recording implementations of the engine's side-effect interfaces, for tests (and for a
// server that wants to show what the engine did). Thread-safe.
#ifndef LIFEBOAT_LOCAL_AUTOSCALING_RECORDING_SIDE_EFFECTS_H_
#define LIFEBOAT_LOCAL_AUTOSCALING_RECORDING_SIDE_EFFECTS_H_

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "local/autoscaling/side_effects.h"

namespace lifeboat {

class RecordingInstanceHost final : public InstanceHost {
 public:
  // Whether the engine is to wait for OnInstanceBooted (as with real instances).
  void set_reports_boot(bool reports) { reports_boot_ = reports; }
  bool ReportsBoot() const override { return reports_boot_; }
  void Launch(const InstanceLaunch& launch) override {
    std::lock_guard<std::mutex> lock(mu_);
    launched_.push_back(launch);
    calls_.push_back("launch " + launch.instance_id);
  }
  void Terminate(const std::string& id) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      terminated_.push_back(id);
      calls_.push_back("terminate " + id);
    }
    cv_.notify_all();
  }
  void SetTargetLifecycleState(const std::string& id, std::string_view state) override {
    std::lock_guard<std::mutex> lock(mu_);
    target_[id] = std::string(state);
    calls_.push_back("target " + id + " " + std::string(state));
  }
  std::vector<InstanceLaunch> launched() const {
    std::lock_guard<std::mutex> lock(mu_);
    return launched_;
  }
  std::vector<std::string> terminated() const {
    std::lock_guard<std::mutex> lock(mu_);
    return terminated_;
  }
  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::string target(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = target_.find(id);
    return it == target_.end() ? "" : it->second;
  }
  // Waits until Terminate(id) was called; false on timeout.
  template <typename Duration>
  bool WaitTerminated(const std::string& id, Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const std::string& t : terminated_) {
        if (t == id) return true;
      }
      return false;
    });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<InstanceLaunch> launched_;
  std::vector<std::string> terminated_;
  std::vector<std::string> calls_;
  std::map<std::string, std::string> target_;
  std::atomic<bool> reports_boot_{false};
};

class RecordingNotificationSink final : public NotificationSink {
 public:
  struct Message {
    std::string target;
    std::string body;
  };
  Status Send(const std::string& target, const std::string& message) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (missing_.count(target) != 0) {
      return Status::NotFound("queue " + target + " does not exist");
    }
    messages_.push_back({target, message});
    return Status::Ok();
  }
  void MakeMissing(const std::string& target) {
    std::lock_guard<std::mutex> lock(mu_);
    missing_.insert(target);
  }
  std::vector<Message> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> messages_;
  std::set<std::string> missing_;
};

class RecordingEventSink final : public EventSink {
 public:
  struct Event {
    std::string detail_type;
    std::string source;
    std::vector<std::string> resources;
    std::string detail;
  };
  void Put(const std::string& detail_type, const std::string& source,
           const std::vector<std::string>& resources, const std::string& detail) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back({detail_type, source, resources, detail});
  }
  std::vector<Event> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_AUTOSCALING_RECORDING_SIDE_EFFECTS_H_
