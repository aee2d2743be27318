#include "ship/continued_manifest.h"

#include <gtest/gtest.h>

#include "fakes/forwarding_store.h"
#include "fakes/mem_env.h"
#include "ship/object_keys.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

// S3 without s3:ListBucket: every read of the manifest is 403, whether it exists or not
// (`reads_denied` of them, then the store's answer).
class DenyingStore : public ForwardingObjectStore {
 public:
  DenyingStore(ObjectStore* inner, int reads_denied)
      : ForwardingObjectStore(inner), reads_denied_(reads_denied) {}
  Result<std::string> Get(const std::string& key) override {
    if (reads_denied_-- > 0) {
      return Status(StatusCode::kPermissionDenied, "AccessDenied: Access Denied", "AccessDenied");
    }
    return ForwardingObjectStore::Get(key);
  }

 private:
  int reads_denied_;
};

class ContinuedManifestTest : public ::testing::Test {
 protected:
  ContinuedManifestTest() {
    empty_.instance_id = "i-1";
    empty_.tool = "lifeboat test";
    recorded_ = empty_;
    recorded_.streams.push_back({"/var/log/a.log", 0, {}, 0, false, {}});
  }

  MemEnv env_;
  FileObjectStore store_{&env_, "/store"};
  Manifest empty_, recorded_;
};

TEST_F(ContinuedManifestTest, AMissingManifestIsNoneAndNothingIsWritten) {
  auto text = ReadManifestToContinue(store_, empty_);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_FALSE(text->has_value());
  EXPECT_TRUE(store_.List("i-1/")->empty());
}

TEST_F(ContinuedManifestTest, AReadableManifestIsReturned) {
  ASSERT_TRUE(store_.Put(ManifestKey("i-1"), ManifestToJson(recorded_), {}).ok());
  auto text = ReadManifestToContinue(store_, empty_);
  ASSERT_TRUE(text.ok() && text->has_value());
  EXPECT_EQ(**text, ManifestToJson(recorded_));
}

TEST_F(ContinuedManifestTest, ADeniedReadOfAFreeKeyIsNoneAndLeavesAnEmptyManifest) {
  DenyingStore s3(&store_, 1000);
  auto text = ReadManifestToContinue(s3, empty_);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_FALSE(text->has_value());
  auto placed = ParseManifest(*store_.Get(ManifestKey("i-1")));
  ASSERT_TRUE(placed.ok());
  EXPECT_EQ(placed->instance_id, "i-1");
  EXPECT_TRUE(placed->streams.empty());
  EXPECT_FALSE(placed->sealed);
}

TEST_F(ContinuedManifestTest, ADeniedReadOfAnExistingManifestIsAnErrorNamingTheRead) {
  ASSERT_TRUE(store_.Put(ManifestKey("i-1"), ManifestToJson(recorded_), {}).ok());
  DenyingStore s3(&store_, 1000);
  auto text = ReadManifestToContinue(s3, empty_);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(text.status().message(),
            "the manifest file:///store/i-1/.lifeboat/manifest.json exists but reading it "
            "(s3:GetObject) is denied, so this run cannot continue it; nothing was shipped: "
            "AccessDenied: Access Denied");
  EXPECT_EQ(*store_.Get(ManifestKey("i-1")), ManifestToJson(recorded_));  // untouched
}

TEST_F(ContinuedManifestTest, AManifestWrittenBetweenTheReadAndTheProbeIsRead) {
  ASSERT_TRUE(store_.Put(ManifestKey("i-1"), ManifestToJson(recorded_), {}).ok());
  DenyingStore s3(&store_, 1);  // the first read saw no manifest (403), the second sees it
  auto text = ReadManifestToContinue(s3, empty_);
  ASSERT_TRUE(text.ok() && text->has_value()) << text.status().ToString();
  EXPECT_EQ(**text, ManifestToJson(recorded_));
}

TEST_F(ContinuedManifestTest, OtherReadErrorsStopTheRun) {
  class Unreachable : public ForwardingObjectStore {
   public:
    using ForwardingObjectStore::ForwardingObjectStore;
    Result<std::string> Get(const std::string&) override {
      return Status::Unavailable("connection refused");
    }
  } store(&store_);
  auto text = ReadManifestToContinue(store, empty_);
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().message(), "cannot read the manifest: connection refused");
  EXPECT_TRUE(store_.List("i-1/")->empty());
}

}  // namespace
}  // namespace lifeboat
