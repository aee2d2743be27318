// Durability and concurrency of the S3 service over a real directory: restarts, what a
// crash leaves behind, failed writes, parallel writers.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "local/s3/s3_multipart.h"
#include "local/s3/s3_test_support.h"

namespace lifeboat {
namespace {

class S3DurabilityTest : public S3ServiceTest {
 protected:
  size_t EntriesIn(const std::string& rel) {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(Root() + "/" + rel)) {
      (void)e;
      ++n;
    }
    return n;
  }
};

TEST_F(S3DurabilityTest, ANewServiceOverTheSameDirectorySeesEverything) {
  MakeBucket("bkt");
  MakeBucket("cee");
  ASSERT_EQ(
      Put("/bkt/dir/k", "value", {{"x-amz-meta-m", "1"}, {"Content-Type", "text/plain"}}).status,
      200);
  const std::string etag = H(Get("/bkt/dir/k"), "ETag");
  const std::string modified = H(Get("/bkt/dir/k"), "Last-Modified");
  LocalResponse created = Call("POST", "/bkt/mp?uploads");
  const std::string id = XmlText(created.body, "UploadId");
  const std::string e1 =
      H(Put("/bkt/mp?partNumber=1&uploadId=" + id, std::string(kMinPartSize, 'x')), "ETag");

  Restart();

  EXPECT_EQ(XmlCount(Get("/").body, "Bucket"), 2);
  LocalResponse got = Get("/bkt/dir/k");
  EXPECT_EQ(got.body, "value");
  EXPECT_EQ(H(got, "ETag"), etag);
  EXPECT_EQ(H(got, "Last-Modified"), modified);
  EXPECT_EQ(H(got, "x-amz-meta-m"), "1");
  EXPECT_EQ(H(got, "Content-Type"), "text/plain");
  EXPECT_EQ(XmlText(Get("/bkt?list-type=2&prefix=dir").body, "Key"), "dir/k");
  // An upload begun before the restart continues after it.
  const std::string e2 = H(Put("/bkt/mp?partNumber=2&uploadId=" + id, "end"), "ETag");
  LocalResponse done = Call("POST", "/bkt/mp?uploadId=" + id,
                            "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + e1 +
                                "</ETag></Part><Part><PartNumber>2</PartNumber><ETag>" + e2 +
                                "</ETag></Part></CompleteMultipartUpload>");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(Get("/bkt/mp").body.size(), kMinPartSize + 3);
}

TEST_F(S3DurabilityTest, WhatACrashLeavesBehindIsIgnoredAndCleared) {
  MakeBucket("bkt");
  ASSERT_EQ(Put("/bkt/k", "committed").status, 200);
  service_.reset();
  // A crash mid-PUT leaves a temporary object file; mid-CreateBucket a half-built bucket;
  // mid-DeleteBucket a bucket in the trash; mid-Abort a part whose record is gone.
  dir_.Write("s3/bkt/.tmp/dead-1", "half an object");
  dir_.Write("s3/.tmp/dead-2/bucket.json", "{}");
  dir_.Write("s3/.trash/dead-3/objects/x", "deleted");
  dir_.Write("s3/bkt/uploads/0123456789abcdef0123456789abcdef.00001", "orphan part");

  Restart();

  EXPECT_EQ(EntriesIn("bkt/.tmp"), 0u);
  EXPECT_EQ(EntriesIn(".tmp"), 0u);
  EXPECT_EQ(EntriesIn(".trash"), 0u);
  EXPECT_EQ(EntriesIn("bkt/uploads"), 0u);
  EXPECT_EQ(XmlCount(Get("/").body, "Bucket"), 1);
  LocalResponse list = Get("/bkt?list-type=2");
  EXPECT_EQ(XmlText(list.body, "KeyCount"), "1");
  EXPECT_EQ(Get("/bkt/k").body, "committed");
}

TEST_F(S3DurabilityTest, ATornObjectFileIsNeverServed) {
  MakeBucket("bkt");
  ASSERT_EQ(Put("/bkt/k", "0123456789").status, 200);
  // Only a disk that ignored fsync could do this; it must be an error, not short data.
  std::filesystem::resize_file(Root() + "/bkt/objects/k",
                               std::filesystem::file_size(Root() + "/bkt/objects/k") - 3);
  LocalResponse r = Get("/bkt/k");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(Code(r), "InternalError");
  EXPECT_NE(XmlText(r.body, "Message").find("header says"), std::string::npos) << r.body;
}

// An Env whose file syncs fail: the disk filled up or went away mid-write.
class FailingSyncEnv : public EnvWrapper {
 public:
  FailingSyncEnv() : EnvWrapper(Env::Default()) {}
  std::atomic<bool> fail{false};
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    auto f = target()->NewWritableFile(p);
    if (!f.ok() || !fail) return f;
    struct Failing : WritableFile {
      std::unique_ptr<WritableFile> f;
      Status Append(std::string_view d) override { return f->Append(d); }
      Status Sync() override { return Status::IoError("sync: no space left on device"); }
      Status Close() override { return f->Close(); }
    };
    auto out = std::make_unique<Failing>();
    out->f = std::move(*f);
    return std::unique_ptr<WritableFile>(std::move(out));
  }
};

