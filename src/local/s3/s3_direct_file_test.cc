#include "local/s3/s3_direct_file.h"

#include <gtest/gtest.h>

#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

TEST(S3DirectFileTest, AnyLengthInAnyPiecesReadsBackExactly) {
  TempDir dir;
  for (size_t size : {size_t{0}, size_t{1}, size_t{4095}, size_t{4096}, size_t{4097},
                      size_t{(4 << 20) + 3}, size_t{9 << 20}}) {
    std::string data(size, '\0');
    for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>(i * 7 + size);
    const std::string path = dir.Join("f" + std::to_string(size));
    auto file = NewDirectWritableFile(Env::Default(), path);
    ASSERT_TRUE(file.ok()) << file.status().message();
    // Uneven pieces, so appends straddle the block and buffer boundaries.
    for (size_t at = 0; at < size;) {
      const size_t n = std::min(size - at, size_t{1234567});
      ASSERT_TRUE((*file)->Append(std::string_view(data).substr(at, n)).ok());
      at += n;
    }
    ASSERT_TRUE((*file)->Sync().ok());
    ASSERT_TRUE((*file)->Close().ok());
    auto back = Env::Default()->ReadFileToString(path);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->size(), size);
    EXPECT_TRUE(*back == data) << "content differs at size " << size;
  }
}

TEST(S3DirectFileTest, CloseWithoutSyncKeepsTheDataAndAppendAfterSyncFails) {
  TempDir dir;
  const std::string path = dir.Join("f");
  auto file = NewDirectWritableFile(Env::Default(), path);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->Append("abc").ok());
  ASSERT_TRUE((*file)->Sync().ok());
  EXPECT_EQ((*file)->Append("more").code(), StatusCode::kInternal);
  ASSERT_TRUE((*file)->Close().ok());
  EXPECT_EQ(*Env::Default()->ReadFileToString(path), "abc");

  auto unsynced = NewDirectWritableFile(Env::Default(), path);
  ASSERT_TRUE((*unsynced)->Append("xy").ok());
  ASSERT_TRUE((*unsynced)->Close().ok());
  EXPECT_EQ(*Env::Default()->ReadFileToString(path), "xy");
}

TEST(S3DirectFileTest, MissingDirectoryIsAClearError) {
  TempDir dir;
  auto file = NewDirectWritableFile(Env::Default(), dir.Join("no/such/dir/f"));
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), StatusCode::kNotFound);
  EXPECT_NE(file.status().message().find("no/such/dir/f"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
