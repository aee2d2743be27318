#include "local/sqs/sqs_queue_store.h"

#include <algorithm>
#include <charconv>

#include "common/hash.h"
#include "common/strings.h"
#include "local/local_service.h"
#include "local/sqs/sqs_errors.h"

namespace lifeboat {

namespace {

constexpr int kMaxVisibilityTimeout = 43200;
constexpr auto kPurgeInterval = std::chrono::seconds(60);

bool ValidQueueName(const std::string& name) {
  if (name.empty() || name.size() > 80) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// Attributes a queue reports but a caller may not set.
bool ReadOnlyAttribute(const std::string& name) {
  return name == "ApproximateNumberOfMessages" || name == "ApproximateNumberOfMessagesNotVisible" ||
         name == "ApproximateNumberOfMessagesDelayed" || name == "CreatedTimestamp" ||
         name == "LastModifiedTimestamp" || name == "QueueArn";
}

// Settable attributes lifeboat keeps and reports but does not act on.
bool StoredAttribute(const std::string& name) {
  return name == "Policy" || name == "RedrivePolicy" || name == "RedriveAllowPolicy" ||
         name == "KmsMasterKeyId" || name == "KmsDataKeyReusePeriodSeconds" ||
         name == "SqsManagedSseEnabled";
}


}  // namespace

SqsQueueStore::SqsQueueStore(Env* env, std::string account_id, std::string region)
    : env_(env), account_id_(std::move(account_id)), region_(std::move(region)) {}

SqsQueueStore::~SqsQueueStore() {
  // Long polls still waiting end now, as if their queues were deleted, so that a server
  // stopping its threads is not held for up to 20 s.
  std::unique_lock lock(mu_);
  for (auto& [name, queue] : queues_) {
    queue->deleted = true;
    queue->changed.notify_all();
  }
  idle_.wait(lock, [&] { return waiters_ == 0; });
}

std::string SqsQueueStore::QueueArn(const std::string& name) const {
  return "arn:aws:sqs:" + region_ + ":" + account_id_ + ":" + name;
}

int64_t SqsQueueStore::NowSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(env_->Now().time_since_epoch()).count();
}

int64_t SqsQueueStore::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(env_->Now().time_since_epoch())
      .count();
}

Result<std::shared_ptr<SqsQueueStore::Queue>> SqsQueueStore::Find(const std::string& name) {
  auto it = queues_.find(name);
  if (it == queues_.end()) return SqsQueueDoesNotExist();
  return it->second;
}

Status SqsQueueStore::ApplyAttributes(const SqsAttributeMap& attributes, Config* config) const {
  struct Range {
    const char* name;
    int Config::*field;
    int64_t min;
    int64_t max;
  };
  static constexpr Range kRanges[] = {
      {"VisibilityTimeout", &Config::visibility_timeout, 0, kMaxVisibilityTimeout},
      {"MaximumMessageSize", &Config::maximum_message_size, 1024, 1048576},
      {"MessageRetentionPeriod", &Config::message_retention_period, 60, 1209600},
      {"DelaySeconds", &Config::delay_seconds, 0, 900},
      {"ReceiveMessageWaitTimeSeconds", &Config::receive_message_wait_time_seconds, 0, 20},
  };
  for (const auto& [name, value] : attributes) {
    if (name == "FifoQueue" || name == "ContentBasedDeduplication" ||
        name == "DeduplicationScope" || name == "FifoThroughputLimit") {
      if (name == "FifoQueue" && value == "false") continue;
      return SqsError("InvalidAttributeName",
                      "lifeboat local supports standard queues only; attribute " + name +
                          " is for FIFO queues.");
    }
    const Range* range = nullptr;
    for (const Range& r : kRanges) {
      if (name == r.name) range = &r;
    }
    if (range != nullptr) {
      auto v = ParseInt(value);
      if (!v || *v < range->min || *v > range->max) {
        return SqsError("InvalidAttributeValue", "Invalid value for the parameter " + name + ": " +
                                                     value + " is not an integer from " +
                                                     std::to_string(range->min) + " to " +
                                                     std::to_string(range->max) + ".");
      }
      config->*(range->field) = static_cast<int>(*v);
    } else if (StoredAttribute(name)) {
      config->other[name] = value;
    } else {
      return SqsError("InvalidAttributeName", "Unknown Attribute " + name + ".");
    }
  }
  return Status::Ok();
}

