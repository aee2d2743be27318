#include "local/lambda/lambda_zip.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "fakes/temp_dir.h"
#include "local/lambda/lambda_test_support.h"

namespace lifeboat {
namespace {

namespace fs = std::filesystem;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

mode_t Mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

TEST(LambdaZipTest, ExtractsFilesKeepingTheExecutableBit) {
  TempDir dir;
  std::string zip = MakeZip({{"bootstrap", "#!/bin/sh\necho hi\n", S_IFREG | 0755},
                             {"lib/", "", S_IFDIR | 0755},
                             {"lib/data.txt", "data", S_IFREG | 0644},
                             {"deep/er/file.py", "x = 1\n", S_IFREG | 0600}});
  std::string task = dir.Join("task");
  ASSERT_TRUE(ExtractZip(zip, task).ok());
  EXPECT_EQ(Read(task + "/bootstrap"), "#!/bin/sh\necho hi\n");
  EXPECT_EQ(Mode(task + "/bootstrap") & 0777, 0755u);
  EXPECT_EQ(Read(task + "/lib/data.txt"), "data");
  EXPECT_EQ(Mode(task + "/lib/data.txt") & 0777, 0644u);
  EXPECT_EQ(Read(task + "/deep/er/file.py"), "x = 1\n");
  EXPECT_EQ(Mode(task + "/deep/er/file.py") & 0777, 0600u);
}

TEST(LambdaZipTest, EntriesFromOtherSystemsGetReadablePermissions) {
  TempDir dir;
  std::string zip = MakeZip({{"handler.py", "pass\n", 0, ZIP_OPSYS_DOS}});
  ASSERT_TRUE(ExtractZip(zip, dir.Join("task")).ok());
  EXPECT_EQ(Mode(dir.Join("task/handler.py")) & 0777, 0644u);
}

TEST(LambdaZipTest, RefusesPathsThatLeaveTheDirectory) {
  for (std::string name : {"../escaped", "a/../../escaped", "/tmp/absolute-escape"}) {
    TempDir dir;
    std::string zip = MakeZip({{"ok.txt", "fine"}, {name, "evil"}});
    Status status = ExtractZip(zip, dir.Join("a/task"));
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(status.message().find("escapes"), std::string::npos) << status.message();
    EXPECT_FALSE(fs::exists(dir.Join("a/escaped"))) << name;
    EXPECT_FALSE(fs::exists(dir.Join("escaped"))) << name;
  }
  EXPECT_FALSE(fs::exists("/tmp/absolute-escape"));
}

TEST(LambdaZipTest, LinksMustPointInside) {
  TempDir dir;
  std::string inside = MakeZip({{"data.txt", "data"}, {"sub/link", "../data.txt", S_IFLNK | 0777}});
  ASSERT_TRUE(ExtractZip(inside, dir.Join("one")).ok());
  EXPECT_TRUE(S_ISLNK(Mode(dir.Join("one/sub/link"))));
  EXPECT_EQ(Read(dir.Join("one/sub/link")), "data");

  for (std::string target : {"../../outside", "/etc/passwd"}) {
    std::string outside = MakeZip({{"sub/link", target, S_IFLNK | 0777}});
    Status status = ExtractZip(outside, dir.Join("two" + std::to_string(target.size())));
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << target;
  }
}

TEST(LambdaZipTest, NothingIsWrittenThroughALink) {
  TempDir dir;
  fs::create_directories(dir.Join("victim"));
  // The link comes first in the archive; the file "through" it must not land in victim/.
  std::string zip = MakeZip({{"sub", "../victim", S_IFLNK | 0777}, {"sub/planted.txt", "x"}});
  ExtractZip(zip, dir.Join("task/inner")).ok();
  EXPECT_FALSE(fs::exists(dir.Join("task/victim/planted.txt")));
  EXPECT_FALSE(fs::exists(dir.Join("victim/planted.txt")));
}

TEST(LambdaZipTest, RefusesWhatIsNotAZip) {
  TempDir dir;
  EXPECT_EQ(ExtractZip("definitely not a zip archive", dir.Join("task")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ExtractZip("", dir.Join("task2")).code(), StatusCode::kInvalidArgument);
}

TEST(LambdaZipTest, BoundsTheUnzippedSize) {
  TempDir dir;
  std::string zip = MakeZip({{"big", std::string(10000, 'a')}});
  Status status = ExtractZip(zip, dir.Join("task"), /*max_unzipped_bytes=*/4096);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("smaller than 4096"), std::string::npos) << status.message();
  EXPECT_TRUE(ExtractZip(zip, dir.Join("task2"), 10000).ok());
}

TEST(LambdaZipTest, RefusesAnExistingDirectory) {
  TempDir dir;
  std::string zip = MakeZip({{"a", "a"}});
  fs::create_directories(dir.Join("task"));
  EXPECT_EQ(ExtractZip(zip, dir.Join("task")).code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace lifeboat