TEST_F(S3DurabilityTest, AFailedWriteLeavesTheOldObjectAndNoTemporaryFile) {
  FailingSyncEnv env;
  auto service = NewLocalS3Service(&env, Root());
  ASSERT_EQ(service->Handle(MakeS3Request("PUT", "/bkt")).status, 200);
  ASSERT_EQ(service->Handle(MakeS3Request("PUT", "/bkt/k", "old")).status, 200);
  env.fail = true;
  LocalResponse r = service->Handle(MakeS3Request("PUT", "/bkt/k", "new"));
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(XmlText(r.body, "Message").find("no space left"), std::string::npos) << r.body;
  env.fail = false;
  EXPECT_EQ(service->Handle(MakeS3Request("GET", "/bkt/k")).body, "old");
  EXPECT_EQ(EntriesIn("bkt/.tmp"), 0u);
}

TEST_F(S3DurabilityTest, ParallelWritersOfDifferentKeysAllLand) {
  MakeBucket("bkt");
  constexpr int kThreads = 8, kEach = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string key = "t" + std::to_string(t) + "/" + std::to_string(i);
        if (Put("/bkt/" + key, std::string(4096 + i, static_cast<char>('a' + t))).status != 200) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(XmlText(Get("/bkt?list-type=2").body, "KeyCount"), std::to_string(kThreads * kEach));
  EXPECT_EQ(Get("/bkt/t3/7").body, std::string(4096 + 7, 'd'));
}

TEST_F(S3DurabilityTest, RacingCreateOnlyWritesHaveExactlyOneWinner) {
  MakeBucket("bkt");
  for (int round = 0; round < 5; ++round) {
    const std::string key = "/bkt/race" + std::to_string(round);
    std::atomic<int> won{0}, lost{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        int s = Put(key, "writer " + std::to_string(t), {{"If-None-Match", "*"}}).status;
        (s == 200 ? won : lost)++;
        if (s != 200 && s != 412) ADD_FAILURE() << "status " << s;
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(won, 1);
    EXPECT_EQ(lost, 7);
  }
  EXPECT_EQ(EntriesIn("bkt/.tmp"), 0u);
}

TEST_F(S3DurabilityTest, DeleteBucketNeverLosesARacingWrite) {
  for (int round = 0; round < 20; ++round) {
    const std::string bucket = "race" + std::to_string(round);
    MakeBucket(bucket);
    int put_status = 0, delete_status = 0;
    std::thread writer(
        [&] { put_status = Put("/" + bucket + "/k", std::string(65536, 'x')).status; });
    std::thread deleter([&] { delete_status = Call("DELETE", "/" + bucket).status; });
    writer.join();
    deleter.join();
    // Either the delete came first (the PUT then finds no bucket) or the PUT did (the
    // bucket is then not empty); an acknowledged object is never in a deleted bucket.
    if (put_status == 200) {
      EXPECT_EQ(delete_status, 409);
      EXPECT_EQ(Get("/" + bucket + "/k").status, 200);
    } else {
      EXPECT_EQ(put_status, 404);
      EXPECT_EQ(delete_status, 204);
    }
  }
}

}  // namespace
}  // namespace lifeboat