Result<bool> SqsQueueStore::CreateQueue(const std::string& name,
                                        const SqsAttributeMap& attributes) {
  if (name.size() > 5 && name.ends_with(".fifo")) {
    return SqsError("InvalidParameterValue", "lifeboat local supports standard queues only; " +
                                                 name + " names a FIFO queue.");
  }
  if (!ValidQueueName(name)) {
    return SqsError("InvalidParameterValue",
                    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                    "in length");
  }
  Config config;
  LIFEBOAT_RETURN_IF_ERROR(ApplyAttributes(attributes, &config));
  std::lock_guard lock(mu_);
  auto it = queues_.find(name);
  if (it != queues_.end()) {
    // Idempotent when every attribute given has the existing value.
    const SqsAttributeMap existing = AllAttributes(*it->second, env_->SteadyNow());
    for (const auto& [attr, value] : attributes) {
      auto have = existing.find(attr);
      const std::string current = have == existing.end() ? "" : have->second;
      if (current != value && !(attr == "FifoQueue" && value == "false")) {
        return SqsError("QueueNameExists",
                        "A queue already exists with the same name and a different value for "
                        "attribute " +
                            attr);
      }
    }
    return false;
  }
  auto queue = std::make_shared<Queue>();
  queue->name = name;
  queue->generation = next_generation_++;
  queue->config = std::move(config);
  queue->created_s = queue->modified_s = NowSeconds();
  queues_[name] = std::move(queue);
  return true;
}

Status SqsQueueStore::DeleteQueue(const std::string& name) {
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  queue->deleted = true;
  queue->changed.notify_all();
  queues_.erase(name);
  return Status::Ok();
}

Status SqsQueueStore::CheckQueue(const std::string& name) {
  std::lock_guard lock(mu_);
  return Find(name).status();
}

std::vector<std::string> SqsQueueStore::ListQueues(const std::string& prefix) {
  std::lock_guard lock(mu_);
  std::vector<std::string> names;
  for (auto it = queues_.lower_bound(prefix); it != queues_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    names.push_back(it->first);
  }
  return names;
}

SqsAttributeMap SqsQueueStore::AllAttributes(const Queue& queue, SteadyTime now) const {
  int visible = 0, in_flight = 0, delayed = 0;
  for (const auto& [seq, m] : queue.messages) {
    if (m.visible_at <= now) {
      ++visible;
    } else if (m.receive_count > 0) {
      ++in_flight;
    } else {
      ++delayed;
    }
  }
  const Config& c = queue.config;
  SqsAttributeMap out = c.other;
  out["QueueArn"] = QueueArn(queue.name);
  out["ApproximateNumberOfMessages"] = std::to_string(visible);
  out["ApproximateNumberOfMessagesNotVisible"] = std::to_string(in_flight);
  out["ApproximateNumberOfMessagesDelayed"] = std::to_string(delayed);
  out["CreatedTimestamp"] = std::to_string(queue.created_s);
  out["LastModifiedTimestamp"] = std::to_string(queue.modified_s);
  out["VisibilityTimeout"] = std::to_string(c.visibility_timeout);
  out["MaximumMessageSize"] = std::to_string(c.maximum_message_size);
  out["MessageRetentionPeriod"] = std::to_string(c.message_retention_period);
  out["DelaySeconds"] = std::to_string(c.delay_seconds);
  out["ReceiveMessageWaitTimeSeconds"] = std::to_string(c.receive_message_wait_time_seconds);
  if (!out.contains("SqsManagedSseEnabled")) out["SqsManagedSseEnabled"] = "false";
  return out;
}

