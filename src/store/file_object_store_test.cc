#include "store/file_object_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "common/hash.h"
#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

class FileObjectStoreTest : public ::testing::Test {
 protected:
  TempDir dir_;
  FileObjectStore store_{Env::Default(), dir_.Join("store")};
};

TEST_F(FileObjectStoreTest, PutThenGetHeadAndList) {
  ASSERT_TRUE(store_.Put("i-1/var/log/a.log/000000-x", "hello", {}).ok());
  ASSERT_TRUE(store_.Put("i-1/.lifeboat/manifest.json", "{}", {}).ok());
  EXPECT_EQ(*store_.Get("i-1/var/log/a.log/000000-x"), "hello");
  auto info = store_.Head("i-1/var/log/a.log/000000-x");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 5u);
  EXPECT_EQ(info->crc32c, Crc32c("hello"));
  auto listed = store_.List("i-1/");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].key, "i-1/.lifeboat/manifest.json");
  EXPECT_EQ((*listed)[1].key, "i-1/var/log/a.log/000000-x");
  EXPECT_EQ(store_.List("i-1/var/log/a").value().size(), 1u);
  EXPECT_TRUE(store_.List("i-2/").value().empty());
}

TEST_F(FileObjectStoreTest, ListPagesHandsOutPagesOfAThousandKeysAfterStartAfter) {
  for (int i = 0; i < 2500; ++i) {
    ASSERT_TRUE(store_.Put(fmt::format("i-1/log/{:06}", i), "x", {}).ok());
  }
  std::vector<size_t> sizes;
  std::string first, last;
  Status s = store_.ListPages("i-1/", "i-1/log/000499", [&](std::vector<ListedObject>& page) {
    if (first.empty()) first = page.front().key;
    for (const auto& o : page) {
      EXPECT_LT(last, o.key) << "in key order";
      last = o.key;
    }
    sizes.push_back(page.size());
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(sizes, (std::vector<size_t>{1000, 1000}));
  EXPECT_EQ(first, "i-1/log/000500");
  EXPECT_EQ(last, "i-1/log/002499");
  EXPECT_EQ(store_.requests_by_operation().at("ListObjectsV2"), 2u) << "billed per page";

  int pages = 0;
  s = store_.ListPages("i-1/", "", [&](std::vector<ListedObject>&) {
    ++pages;
    return Status(StatusCode::kCancelled, "enough");
  });
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(pages, 1) << "an error from the callback stops the listing";
}

TEST_F(FileObjectStoreTest, CreateOnlyWriteKeepsTheFirstObject) {
  ASSERT_TRUE(store_.Put("k", "first", {}).ok());
  Status s = store_.Put("k", "second", {});
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(*store_.Get("k"), "first");
  WriteOptions overwrite;
  overwrite.if_none_match = false;
  ASSERT_TRUE(store_.Put("k", "third", overwrite).ok());
  EXPECT_EQ(*store_.Get("k"), "third");
  // No temporary file is left behind by either outcome.
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Join("store/.tmp")));
}

TEST_F(FileObjectStoreTest, UncommittedObjectsAreInvisible) {
  {
    auto writer = *store_.NewWriter("k", {});
    ASSERT_TRUE(writer->Append("partial").ok());
    EXPECT_EQ(store_.Head("k").status().code(), StatusCode::kNotFound);
  }  // destroyed without Commit
  EXPECT_EQ(store_.Head("k").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.Join("store/.tmp")));
}

TEST_F(FileObjectStoreTest, KeysThatEscapeTheRootAreRejected) {
  for (const char* key : {"../x", "a/../../x", "/abs", "a//b", ".tmp/x"}) {
    EXPECT_EQ(store_.Put(key, "x", {}).code(), StatusCode::kInvalidArgument) << key;
  }
}

TEST_F(FileObjectStoreTest, UnwritableRootIsAClearError) {
  dir_.Write("plainfile", "x");
  FileObjectStore bad(Env::Default(), dir_.Join("plainfile/store"));
  Status s = bad.Put("k", "x", {});
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot write to file://"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace lifeboat
