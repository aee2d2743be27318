#include "local/s3/s3_write_counter.h"

#include <gtest/gtest.h>

namespace lifeboat {
namespace {

class Answer final : public LocalService {
 public:
  LocalResponse Handle(const LocalRequest&) override { return {200, {}, "ok"}; }
};

LocalRequest Request(std::string method, std::string path) {
  LocalRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

TEST(S3WriteCounterTest, CountsWritesByBucketAndFirstKeySegment) {
  S3WriteCounter counter(std::make_shared<Answer>());
  EXPECT_EQ(counter.Handle(Request("PUT", "/logs/agent/i-1/var/log/a.log/x.zst")).body, "ok");
  counter.Handle(Request("POST", "/logs/agent/i-2/big.zst"));
  counter.Handle(Request("DELETE", "/logs/controller/i-3/x"));
  counter.Handle(Request("PUT", "/seed/i-4/error.log"));
  counter.Handle(Request("PUT", "/flat/object"));
  counter.Handle(Request("GET", "/logs/agent/i-1/.lifeboat/manifest.json"));  // a read
  counter.Handle(Request("HEAD", "/logs/agent/i-1/x"));
  counter.Handle(Request("PUT", "/new-bucket"));  // CreateBucket: not an object write
  EXPECT_EQ(counter.Counts(),
            (std::map<std::string, uint64_t>{
                {"flat", 1}, {"logs/agent", 2}, {"logs/controller", 1}, {"seed/i-4", 1}}));
}

}  // namespace
}  // namespace lifeboat
