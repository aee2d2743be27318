// Building blocks for the workload generators: a portable pseudo-random generator,
// integer-weighted choice, and fast appending of text and numbers to a buffer.
//
// Everything here produces the same results on every machine and standard library:
// only integer arithmetic, no <random> distributions (whose output is
// implementation-defined), no locale. Not thread-safe; each generator owns its own Rng.
#ifndef LIFEBOAT_WORKLOAD_GENERATOR_UTIL_H_
#define LIFEBOAT_WORKLOAD_GENERATOR_UTIL_H_

#include <algorithm>
#include <charconv>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace lifeboat {

// SplitMix64: advances `state` and returns the next output. Seeds Rng; also a good
// stateless hash (Mix) for properties that must not change between requests for the same
// thing, such as an image's size.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
inline uint64_t Mix(uint64_t x) { return SplitMix64(x); }

// xoshiro256** (Blackman and Vigna).
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix64(seed);
  }
  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, n) for n > 0 (multiply-shift for 32-bit ranges, which is fast and
  // nearly unbiased; modulo beyond).
  uint64_t Below(uint64_t n) {
    if (n <= 0xffffffffULL) return ((Next() >> 32) * n) >> 32;
    return Next() % n;
  }
  uint64_t Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }
  bool Percent(uint64_t p) { return Below(100) < p; }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

// A choice among items 0..n-1 with integer weights.
class Weighted {
 public:
  Weighted() = default;
  Weighted(std::initializer_list<uint32_t> weights) {
    for (uint32_t w : weights) Add(w);
  }
  void Add(uint64_t weight) {
    total_ += weight;
    cumulative_.push_back(total_);
  }
  // Zipf-Mandelbrot popularity: item i weighs 1/(i + offset); a larger offset flattens
  // the head.
  static Weighted Zipf(size_t n, uint32_t offset) {
    Weighted w;
    for (size_t i = 0; i < n; ++i) w.Add((uint64_t{1} << 24) / (i + offset));
    return w;
  }
  size_t size() const { return cumulative_.size(); }
  // Requires a positive total weight.
  size_t Pick(Rng& rng) const {
    const uint64_t x = rng.Below(total_);
    return std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin();
  }

 private:
  std::vector<uint64_t> cumulative_;
  uint64_t total_ = 0;
};

inline void AppendPadded(std::string& out, uint64_t v, int width, int base = 10) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v, base);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) out += '0';
  out.append(buf, r.ptr);
}
inline void AppendHex(std::string& out, uint64_t v, int width) { AppendPadded(out, v, width, 16); }

// Milliseconds as seconds with three decimals, the way nginx prints $request_time.
inline void AppendSeconds3(std::string& out, uint64_t ms) {
  AppendPadded(out, ms / 1000, 0);
  out += '.';
  AppendPadded(out, ms % 1000, 3);
}

// n random characters of the URL-safe base64 alphabet.
inline void AppendToken(std::string& out, Rng& rng, size_t n) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < n; ++i) out += kAlphabet[rng.Below(kAlphabet.size())];
}

inline void AppendPart(std::string& out, std::string_view s) { out += s; }
inline void AppendPart(std::string& out, char c) { out += c; }
template <std::integral T>
requires(!std::same_as<T, char> && !std::same_as<T, bool>) void AppendPart(std::string& out, T v) {
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) {
      out += '-';
      AppendPadded(out, static_cast<uint64_t>(-static_cast<int64_t>(v)), 0);
      return;
    }
  }
  AppendPadded(out, static_cast<uint64_t>(v), 0);
}

// Appends strings, characters and integers (in decimal) in order.
template <typename... Parts>
void Append(std::string& out, const Parts&... parts) {
  (AppendPart(out, parts), ...);
}

}  // namespace lifeboat

#endif  // LIFEBOAT_WORKLOAD_GENERATOR_UTIL_H_
