#include "agent/live_stream.h"

#include <algorithm>

namespace lifeboat {

LiveStream::LiveStream(CheckpointedStream recorded)
    : key_(std::move(recorded.key)),
      identity_(recorded.identity),
      finished_(recorded.finished),
      base_end_(recorded.manifest_end),
      in_parts_(recorded.in_parts),
      acked_(std::move(recorded.chunks)) {
  for (const auto& range : recorded.planned) planned_[range.begin] = range;
  // Recompute the gap-free prefix from what was recorded: the parts hold it up to
  // base_end_, the rows after that.
  contiguous_end_ = base_end_;
  while (contiguous_count_ < acked_.size() && acked_[contiguous_count_].range.end <= base_end_) {
    ++contiguous_count_;
  }
  while (contiguous_count_ < acked_.size() && acked_[contiguous_count_].range.begin == contiguous_end_) {
    contiguous_end_ = acked_[contiguous_count_++].range.end;
  }
}

uint64_t LiveStream::planned_end() const {
  uint64_t end = acked_.empty() ? 0 : acked_.back().range.end;
  if (!planned_.empty()) end = std::max(end, planned_.rbegin()->second.end);
  return end;
}

std::vector<ChunkRecord> LiveStream::Tail(bool with_gaps) const {
  std::vector<ChunkRecord> tail;
  const size_t end = with_gaps ? acked_.size() : contiguous_count_;
  for (size_t i = 0; i < end; ++i) {
    if (acked_[i].range.begin >= base_end_) tail.push_back(acked_[i]);
  }
  return tail;
}

void LiveStream::MoveBase() {
  base_end_ = contiguous_end_;
  in_parts_ = true;
  if (contiguous_count_ <= 1) return;
  const auto drop = static_cast<std::ptrdiff_t>(contiguous_count_ - 1);
  acked_.erase(acked_.begin(), acked_.begin() + drop);
  contiguous_count_ = 1;
}

void LiveStream::Ack(const ChunkRecord& chunk) {
  planned_.erase(chunk.range.begin);
  in_flight_.erase(chunk.range.begin);
  auto at = std::lower_bound(acked_.begin(), acked_.end(), chunk.range.begin,
                             [](const ChunkRecord& c, uint64_t b) { return c.range.begin < b; });
  if (at != acked_.end() && at->range.begin == chunk.range.begin) return;  // acked twice
  acked_.insert(at, chunk);
  while (contiguous_count_ < acked_.size() && acked_[contiguous_count_].range.begin == contiguous_end_) {
    contiguous_end_ = acked_[contiguous_count_++].range.end;
  }
  while (!arrivals_.empty() && arrivals_.front().end <= contiguous_end_) arrivals_.pop_front();
}

void LiveStream::Abandon(ByteRange range) {
  planned_.erase(range.begin);
  in_flight_.erase(range.begin);
}

void LiveStream::set_in_flight(uint64_t begin, bool in_flight) {
  if (in_flight) {
    in_flight_.insert(begin);
  } else {
    in_flight_.erase(begin);
  }
}

void LiveStream::Attach(Source source, uint64_t size, SteadyTime now) {
  // Found again after an idle close with everything stored: what it holds beyond was
  // written after the last look. Otherwise (first open, a restart, a copy) who knows.
  std::optional<SteadyTime> before;
  if (last_observed_ && size_ == contiguous_end_ && !source.is_copy) before = last_observed_;
  source_ = std::move(source);
  size_ = size;
  last_change_ = now;
  arrivals_.clear();
  if (size > contiguous_end_) arrivals_.push_back({size, now, before});
  last_observed_ = now;
}

void LiveStream::Detach(SteadyTime now) {
  source_ = {};
  at_home_ = false;
  detached_at_ = now;
}

bool LiveStream::Observe(uint64_t size, SteadyTime now) {
  if (size < size_) return false;
  if (size > size_) {
    arrivals_.push_back({size, now, last_observed_});
    size_ = size;
    last_change_ = now;
  }
  last_observed_ = now;
  return true;
}

SteadyTime LiveStream::ArrivalOf(uint64_t offset, SteadyTime now) const {
  for (const Arrival& a : arrivals_) {
    if (a.end > offset) return a.seen;
  }
  return now;
}

LiveStream::WrittenBetween LiveStream::WrittenTimes(ByteRange range, SteadyTime now) const {
  WrittenBetween out{std::nullopt, range.size() == 0 ? now : ArrivalOf(range.end - 1, now)};
  for (const Arrival& a : arrivals_) {
    if (a.end > range.begin) {
      out.after = a.before;
      break;
    }
  }
  return out;
}

}  // namespace lifeboat
