#include "ship/instance_index.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "ship/object_keys.h"

namespace lifeboat {
namespace {

using json = nlohmann::json;
using std::chrono::days;

constexpr std::string_view kDaysDir = "days";

json TimeJson(const std::optional<WallTime>& t) {
  return t ? json(FormatRfc3339(*t)) : json(nullptr);
}

// The parsing helpers throw std::invalid_argument naming the field; ParseInstanceRecord
// turns that into kDataLoss.
const json* Find(const json& j, const char* name) {
  auto it = j.find(name);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string Text(const json& j, const char* name, bool required = false) {
  const json* v = Find(j, name);
  if (v == nullptr) {
    if (required) throw std::invalid_argument(std::string(name) + " is missing");
    return "";
  }
  if (!v->is_string()) throw std::invalid_argument(std::string(name) + " is not a string");
  return v->get<std::string>();
}

std::optional<WallTime> Time(const json& j, const char* name) {
  const json* v = Find(j, name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) throw std::invalid_argument(std::string(name) + " is not a string");
  auto t = ParseRfc3339(v->get<std::string>());
  if (!t.ok()) throw std::invalid_argument(std::string(name) + ": " + t.status().message());
  return *t;
}

uint64_t Count(const json& j, const char* name, const std::string& where) {
  const json* v = Find(j, name);
  if (v == nullptr || !v->is_number_unsigned()) {
    throw std::invalid_argument(where + "." + name + " is not a byte count");
  }
  return v->get<uint64_t>();
}

// Runs fn(0..n-1) on up to `threads` threads (the caller's among them).
void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> pool;
  const size_t count = std::min<size_t>(static_cast<size_t>(std::max(1, threads)), n);
  for (size_t i = 1; i < count; ++i) pool.emplace_back(worker);
  if (count > 0) worker();
  for (auto& t : pool) t.join();
}

std::vector<std::string> DaysBetween(WallTime from, WallTime to) {
  std::vector<std::string> out;
  for (auto d = std::chrono::floor<days>(from); d <= std::chrono::floor<days>(to); d += days(1)) {
    out.push_back(UtcDay(d));
  }
  return out;
}

}  // namespace

std::string_view EndCauseName(EndCause cause) {
  switch (cause) {
    case EndCause::kScaleIn: return "scale-in";
    case EndCause::kSpot: return "spot";
    case EndCause::kRebalance: return "rebalance";
    case EndCause::kShutdown: return "shutdown";
    case EndCause::kUnknown: return "unknown";
  }
  return "unknown";
}

std::optional<EndCause> ParseEndCause(std::string_view name) {
  for (EndCause c : {EndCause::kScaleIn, EndCause::kSpot, EndCause::kRebalance, EndCause::kShutdown,
                     EndCause::kUnknown}) {
    if (EndCauseName(c) == name) return c;
  }
  return std::nullopt;
}

uint64_t InstanceRecord::raw_bytes() const {
  uint64_t n = 0;
  for (const auto& f : files) n += f.raw_bytes;
  return n;
}

uint64_t InstanceRecord::stored_bytes() const {
  uint64_t n = 0;
  for (const auto& f : files) n += f.stored_bytes;
  return n;
}

WallTime InstanceRecord::SpanBegin() const {
  WallTime begin = updated_at;
  for (const auto& t : {launch_time, first_byte_time, last_byte_time, terminated_at}) {
    if (t) begin = std::min(begin, *t);
  }
  return begin;
}

WallTime InstanceRecord::SpanEnd(WallTime now) const {
  if (running()) return std::max({now, updated_at, last_byte_time.value_or(updated_at)});
  if (terminated_at || last_byte_time) {
    return std::max(terminated_at.value_or(WallTime{}), last_byte_time.value_or(WallTime{}));
  }
  return updated_at;
}

std::string InstanceRecordToJson(const InstanceRecord& r) {
  json files = json::array();
  for (const auto& f : r.files) {
    files.push_back({{"path", f.path}, {"raw_bytes", f.raw_bytes}, {"stored_bytes", f.stored_bytes}});
  }
  json j = {{"format", kInstanceRecordFormat},
            {"instance_id", r.instance_id},
            {"group", r.group},
            {"availability_zone", r.availability_zone},
            {"instance_type", r.instance_type},
            {"image_id", r.image_id},
            {"launch_time", TimeJson(r.launch_time)},
            {"first_byte_time", TimeJson(r.first_byte_time)},
            {"last_byte_time", TimeJson(r.last_byte_time)},
            {"terminated_at", TimeJson(r.terminated_at)},
            {"cause", r.cause ? json(EndCauseName(*r.cause)) : json(nullptr)},
            {"files", std::move(files)},
            {"sealed", r.sealed},
            {"updated_at", FormatRfc3339(r.updated_at)},
            {"writer", r.writer}};
  return j.dump(2) + "\n";
}

Result<InstanceRecord> ParseInstanceRecord(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::DataLoss("the instance record is not a JSON object");
  }
  try {
    const std::string format = Text(j, "format", true);
    if (format != kInstanceRecordFormat) {
      throw std::invalid_argument("format is '" + format + "', this lifeboat reads " +
                                  std::string(kInstanceRecordFormat));
    }
    InstanceRecord r;
    r.instance_id = Text(j, "instance_id", true);
    if (!ValidateInstanceId(r.instance_id).ok()) throw std::invalid_argument("instance_id is not one");
    r.group = Text(j, "group");
    r.availability_zone = Text(j, "availability_zone");
    r.instance_type = Text(j, "instance_type");
    r.image_id = Text(j, "image_id");
    r.launch_time = Time(j, "launch_time");
    r.first_byte_time = Time(j, "first_byte_time");
    r.last_byte_time = Time(j, "last_byte_time");
    r.terminated_at = Time(j, "terminated_at");
    if (const json* cause = Find(j, "cause")) {
      auto c = cause->is_string() ? ParseEndCause(cause->get<std::string>()) : std::nullopt;
      if (!c) throw std::invalid_argument("cause is not one of scale-in, spot, rebalance, shutdown, unknown");
      r.cause = c;
    }
    if (const json* files = Find(j, "files")) {
      if (!files->is_array()) throw std::invalid_argument("files is not an array");
      for (size_t i = 0; i < files->size(); ++i) {
        const json& f = (*files)[i];
        const std::string where = "files[" + std::to_string(i) + "]";
        if (!f.is_object()) throw std::invalid_argument(where + " is not an object");
        InstanceFile file;
        file.path = Text(f, "path", true);
        file.raw_bytes = Count(f, "raw_bytes", where);
        file.stored_bytes = Count(f, "stored_bytes", where);
        r.files.push_back(std::move(file));
      }
    }
    const json* sealed = Find(j, "sealed");
    if (sealed != nullptr && !sealed->is_boolean()) throw std::invalid_argument("sealed is not a boolean");
    r.sealed = sealed != nullptr && sealed->get<bool>();
    auto updated = Time(j, "updated_at");
    if (!updated) throw std::invalid_argument("updated_at is missing");
    r.updated_at = *updated;
    r.writer = Text(j, "writer");
    return r;
  } catch (const std::exception& e) {
    return Status::DataLoss(std::string("instance record: ") + e.what());
  }
}