Result<SqsAttributeMap> SqsQueueStore::GetAttributes(const std::string& name,
                                                     const std::vector<std::string>& names) {
  static constexpr const char* kKnown[] = {"All",
                                           "Policy",
                                           "VisibilityTimeout",
                                           "MaximumMessageSize",
                                           "MessageRetentionPeriod",
                                           "ApproximateNumberOfMessages",
                                           "ApproximateNumberOfMessagesNotVisible",
                                           "CreatedTimestamp",
                                           "LastModifiedTimestamp",
                                           "QueueArn",
                                           "ApproximateNumberOfMessagesDelayed",
                                           "DelaySeconds",
                                           "ReceiveMessageWaitTimeSeconds",
                                           "RedrivePolicy",
                                           "FifoQueue",
                                           "ContentBasedDeduplication",
                                           "KmsMasterKeyId",
                                           "KmsDataKeyReusePeriodSeconds",
                                           "DeduplicationScope",
                                           "FifoThroughputLimit",
                                           "RedriveAllowPolicy",
                                           "SqsManagedSseEnabled"};
  for (const std::string& n : names) {
    if (std::find(std::begin(kKnown), std::end(kKnown), n) == std::end(kKnown)) {
      return SqsError("InvalidAttributeName", "Unknown Attribute " + n + ".");
    }
  }
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  const SteadyTime now = env_->SteadyNow();
  DropExpired(queue.get(), now);
  SqsAttributeMap all = AllAttributes(*queue, now);
  if (std::find(names.begin(), names.end(), "All") != names.end()) return all;
  SqsAttributeMap out;
  for (const std::string& n : names) {
    auto it = all.find(n);
    if (it != all.end()) out[n] = it->second;
  }
  return out;
}

Status SqsQueueStore::SetAttributes(const std::string& name, const SqsAttributeMap& attributes) {
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  for (const auto& [attr, value] : attributes) {
    if (ReadOnlyAttribute(attr)) {
      return SqsError("InvalidAttributeName", "Unknown Attribute " + attr + ".");
    }
  }
  Config config = queue->config;
  LIFEBOAT_RETURN_IF_ERROR(ApplyAttributes(attributes, &config));
  queue->config = std::move(config);
  queue->modified_s = NowSeconds();
  return Status::Ok();
}

Result<SqsSendResult> SqsQueueStore::Send(const std::string& name, const std::string& body,
                                          const SqsMessageAttributes& attributes,
                                          std::optional<int> delay_seconds,
                                          const std::string& sender_id) {
  if (body.empty()) return SqsMissingParameter("MessageBody");
  LIFEBOAT_RETURN_IF_ERROR(ValidateSqsBody(body));
  LIFEBOAT_RETURN_IF_ERROR(ValidateSqsAttributes(attributes));
  if (delay_seconds && (*delay_seconds < 0 || *delay_seconds > 900)) {
    return SqsInvalidParameterValue("DelaySeconds", std::to_string(*delay_seconds),
                                    "Must be >= 0 and <= 900, if provided");
  }
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  const size_t max_size = static_cast<size_t>(queue->config.maximum_message_size);
  if (SqsMessageSize(body, attributes) > max_size) {
    return SqsError("InvalidParameterValue",
                    "One or more parameters are invalid. Reason: Message must be shorter than " +
                        std::to_string(max_size) + " bytes.");
  }
  const SteadyTime now = env_->SteadyNow();
  Message m;
  m.id = NewRequestId();
  m.body = body;
  m.md5_of_body = Md5Hex(body);
  m.md5_of_attributes = SqsAttributesMd5(attributes);
  m.attributes = attributes;
  m.sender_id = sender_id;
  m.sent_ms = NowMillis();
  m.sent_at = now;
  m.visible_at = now + std::chrono::seconds(delay_seconds.value_or(queue->config.delay_seconds));
  SqsSendResult result{m.id, m.md5_of_body, m.md5_of_attributes};
  const uint64_t seq = next_sequence_++;
  queue->sequence_of_id[m.id] = seq;
  queue->messages.emplace(seq, std::move(m));
  queue->changed.notify_all();
  return result;
}

