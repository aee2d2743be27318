// SqsQueueStore: the standard queues of `lifeboat local`'s SQS, in memory (SQS needs no
// durability here), independent of the wire protocol. It keeps each queue's attributes
// and messages, hides received messages for their visibility timeout, delays sends by
// DelaySeconds, drops messages older than the retention period, and lets ReceiveMessage
// long-poll: a waiting receive sleeps on the queue's condition variable and wakes as soon
// as a message is sent or becomes visible, or when its WaitTimeSeconds run out.
//
// Time comes from the Env (SteadyNow for visibility, delays and retention; Now for the
// timestamps SQS reports), so tests move it with MemEnv. Long-poll waits are real waits,
// bounded by WaitTimeSeconds of real time.
//
// Thread-safe. Errors are Status values built with SqsError (sqs_errors.h).
#ifndef LIFEBOAT_LOCAL_SQS_SQS_QUEUE_STORE_H_
#define LIFEBOAT_LOCAL_SQS_SQS_QUEUE_STORE_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/env.h"
#include "common/status.h"
#include "local/sqs/sqs_message.h"

namespace lifeboat {

// Queue attributes by AWS's names, values as strings ("VisibilityTimeout" -> "30").
using SqsAttributeMap = std::map<std::string, std::string>;

struct SqsSendResult {
  std::string message_id;
  std::string md5_of_body;
  std::string md5_of_attributes;  // empty without attributes
};

struct SqsReceivedMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::string md5_of_body;
  SqsMessageAttributes attributes;  // every user attribute; the caller filters
  std::string sender_id;
  int64_t sent_timestamp_ms = 0;
  int64_t first_receive_timestamp_ms = 0;
  int receive_count = 0;
};

struct SqsReceiveOptions {
  int max_messages = 1;                   // 1..10
  std::optional<int> visibility_timeout;  // 0..43200; the queue's when absent
  std::optional<int> wait_seconds;        // 0..20; the queue's ReceiveMessageWaitTimeSeconds
};

class SqsQueueStore {
 public:
  // `env` must outlive the store.
  SqsQueueStore(Env* env, std::string account_id, std::string region);
  ~SqsQueueStore();
  SqsQueueStore(const SqsQueueStore&) = delete;
  SqsQueueStore& operator=(const SqsQueueStore&) = delete;

  const std::string& account_id() const { return account_id_; }
  const std::string& region() const { return region_; }
  std::string QueueArn(const std::string& name) const;

  // Creates a standard queue; an existing queue is returned again when every attribute
  // given matches its value (QueueNameExists otherwise). True when newly created.
  Result<bool> CreateQueue(const std::string& name, const SqsAttributeMap& attributes);
  // Wakes the receives waiting on it; they answer QueueDoesNotExist.
  Status DeleteQueue(const std::string& name);
  Status CheckQueue(const std::string& name);
  // Names starting with `prefix`, sorted.
  std::vector<std::string> ListQueues(const std::string& prefix);
  // The attributes named ("All" for every one); InvalidAttributeName for an unknown name.
  Result<SqsAttributeMap> GetAttributes(const std::string& name,
                                        const std::vector<std::string>& names);
  Status SetAttributes(const std::string& name, const SqsAttributeMap& attributes);

  Result<SqsSendResult> Send(const std::string& name, const std::string& body,
                             const SqsMessageAttributes& attributes,
                             std::optional<int> delay_seconds, const std::string& sender_id);
  // Blocks up to the wait time when no message is visible.
  Result<std::vector<SqsReceivedMessage>> Receive(const std::string& name,
                                                  const SqsReceiveOptions& options);
  Status DeleteMessage(const std::string& name, const std::string& receipt_handle);
  Status ChangeVisibility(const std::string& name, const std::string& receipt_handle,
                          int visibility_timeout);
  // One purge per queue per 60 s, as AWS allows (PurgeQueueInProgress otherwise).
  Status Purge(const std::string& name);

  // Ends every long poll now, and makes later receives short polls: for a server that is
  // stopping and should not wait up to 20 s for them. Receives then answer what is there.
  void CancelWaits();

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  struct Message {
    std::string id;
    std::string body;
    std::string md5_of_body;
    std::string md5_of_attributes;
    SqsMessageAttributes attributes;
    std::string sender_id;
    int64_t sent_ms = 0;
    int64_t first_receive_ms = 0;
    int receive_count = 0;
    SteadyTime sent_at;
    SteadyTime visible_at;        // after a delay or a visibility timeout
    uint64_t receive_serial = 0;  // which receive the newest receipt handle names
  };

  struct Config {
    int visibility_timeout = 30;
    int maximum_message_size = 1048576;
    int message_retention_period = 345600;
    int delay_seconds = 0;
    int receive_message_wait_time_seconds = 0;
    SqsAttributeMap other;  // Policy, RedrivePolicy, ... kept and reported, not enforced
  };

  struct Queue {
    std::string name;
    uint64_t generation = 0;  // distinguishes a re-created queue in receipt handles
    Config config;
    int64_t created_s = 0;
    int64_t modified_s = 0;
    std::map<uint64_t, Message> messages;  // by send sequence: receive order
    std::unordered_map<std::string, uint64_t> sequence_of_id;
    std::optional<SteadyTime> last_purge;
    std::condition_variable changed;  // a send, a visibility change, deletion
    bool deleted = false;
  };

  struct ParsedHandle {
    uint64_t generation = 0;
    uint64_t sequence = 0;
    uint64_t serial = 0;
  };

  Result<std::shared_ptr<Queue>> Find(const std::string& name);  // requires mu_
  // Applies attribute values over `config`; errors name the attribute.
  Status ApplyAttributes(const SqsAttributeMap& attributes, Config* config) const;
  SqsAttributeMap AllAttributes(const Queue& queue, SteadyTime now) const;
  void DropExpired(Queue* queue, SteadyTime now);  // retention
  std::vector<SqsReceivedMessage> TakeVisible(Queue* queue, int max, int visibility_timeout,
                                              SteadyTime now);
  Result<ParsedHandle> ParseHandle(const Queue& queue, const std::string& handle) const;
  std::string MakeHandle(const Queue& queue, uint64_t sequence, uint64_t serial) const;
  int64_t NowSeconds() const;
  int64_t NowMillis() const;

  Env* const env_;
  const std::string account_id_;
  const std::string region_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Queue>> queues_;
  uint64_t next_generation_ = 1;
  uint64_t next_sequence_ = 1;
  bool waits_cancelled_ = false;
  int waiters_ = 0;               // receives in a long-poll wait
  std::condition_variable idle_;  // the destructor waits on it for waiters_ == 0
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_SQS_SQS_QUEUE_STORE_H_
