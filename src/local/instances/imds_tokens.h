// ImdsTokens: IMDSv2 session tokens for one metadata service. A token carries its own
// expiry and an HMAC of it under a key made at construction, so nothing is stored per
// token and a restarted service (new key) refuses old tokens with 401, as EC2's does.
//
// Times are steady-clock readings the caller passes in. Thread-safe (immutable).
#ifndef LIFEBOAT_LOCAL_INSTANCES_IMDS_TOKENS_H_
#define LIFEBOAT_LOCAL_INSTANCES_IMDS_TOKENS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lifeboat {

class ImdsTokens {
 public:
  ImdsTokens();  // a random key

  // The X-aws-ec2-metadata-token-ttl-seconds value: 1..21600 in decimal digits, else nullopt
  // (EC2 answers 400).
  static std::optional<int> ParseTtl(std::string_view header);

  // A token valid until `now + ttl`.
  std::string Issue(std::chrono::steady_clock::time_point now, std::chrono::seconds ttl) const;
  // Whether `token` came from this service and has not expired at `now`.
  bool Valid(std::string_view token, std::chrono::steady_clock::time_point now) const;

 private:
  std::string key_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_INSTANCES_IMDS_TOKENS_H_