void AddManifestFiles(const std::vector<StreamRecord>& streams, std::vector<InstanceFile>& files) {
  for (const auto& s : streams) {
    auto it = std::lower_bound(files.begin(), files.end(), s.path,
                               [](const InstanceFile& f, const std::string& p) { return f.path < p; });
    if (it == files.end() || it->path != s.path) it = files.insert(it, InstanceFile{s.path, 0, 0});
    for (const auto& c : s.chunks) {
      it->raw_bytes += c.range.size();
      it->stored_bytes += c.stored_size;
    }
  }
}

std::string InstanceRecordKey(std::string_view instance_id) {
  return fmt::format("{}/{}/instance.json", instance_id, kMetadataDir);
}

std::string DayIndexPrefix(std::string_view day) {
  return fmt::format("{}/{}/{}/", kMetadataDir, kDaysDir, day);
}

std::string DayIndexKey(std::string_view day, std::string_view instance_id) {
  return DayIndexPrefix(day) + std::string(instance_id);
}

IndexedDays IndexedDaysOf(const InstanceRecord& record) {
  return {UtcDay(record.SpanBegin()), UtcDay(record.SpanEnd(record.updated_at))};
}

std::vector<std::pair<std::string, std::string>> InstanceRecordWrites(const InstanceRecord& record,
                                                                      IndexedDays& indexed) {
  std::vector<std::pair<std::string, std::string>> writes;
  const WallTime end = record.SpanEnd(record.updated_at);
  // A launch time years ago (or a wrong one) must not become thousands of writes.
  const WallTime begin = std::max(record.SpanBegin(), end - days(kMaxIndexedDays - 1));
  for (const std::string& day : DaysBetween(begin, end)) {
    if (!indexed.Covers(day)) writes.emplace_back(DayIndexKey(day, record.instance_id), "");
  }
  writes.emplace_back(InstanceRecordKey(record.instance_id), InstanceRecordToJson(record));
  const IndexedDays now_indexed{UtcDay(begin), UtcDay(end)};
  const bool joined = !indexed.first.empty() && indexed.first <= now_indexed.last &&
                      now_indexed.first <= indexed.last;
  indexed = joined ? IndexedDays{std::min(indexed.first, now_indexed.first),
                                 std::max(indexed.last, now_indexed.last)}
                   : now_indexed;
  return writes;
}

