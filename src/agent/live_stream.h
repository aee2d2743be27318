// LiveStream: what the agent knows about one file stream while it runs: the chunks the
// store acknowledged, the ranges planned and not yet acknowledged, and the open file that
// supplies the bytes (the stream's own inode, or a copy of it made by copytruncate).
//
// Offsets: planned_end() is where the next chunk begins; contiguous_end() is how far the
// stream is stored without a gap (uploads finish out of order), which is what the
// manifest may claim and what "shipped" means; base_end() is how far stored manifest
// parts list it. Memory holds only the chunks after base_end() (the manifest head's tail)
// and the last chunk before it, never the stream's whole history.
#ifndef LIFEBOAT_AGENT_LIVE_STREAM_H_
#define LIFEBOAT_AGENT_LIVE_STREAM_H_

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "common/env.h"
#include "ship/checkpoint_store.h"

namespace lifeboat {


class LiveStream {
 public:
  explicit LiveStream(CheckpointedStream recorded);

  const StreamKey& key() const { return key_; }
  const StreamIdentity& identity() const { return identity_; }
  void set_identity(const StreamIdentity& identity) { identity_ = identity; }
  bool finished() const { return finished_; }
  void set_finished(bool finished) { finished_ = finished; }

  // Chunks and plans.
  uint64_t base_end() const { return base_end_; }
  // Whether a manifest part lists the stream (up to base_end()): a finished stream may
  // leave memory only then.
  bool in_parts() const { return in_parts_; }
  // Chunks from base_end(): without a gap (for a manifest head), or every one
  // acknowledged (a sealed manifest shows the bytes lost in between as a gap).
  std::vector<ChunkRecord> Tail(bool with_gaps) const;
  // Parts now list the stream up to contiguous_end(): forget the chunks before it but
  // the last.
  void MoveBase();
  const std::map<uint64_t, ByteRange>& planned() const { return planned_; }
  uint64_t planned_end() const;
  uint64_t contiguous_end() const { return contiguous_end_; }
  const ChunkRecord* last_contiguous_chunk() const {
    return contiguous_count_ == 0 ? nullptr : &acked_[contiguous_count_ - 1];
  }
  void Plan(ByteRange range) { planned_[range.begin] = range; }
  void Ack(const ChunkRecord& chunk);
  void Abandon(ByteRange range);
  bool in_flight(uint64_t begin) const { return in_flight_.count(begin) > 0; }
  void set_in_flight(uint64_t begin, bool in_flight);
  size_t in_flight_count() const { return in_flight_.size(); }

  // The file supplying the bytes. A copy (copytruncate) is never "at home".
  struct Source {
    std::shared_ptr<RandomAccessFile> file;
    uint64_t device = 0;
    uint64_t inode = 0;
    bool is_copy = false;
  };
  const Source* source() const { return source_.file ? &source_ : nullptr; }
  void Attach(Source source, uint64_t size, SteadyTime now);
  void Detach(SteadyTime now);  // truncated or gone: the bytes must come from elsewhere
  SteadyTime detached_at() const { return detached_at_; }
  uint64_t size() const { return size_; }
  // Records the source's size as seen now; returns false when it shrank (truncated).
  bool Observe(uint64_t size, SteadyTime now);
  SteadyTime last_change() const { return last_change_; }
  bool at_home() const { return at_home_; }
  void set_at_home(bool at_home) { at_home_ = at_home; }

  // When the byte at `offset` was first seen (now, if not seen yet): chunks are cut when
  // the oldest pending byte is max_age old.
  SteadyTime ArrivalOf(uint64_t offset, SteadyTime now) const;
  // Bounds on when the bytes of `range` were written: after the last look at the file
  // before its first byte appeared (nullopt: it was there when the file was attached), and
  // no later than when its last byte was first seen.
  struct WrittenBetween {
    std::optional<SteadyTime> after;
    SteadyTime by;
  };
  WrittenBetween WrittenTimes(ByteRange range, SteadyTime now) const;

 private:
  StreamKey key_;
  StreamIdentity identity_;
  bool finished_ = false;
  uint64_t base_end_ = 0;
  bool in_parts_ = false;
  std::vector<ChunkRecord> acked_;  // sorted by begin; from the last one before base_end_
  uint64_t contiguous_end_ = 0;
  size_t contiguous_count_ = 0;     // acked_[0, contiguous_count_) has no gap
  std::map<uint64_t, ByteRange> planned_;
  std::set<uint64_t> in_flight_;

  Source source_;
  uint64_t size_ = 0;
  bool at_home_ = false;
  SteadyTime last_change_{};
  SteadyTime detached_at_{};
  // Every growth still not stored without a gap: the new end, when it was first seen, and
  // when the file was last seen smaller (unknown for what was there at Attach).
  struct Arrival {
    uint64_t end;
    SteadyTime seen;
    std::optional<SteadyTime> before;
  };
  std::deque<Arrival> arrivals_;
  std::optional<SteadyTime> last_observed_;  // the last look at the file's size
};

}  // namespace lifeboat

#endif  // LIFEBOAT_AGENT_LIVE_STREAM_H_
