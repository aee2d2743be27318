#include "agent/source_discovery.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

void Touch(const std::string& path) { std::ofstream(path) << "x\n"; }

std::vector<std::string> Paths(const DiscoveryResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.files) out.push_back(f.path);
  return out;
}

TEST(SourceDiscoveryTest, ListsRegularFilesOnceWithoutExcludedNames) {
  TempDir dir;
  const std::string d = dir.path();
  Touch(d + "/a.log");
  Touch(d + "/a.log.1");
  Touch(d + "/a.log.2.gz");
  ASSERT_EQ(::mkdir((d + "/dir.log").c_str(), 0755), 0);
  ASSERT_EQ(::mkfifo((d + "/fifo.log").c_str(), 0644), 0);
  ASSERT_EQ(::symlink((d + "/missing").c_str(), (d + "/dangling.log").c_str()), 0);
  std::vector<SourceSpec> specs = {{d + "/*.log", {}}, {d + "/*.log*", {"*.gz"}}};
  auto r = DiscoverSources(*Env::Default(), specs);
  EXPECT_EQ(Paths(r), (std::vector<std::string>{d + "/a.log", d + "/a.log.1"}));
  // The directory, the FIFO and the dangling symlink are named (each by both patterns).
  std::string problems;
  for (const auto& p : r.problems) problems += p.message() + "\n";
  EXPECT_EQ(r.problems.size(), 6u) << problems;
  EXPECT_NE(problems.find(d + "/dir.log: not a regular file"), std::string::npos) << problems;
  EXPECT_NE(problems.find(d + "/fifo.log: not a regular file"), std::string::npos) << problems;
  EXPECT_NE(problems.find(d + "/dangling.log: a symlink to a missing file"), std::string::npos)
      << problems;
}

TEST(SourceDiscoveryTest, ExcludeWithASlashMatchesTheWholePath) {
  SourceSpec spec{"/var/log/*/*.log", {"/var/log/private/*"}};
  EXPECT_TRUE(IsExcluded(spec, "/var/log/private/a.log"));
  EXPECT_FALSE(IsExcluded(spec, "/var/log/nginx/a.log"));
  EXPECT_TRUE(IsExcluded({"/x/*", {"*.gz"}}, "/x/a.log.1.gz"));
}

TEST(SourceDiscoveryTest, LiteralDirectoryIsTheLongestPrefixWithoutMagic) {
  EXPECT_EQ(LiteralDirectory("/var/log/nginx/*.log"), "/var/log/nginx");
  EXPECT_EQ(LiteralDirectory("/var/log/*/x.log"), "/var/log");
  EXPECT_EQ(LiteralDirectory("/var/log/app.log"), "/var/log");
  EXPECT_EQ(LiteralDirectory("/*.log"), "/");
}

TEST(SourceDiscoveryTest, WatcherWakesOnCreateRenameAndDeleteInTheDirectory) {
  TempDir dir;
  auto watcher = ChangeWatcher::Create({{dir.path() + "/*.log", {}}});
  ASSERT_GE(watcher->fd(), 0);
  EXPECT_FALSE(watcher->Drain());
  Touch(dir.path() + "/new.log");
  EXPECT_TRUE(watcher->Drain());
  EXPECT_FALSE(watcher->Drain());
  ASSERT_EQ(::rename((dir.path() + "/new.log").c_str(), (dir.path() + "/new.log.1").c_str()), 0);
  EXPECT_TRUE(watcher->Drain());
  ASSERT_EQ(::unlink((dir.path() + "/new.log.1").c_str()), 0);
  EXPECT_TRUE(watcher->Drain());
}

}  // namespace
}  // namespace lifeboat