Status PublishInstanceRecord(ObjectStore* store, const InstanceRecord& record, IndexedDays* indexed) {
  IndexedDays none;
  IndexedDays& days_done = indexed != nullptr ? *indexed : none;
  const IndexedDays before = days_done;
  WriteOptions options;
  options.if_none_match = false;
  options.content_type = "application/json";
  for (const auto& [key, body] : InstanceRecordWrites(record, days_done)) {
    if (Status s = store->Put(key, body, options); !s.ok()) {
      days_done = before;
      return s.WithContext("cannot write " + store->Describe(key));
    }
  }
  return Status::Ok();
}

Result<std::optional<InstanceRecord>> ReadInstanceRecord(ObjectStore* store,
                                                         const std::string& instance_id) {
  const std::string key = InstanceRecordKey(instance_id);
  auto text = store->Get(key);
  if (!text.ok()) {
    const Status& s = text.status();
    if (IsNoSuchKey(s)) return std::optional<InstanceRecord>();
    return s.WithContext("cannot read " + store->Describe(key));
  }
  auto record = ParseInstanceRecord(*text);
  if (!record.ok()) return record.status().WithContext(store->Describe(key));
  if (record->instance_id != instance_id) {
    return Status::DataLoss(store->Describe(key) + " names instance '" + record->instance_id + "'");
  }
  return std::optional<InstanceRecord>(std::move(*record));
}

Result<std::vector<InstanceRecord>> FindInstances(ObjectStore* store, std::optional<WallTime> since,
                                                  std::optional<WallTime> until,
                                                  const std::string& group, WallTime now,
                                                  int parallel) {
  const WallTime to = until.value_or(now);
  const WallTime from = since.value_or(to - kDefaultFindWindow);
  if (from > to) {
    return Status::InvalidArgument(fmt::format("the window ends ({}) before it begins ({})",
                                               FormatRfc3339(to), FormatRfc3339(from)));
  }
  // One paged listing per day; an instance alive on several days is read once.
  const std::vector<std::string> window_days = DaysBetween(from, to);
  std::vector<std::vector<std::string>> listed(window_days.size());
  std::vector<Status> list_errors(window_days.size());
  ParallelFor(window_days.size(), parallel, [&](size_t i) {
    const std::string prefix = DayIndexPrefix(window_days[i]);
    Status s = store->ListPages(prefix, "", [&](std::vector<ListedObject>& page) {
      for (const auto& o : page) {
        const std::string id = o.key.substr(prefix.size());
        if (ValidateInstanceId(id).ok()) listed[i].push_back(id);
      }
      return Status::Ok();
    });
    if (!s.ok()) list_errors[i] = s.WithContext("cannot list " + store->Describe(prefix));
  });
  for (const Status& s : list_errors) LIFEBOAT_RETURN_IF_ERROR(s);
  std::set<std::string> unique;
  for (auto& ids : listed) unique.insert(ids.begin(), ids.end());
  const std::vector<std::string> ids(unique.begin(), unique.end());

  std::vector<std::optional<InstanceRecord>> records(ids.size());
  std::vector<Status> read_errors(ids.size());
  ParallelFor(ids.size(), parallel, [&](size_t i) {
    auto r = ReadInstanceRecord(store, ids[i]);
    if (r.ok()) {
      records[i] = std::move(*r);  // nullopt: a marker whose record was never written
    } else {
      read_errors[i] = r.status();
    }
  });
  for (const Status& s : read_errors) LIFEBOAT_RETURN_IF_ERROR(s);

  std::vector<InstanceRecord> found;
  for (auto& r : records) {
    if (!r || (!group.empty() && r->group != group)) continue;
    if (r->SpanBegin() > to || r->SpanEnd(now) < from) continue;
    found.push_back(std::move(*r));
  }
  std::sort(found.begin(), found.end(), [](const InstanceRecord& a, const InstanceRecord& b) {
    if (a.SpanBegin() != b.SpanBegin()) return a.SpanBegin() > b.SpanBegin();
    return a.instance_id < b.instance_id;
  });
  return found;
}

}  // namespace lifeboat
