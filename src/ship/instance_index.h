// What the store knows about each instance, findable by time without knowing its id
// (docs/architecture.md, "Finding an instance by time"):
//
//   <instance-id>/.lifeboat/instance.json        the record: where and when the instance
//                                                ran, why it ended, what it shipped
//   .lifeboat/days/<YYYY-MM-DD>/<instance-id>    the day index: an empty object for each
//                                                UTC day the record spans
//
// relative to the store's root, next to the instances' own prefixes. "Every instance alive
// between T1 and T2" is one LIST per UTC day of the window (a page per 1,000 instances),
// then one GET per instance found. A writer stores the day markers before the record, so
// a stored record's days are always indexed; a marker without a record (the writer died
// between the two) is skipped by readers.
//
// Writers: the agent (at start, with the first manifest update of each UTC day, and when it
// seals at the end) and `lifeboat evacuate`. Readers: `lifeboat ls` and `lifeboat grep`.
#ifndef LIFEBOAT_SHIP_INSTANCE_INDEX_H_
#define LIFEBOAT_SHIP_INSTANCE_INDEX_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/time_text.h"
#include "ship/manifest.h"
#include "store/object_store.h"

namespace lifeboat {

inline constexpr std::string_view kInstanceRecordFormat = "lifeboat-instance/1";

// Why an instance's logs ended.
enum class EndCause {
  kScaleIn,    // Auto Scaling terminated it through a lifecycle action
  kSpot,       // a spot interruption
  kRebalance,  // shut down after a rebalance recommendation
  kShutdown,   // the agent was stopped (SIGTERM) with no notice before it
  kUnknown,    // sealed by a writer that was not told why
};
std::string_view EndCauseName(EndCause cause);  // "scale-in", "spot", ...
std::optional<EndCause> ParseEndCause(std::string_view name);

struct InstanceFile {
  std::string path;           // absolute source path
  uint64_t raw_bytes = 0;     // summed over the path's streams, as the manifest lists them
  uint64_t stored_bytes = 0;
  bool operator==(const InstanceFile&) const = default;
};

struct InstanceRecord {
  std::string instance_id;
  std::string group;  // the Auto Scaling group; empty when none or unknown
  std::string availability_zone;
  std::string instance_type;
  std::string image_id;
  std::optional<WallTime> launch_time;
  std::optional<WallTime> first_byte_time;  // when the writer first saw bytes of the logs
  std::optional<WallTime> last_byte_time;   // when it last saw them grow
  std::optional<WallTime> terminated_at;    // when the writer sealed for the end
  std::optional<EndCause> cause;            // nullopt while the instance runs
  std::vector<InstanceFile> files;
  bool sealed = false;  // the manifest's
  WallTime updated_at{};
  std::string writer;  // "agent" or "evacuate"

  bool running() const { return !cause.has_value(); }
  uint64_t raw_bytes() const;
  uint64_t stored_bytes() const;
  // The time the logs span: from the launch (or, unknown, the first byte, or the update)
  // to the termination (or the last byte or update, whichever is later; `now` while the
  // instance runs).
  WallTime SpanBegin() const;
  WallTime SpanEnd(WallTime now) const;
  bool operator==(const InstanceRecord&) const = default;
};

std::string InstanceRecordToJson(const InstanceRecord& record);
// kDataLoss naming the field when the text is not a record this version understands.
Result<InstanceRecord> ParseInstanceRecord(std::string_view json);

// Per source path, the raw and stored bytes of every chunk of `streams`, added to `files`
// (kept sorted by path). Call it for each manifest part and the head.
void AddManifestFiles(const std::vector<StreamRecord>& streams, std::vector<InstanceFile>& files);

// "<instance>/.lifeboat/instance.json"
std::string InstanceRecordKey(std::string_view instance_id);
// ".lifeboat/days/<day>/<instance>", `day` as UtcDay() writes it.
std::string DayIndexKey(std::string_view day, std::string_view instance_id);
// ".lifeboat/days/<day>/"
std::string DayIndexPrefix(std::string_view day);

// The UTC days a writer has indexed for an instance, first..last ("YYYY-MM-DD"; empty:
// none), so that an update writes only the markers of days new to it.
struct IndexedDays {
  std::string first;
  std::string last;
  bool Covers(std::string_view day) const { return !first.empty() && first <= day && day <= last; }
};
// The days a stored record spans (its day markers were written before it).
IndexedDays IndexedDaysOf(const InstanceRecord& record);

// The writes that publish `record`, in order: the markers of its days not in `indexed`,
// then the record; `indexed` becomes its days (through the record's). At most
// kMaxIndexedDays markers, the last ones, however long ago the instance launched.
inline constexpr int kMaxIndexedDays = 400;
std::vector<std::pair<std::string, std::string>> InstanceRecordWrites(const InstanceRecord& record,
                                                                      IndexedDays& indexed);
// Stores those writes, in order (overwriting: the record is rewritten, markers are empty).
Status PublishInstanceRecord(ObjectStore* store, const InstanceRecord& record,
                             IndexedDays* indexed = nullptr);
// The stored record, or nullopt when there is none.
Result<std::optional<InstanceRecord>> ReadInstanceRecord(ObjectStore* store,
                                                         const std::string& instance_id);

// With no `since`, FindInstances looks this far back from `until`.
inline constexpr auto kDefaultFindWindow = std::chrono::days(7);

// Every instance whose logs overlap [since, until] (`until` default `now`, the caller's
// Env::Now(); `since` default kDefaultFindWindow before `until`) and, unless `group` is
// empty, of that group: one paged LIST per UTC day of the window, then the records found,
// read `parallel` at a time. Newest (latest SpanBegin) first.
Result<std::vector<InstanceRecord>> FindInstances(ObjectStore* store, std::optional<WallTime> since,
                                                  std::optional<WallTime> until,
                                                  const std::string& group, WallTime now,
                                                  int parallel = 4);

}  // namespace lifeboat

#endif  // LIFEBOAT_SHIP_INSTANCE_INDEX_H_