void SqsQueueStore::DropExpired(Queue* queue, SteadyTime now) {
  const auto retention = std::chrono::seconds(queue->config.message_retention_period);
  for (auto it = queue->messages.begin(); it != queue->messages.end();) {
    if (it->second.sent_at + retention <= now) {
      queue->sequence_of_id.erase(it->second.id);
      it = queue->messages.erase(it);
    } else {
      ++it;
    }
  }
}

std::string SqsQueueStore::MakeHandle(const Queue& queue, uint64_t sequence,
                                      uint64_t serial) const {
  // Opaque to clients, like AWS's; it names the queue incarnation, the message and which
  // receive issued it, and carries randomness so handles are not guessable in sequence.
  return Base64Encode(queue.name + ":" + std::to_string(queue.generation) + ":" +
                      std::to_string(sequence) + ":" + std::to_string(serial) + ":" +
                      NewRequestId());
}

Result<SqsQueueStore::ParsedHandle> SqsQueueStore::ParseHandle(const Queue& queue,
                                                               const std::string& handle) const {
  const Status invalid =
      SqsError("ReceiptHandleIsInvalid",
               "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
  auto decoded = Base64Decode(handle);
  if (!decoded) return invalid;
  std::vector<std::string> parts = SplitString(*decoded, ':');
  if (parts.size() != 5 || parts[0] != queue.name) return invalid;
  auto generation = ParseInt(parts[1]);
  auto sequence = ParseInt(parts[2]);
  auto serial = ParseInt(parts[3]);
  if (!generation || !sequence || !serial ||
      static_cast<uint64_t>(*generation) != queue.generation) {
    return invalid;
  }
  return ParsedHandle{static_cast<uint64_t>(*generation), static_cast<uint64_t>(*sequence),
                      static_cast<uint64_t>(*serial)};
}

std::vector<SqsReceivedMessage> SqsQueueStore::TakeVisible(Queue* queue, int max,
                                                           int visibility_timeout, SteadyTime now) {
  std::vector<SqsReceivedMessage> out;
  for (auto& [seq, m] : queue->messages) {
    if (static_cast<int>(out.size()) >= max) break;
    if (m.visible_at > now) continue;
    ++m.receive_count;
    ++m.receive_serial;
    if (m.first_receive_ms == 0) m.first_receive_ms = NowMillis();
    m.visible_at = now + std::chrono::seconds(visibility_timeout);
    SqsReceivedMessage r;
    r.message_id = m.id;
    r.receipt_handle = MakeHandle(*queue, seq, m.receive_serial);
    r.body = m.body;
    r.md5_of_body = m.md5_of_body;
    r.attributes = m.attributes;
    r.sender_id = m.sender_id;
    r.sent_timestamp_ms = m.sent_ms;
    r.first_receive_timestamp_ms = m.first_receive_ms;
    r.receive_count = m.receive_count;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<SqsReceivedMessage>> SqsQueueStore::Receive(const std::string& name,
                                                               const SqsReceiveOptions& options) {
  if (options.max_messages < 1 || options.max_messages > 10) {
    return SqsInvalidParameterValue("MaxNumberOfMessages", std::to_string(options.max_messages),
                                    "Must be between 1 and 10, if provided");
  }
  if (options.visibility_timeout &&
      (*options.visibility_timeout < 0 || *options.visibility_timeout > kMaxVisibilityTimeout)) {
    return SqsInvalidParameterValue("VisibilityTimeout",
                                    std::to_string(*options.visibility_timeout),
                                    "Must be >= 0 and <= 43200, if provided");
  }
  if (options.wait_seconds && (*options.wait_seconds < 0 || *options.wait_seconds > 20)) {
    return SqsInvalidParameterValue("WaitTimeSeconds", std::to_string(*options.wait_seconds),
                                    "Must be >= 0 and <= 20, if provided");
  }
  std::unique_lock lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  const int wait = options.wait_seconds.value_or(queue->config.receive_message_wait_time_seconds);
  // A real deadline: the wait is for other clients, who act in real time.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait);
  while (true) {
    const SteadyTime now = env_->SteadyNow();
    DropExpired(queue.get(), now);
    auto taken =
        TakeVisible(queue.get(), options.max_messages,
                    options.visibility_timeout.value_or(queue->config.visibility_timeout), now);
    if (!taken.empty()) return taken;
    const auto real_now = std::chrono::steady_clock::now();
    if (real_now >= deadline || waits_cancelled_) return taken;
    // Sleep until a send wakes us, the wait ends, or the next hidden message would become
    // visible (a delay or visibility timeout running out).
    auto wake = deadline;
    for (const auto& [seq, m] : queue->messages) {
      if (m.visible_at > now) wake = std::min(wake, real_now + (m.visible_at - now));
    }
    ++waiters_;
    queue->changed.wait_until(lock, wake);
    --waiters_;
    if (queue->deleted) {
      idle_.notify_all();  // the destructor may be waiting for waiters to leave
      return SqsQueueDoesNotExist();
    }
  }
}

Status SqsQueueStore::DeleteMessage(const std::string& name, const std::string& receipt_handle) {
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  LIFEBOAT_ASSIGN_OR_RETURN(ParsedHandle h, ParseHandle(*queue, receipt_handle));
  // Deleting a message already gone succeeds, as on AWS.
  auto it = queue->messages.find(h.sequence);
  if (it != queue->messages.end()) {
    queue->sequence_of_id.erase(it->second.id);
    queue->messages.erase(it);
  }
  return Status::Ok();
}

Status SqsQueueStore::ChangeVisibility(const std::string& name, const std::string& receipt_handle,
                                       int visibility_timeout) {
  if (visibility_timeout < 0 || visibility_timeout > kMaxVisibilityTimeout) {
    return SqsInvalidParameterValue("VisibilityTimeout", std::to_string(visibility_timeout),
                                    "Must be >= 0 and <= 43200, if provided");
  }
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  LIFEBOAT_ASSIGN_OR_RETURN(ParsedHandle h, ParseHandle(*queue, receipt_handle));
  const SteadyTime now = env_->SteadyNow();
  DropExpired(queue.get(), now);
  auto it = queue->messages.find(h.sequence);
  if (it == queue->messages.end()) {
    return SqsInvalidParameterValue(
        "ReceiptHandle", receipt_handle,
        "Message does not exist or is not available for visibility timeout change");
  }
  Message& m = it->second;
  if (m.receive_serial != h.serial) {
    return SqsInvalidParameterValue("ReceiptHandle", receipt_handle,
                                    "The receipt handle has expired");
  }
  if (m.visible_at <= now) {
    return SqsError("MessageNotInflight", "The message referred to is not in flight.");
  }
  m.visible_at = now + std::chrono::seconds(visibility_timeout);
  if (visibility_timeout == 0) queue->changed.notify_all();
  return Status::Ok();
}

void SqsQueueStore::CancelWaits() {
  std::lock_guard lock(mu_);
  waits_cancelled_ = true;
  for (auto& [name, queue] : queues_) queue->changed.notify_all();
}

Status SqsQueueStore::Purge(const std::string& name) {
  std::lock_guard lock(mu_);
  LIFEBOAT_ASSIGN_OR_RETURN(std::shared_ptr<Queue> queue, Find(name));
  const SteadyTime now = env_->SteadyNow();
  if (queue->last_purge && now - *queue->last_purge < kPurgeInterval) {
    return SqsError("PurgeQueueInProgress",
                    "Only one PurgeQueue operation on " + name + " is allowed every 60 seconds.");
  }
  queue->last_purge = now;
  queue->messages.clear();
  queue->sequence_of_id.clear();
  return Status::Ok();
}

}  // namespace lifeboat
