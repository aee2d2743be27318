// FakeSqs: in-memory queues behind SqsApi, for unit tests of queue consumers.
//
// A test sends messages with Send(); ReceiveMessage hands out visible ones (never waits),
// hides each for the visibility timeout (the request's, else the queue's, 30 s by default)
// and gives it a new receipt handle; DeleteMessage and ChangeMessageVisibility need the
// latest handle, as SQS does. Time is the fake's own clock, moved by Advance(), or a
// function the test passes (e.g. a MemEnv's Now). Every delete and visibility change is
// recorded, and the next N calls of an operation can fail with a scripted error.
//
// Thread-safe: one mutex guards everything (the time function is called under it).
#ifndef LIFEBOAT_TESTS_FAKES_FAKE_SQS_H_
#define LIFEBOAT_TESTS_FAKES_FAKE_SQS_H_

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "aws/sqs_client.h"

namespace lifeboat {

class FakeSqs final : public SqsApi {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  enum class Op { kReceive, kDelete, kChangeVisibility };

  struct Record {
    std::string queue_url;
    std::string receipt_handle;
    int seconds = 0;  // ChangeMessageVisibility only
    Status status;    // what the fake answered
  };

  explicit FakeSqs(Clock now = nullptr) : now_(std::move(now)) {}

  void CreateQueue(const std::string& queue_url, int visibility_timeout = 30) {
    std::lock_guard lock(mu_);
    queues_[queue_url].visibility_timeout = visibility_timeout;
  }
  // Creates the queue if needed; returns the message id.
  std::string Send(const std::string& queue_url, std::string body) {
    std::lock_guard lock(mu_);
    Message m;
    m.id = "msg-" + std::to_string(++next_id_);
    m.body = std::move(body);
    m.sent = Now();
    m.visible_at = m.sent;
    queues_[queue_url].messages.push_back(m);
    return m.id;
  }
  // Moves the fake's own clock (not a clock passed in).
  void Advance(std::chrono::seconds d) {
    std::lock_guard lock(mu_);
    own_now_ += d;
  }
  void FailNext(Op op, Status error, int times = 1) {
    std::lock_guard lock(mu_);
    for (int i = 0; i < times; ++i) errors_[op].push_back(error);
  }

  // Messages not yet deleted, in flight or not.
  size_t Size(const std::string& queue_url) const {
    std::lock_guard lock(mu_);
    auto it = queues_.find(queue_url);
    return it == queues_.end() ? 0 : it->second.messages.size();
  }
  std::vector<Record> deletes() const {
    std::lock_guard lock(mu_);
    return deletes_;
  }
  std::vector<Record> visibility_changes() const {
    std::lock_guard lock(mu_);
    return visibility_changes_;
  }

  Result<std::vector<SqsMessage>> ReceiveMessage(std::string_view queue_url,
                                                 const ReceiveMessageOptions& options) override {
    std::lock_guard lock(mu_);
    if (Status error = TakeError(Op::kReceive); !error.ok()) return error;
    Queue* queue = Find(queue_url);
    if (queue == nullptr) return QueueDoesNotExist();
    const auto now = Now();
    const int hide = options.visibility_timeout.value_or(queue->visibility_timeout);
    std::vector<SqsMessage> out;
    for (Message& m : queue->messages) {
      if (static_cast<int>(out.size()) >= options.max_messages) break;
      if (m.visible_at > now) continue;
      m.visible_at = now + std::chrono::seconds(hide);
      m.handle = m.id + "#" + std::to_string(++m.receive_count);
      const auto sent_ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(m.sent.time_since_epoch());
      out.push_back({m.id,
                     m.handle,
                     m.body,
                     {{"ApproximateReceiveCount", std::to_string(m.receive_count)},
                      {"SentTimestamp", std::to_string(sent_ms.count())}}});
    }
    return out;
  }

  Status DeleteMessage(std::string_view queue_url, std::string_view receipt_handle) override {
    std::lock_guard lock(mu_);
    Status status = TakeError(Op::kDelete);
    if (status.ok()) {
      Queue* queue = Find(queue_url);
      auto* m = queue ? FindByHandle(*queue, receipt_handle) : nullptr;
      if (queue == nullptr) {
        status = QueueDoesNotExist();
      } else if (m == nullptr) {
        status = Status(StatusCode::kInvalidArgument,
                        "ReceiptHandleIsInvalid: The input receipt handle is invalid.",
                        "ReceiptHandleIsInvalid");
      } else {
        std::erase_if(queue->messages, [&](const Message& x) { return &x == m; });
      }
    }
    deletes_.push_back({std::string(queue_url), std::string(receipt_handle), 0, status});
    return status;
  }

  Status ChangeMessageVisibility(std::string_view queue_url, std::string_view receipt_handle,
                                 int seconds) override {
    std::lock_guard lock(mu_);
    Status status = TakeError(Op::kChangeVisibility);
    if (status.ok()) {
      Queue* queue = Find(queue_url);
      auto* m = queue ? FindByHandle(*queue, receipt_handle) : nullptr;
      if (queue == nullptr) {
        status = QueueDoesNotExist();
      } else if (m == nullptr || m->visible_at <= Now()) {
        status = Status(StatusCode::kInvalidArgument,
                        "MessageNotInflight: Message does not exist or is not available for "
                        "visibility timeout change.",
                        "MessageNotInflight");
      } else {
        m->visible_at = Now() + std::chrono::seconds(seconds);
      }
    }
    visibility_changes_.push_back(
        {std::string(queue_url), std::string(receipt_handle), seconds, status});
    return status;
  }

 private:
  struct Message {
    std::string id;
    std::string body;
    std::string handle;  // of the latest receive; empty before the first
    int receive_count = 0;
    std::chrono::system_clock::time_point sent;
    std::chrono::system_clock::time_point visible_at;
  };
  struct Queue {
    int visibility_timeout = 30;
    std::vector<Message> messages;
  };

  static Status QueueDoesNotExist() {
    return Status(StatusCode::kNotFound, "QueueDoesNotExist: The specified queue does not exist.",
                  "QueueDoesNotExist");
  }
  std::chrono::system_clock::time_point Now() const { return now_ ? now_() : own_now_; }
  Queue* Find(std::string_view queue_url) {
    auto it = queues_.find(std::string(queue_url));
    return it == queues_.end() ? nullptr : &it->second;
  }
  static Message* FindByHandle(Queue& queue, std::string_view handle) {
    for (Message& m : queue.messages) {
      if (!m.handle.empty() && m.handle == handle) return &m;
    }
    return nullptr;
  }
  Status TakeError(Op op) {
    std::deque<Status>& queue = errors_[op];
    if (queue.empty()) return Status::Ok();
    Status error = std::move(queue.front());
    queue.pop_front();
    return error;
  }

  mutable std::mutex mu_;
  Clock now_;
  // 2023-11-14T22:13:20Z: a plausible SentTimestamp.
  std::chrono::system_clock::time_point own_now_{std::chrono::seconds(1700000000)};
  std::map<std::string, Queue> queues_;
  std::map<Op, std::deque<Status>> errors_;
  std::vector<Record> deletes_;
  std::vector<Record> visibility_changes_;
  int next_id_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_TESTS_FAKES_FAKE_SQS_H_
