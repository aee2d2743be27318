#include "controller/sqs_loop.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <list>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lifeboat {
namespace {

using std::chrono::milliseconds;

// Extends a message's visibility while its action is followed, from a thread of its own.
class VisibilityKeeper {
 public:
  VisibilityKeeper(SqsApi& sqs, const SqsLoopOptions& options, std::string receipt)
      : sqs_(sqs), options_(options), receipt_(std::move(receipt)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~VisibilityKeeper() {
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  void Run() {
    const auto every = milliseconds(options_.visibility_timeout * 1000 / 2);
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, every, [this] { return done_; })) {
      Status s =
          sqs_.ChangeMessageVisibility(options_.queue_url, receipt_, options_.visibility_timeout);
      if (!s.ok()) spdlog::warn("extending a message's visibility: {}", s.message());
    }
  }

  SqsApi& sqs_;
  const SqsLoopOptions& options_;
  const std::string receipt_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

void HandleMessage(SqsApi& sqs, LifecycleHandler& handler, const SqsLoopOptions& options,
                   const SqsMessage& message, const std::atomic<bool>& stop) {
  auto notice = ParseLifecycleNotice(message.body);
  if (!notice.ok()) {
    spdlog::warn("message {} left in the queue: {}", message.message_id, notice.status().message());
    return;
  }
  HandlerOutcome outcome;
  {
    VisibilityKeeper visibility(sqs, options, message.receipt_handle);
    outcome = handler.Handle(*notice, HandlerLimits{std::nullopt, &stop});
  }
  std::printf("%s\n", outcome.ToJson().dump().c_str());
  std::fflush(stdout);
  // Stopping hands the action back to the queue, not to the instance alone.
  const bool stopped = outcome.outcome == "handed-over" && stop.load();
  if (outcome.settled && !stopped) {
    if (Status s = sqs.DeleteMessage(options.queue_url, message.receipt_handle); !s.ok()) {
      spdlog::warn("deleting message {}: {}", message.message_id, s.message());
    }
  }
}

}  // namespace

Status RunSqsLoop(Env& env, SqsApi& sqs, LifecycleHandler& handler, const SqsLoopOptions& options,
                  const std::atomic<bool>& stop) {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  // Handler threads with a flag each sets when it is done, so finished ones are joined.
  std::list<std::pair<std::thread, std::shared_ptr<std::atomic<bool>>>> threads;
  auto reap = [&threads] {
    for (auto it = threads.begin(); it != threads.end();) {
      if (it->second->load()) {
        it->first.join();
        it = threads.erase(it);
      } else {
        ++it;
      }
    }
  };
  spdlog::info("controller reading lifecycle notices from {}", options.queue_url);
  while (!stop.load()) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < options.max_in_flight || stop.load(); });
    }
    reap();
    ReceiveMessageOptions receive;
    receive.wait = options.wait;
    receive.visibility_timeout = options.visibility_timeout;
    receive.max_messages = std::min(10, options.max_in_flight - in_flight);
    auto messages = sqs.ReceiveMessage(options.queue_url, receive);
    if (!messages.ok()) {
      spdlog::error("receiving from {}: {}", options.queue_url, messages.status().message());
      env.SleepFor(milliseconds(2000));
      continue;
    }
    for (auto& m : *messages) {
      {
        std::lock_guard lock(mu);
        ++in_flight;
      }
      auto done = std::make_shared<std::atomic<bool>>(false);
      std::thread t([&, m, done] {
        HandleMessage(sqs, handler, options, m, stop);
        std::lock_guard lock(mu);
        --in_flight;
        done->store(true);
        cv.notify_all();
      });
      threads.emplace_back(std::move(t), std::move(done));
    }
  }
  for (auto& [t, done] : threads) t.join();
  return Status::Ok();
}

}  // namespace lifeboat
