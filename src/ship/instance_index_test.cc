#include "ship/instance_index.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "fakes/mem_env.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

WallTime At(std::string_view text) {
  auto t = ParseRfc3339(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : WallTime{};
}

InstanceRecord Full() {
  InstanceRecord r;
  r.instance_id = "i-0123456789abcdef0";
  r.group = "web";
  r.availability_zone = "eu-west-1a";
  r.instance_type = "t3.micro";
  r.image_id = "ami-0abc";
  r.launch_time = At("2026-11-24T22:00:00Z");
  r.first_byte_time = At("2026-11-24T22:01:00Z");
  r.last_byte_time = At("2026-11-26T03:19:00Z");
  r.terminated_at = At("2026-11-26T03:20:00Z");
  r.cause = EndCause::kScaleIn;
  r.files = {{"/var/log/app.log", 1000, 200}, {"/var/log/php-fpm/error.log", 50, 40}};
  r.sealed = true;
  r.updated_at = At("2026-11-26T03:20:00Z");
  r.writer = "agent";
  return r;
}

TEST(InstanceRecordTest, JsonRoundTripsEveryField) {
  const InstanceRecord r = Full();
  const std::string text = InstanceRecordToJson(r);
  EXPECT_NE(text.find("\"format\": \"lifeboat-instance/1\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"cause\": \"scale-in\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"terminated_at\": \"2026-11-26T03:20:00Z\""), std::string::npos) << text;
  auto back = ParseInstanceRecord(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, r);
  EXPECT_EQ(back->raw_bytes(), 1050u);
  EXPECT_EQ(back->stored_bytes(), 240u);
}

TEST(InstanceRecordTest, UnknownTimesAndARunningInstanceAreNull) {
  InstanceRecord r;
  r.instance_id = "i-1";
  r.updated_at = At("2026-11-26T00:00:00Z");
  r.writer = "evacuate";
  const std::string text = InstanceRecordToJson(r);
  EXPECT_NE(text.find("\"cause\": null"), std::string::npos) << text;
  EXPECT_NE(text.find("\"launch_time\": null"), std::string::npos) << text;
  auto back = ParseInstanceRecord(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, r);
  EXPECT_TRUE(back->running());
  // Absent is read as unknown, too.
  auto minimal = ParseInstanceRecord(
      R"({"format":"lifeboat-instance/1","instance_id":"i-1","updated_at":"2026-11-26T00:00:00Z"})");
  ASSERT_TRUE(minimal.ok()) << minimal.status().message();
  EXPECT_FALSE(minimal->launch_time.has_value());
  EXPECT_TRUE(minimal->running());
}

TEST(InstanceRecordTest, ErrorsAreDataLossNamingTheField) {
  auto error = [](const std::string& text) {
    auto r = ParseInstanceRecord(text);
    EXPECT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos);
    return r.status().message();
  };
  const std::string head = R"({"format":"lifeboat-instance/1","instance_id":"i-1","updated_at":"2026-11-26T00:00:00Z")";
  EXPECT_NE(error("[1]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(error(R"({"instance_id":"i-1"})").find("format is missing"), std::string::npos);
  EXPECT_NE(error(R"({"format":"lifeboat-instance/9","instance_id":"i-1"})").find("lifeboat-instance/9"),
            std::string::npos);
  EXPECT_NE(error(head + R"(,"launch_time":"yesterday"})").find("launch_time"), std::string::npos);
  EXPECT_NE(error(head + R"(,"cause":"meteor"})").find("cause"), std::string::npos);
  EXPECT_NE(error(head + R"(,"files":[{"path":"/a","raw_bytes":1,"stored_bytes":1},{"path":"/b","raw_bytes":-1,"stored_bytes":1}]})")
                .find("files[1].raw_bytes"),
            std::string::npos);
  EXPECT_NE(error(head + R"(,"sealed":"yes"})").find("sealed"), std::string::npos);
  EXPECT_NE(error(R"({"format":"lifeboat-instance/1","instance_id":"i-1"})").find("updated_at"),
            std::string::npos);
}

TEST(InstanceRecordTest, KeysSitBesideTheManifestAndAtTheRootForDays) {
  EXPECT_EQ(InstanceRecordKey("i-0abc"), "i-0abc/.lifeboat/instance.json");
  EXPECT_EQ(DayIndexKey("2026-11-26", "i-0abc"), ".lifeboat/days/2026-11-26/i-0abc");
  EXPECT_EQ(DayIndexPrefix("2026-11-26"), ".lifeboat/days/2026-11-26/");
}

TEST(InstanceRecordTest, FilesSumEveryStreamOfAPath) {
  std::vector<StreamRecord> part = {{"/b.log", 0, {}, 0, true, {{{0, 10}, Codec::kZstd, 4, 0, 0}}},
                                    {"/a.log", 0, {}, 0, false, {{{0, 5}, Codec::kZstd, 2, 0, 0}}}};
  std::vector<StreamRecord> head = {{"/b.log", 1, {}, 0, false,
                                     {{{0, 7}, Codec::kZstd, 3, 0, 0}, {{7, 9}, Codec::kZstd, 1, 0, 0}}}};
  std::vector<InstanceFile> files;
  AddManifestFiles(part, files);
  AddManifestFiles(head, files);
  EXPECT_EQ(files, (std::vector<InstanceFile>{{"/a.log", 5, 2}, {"/b.log", 19, 8}}));
}

TEST(InstanceRecordTest, MarkersCoverTheSpanOnceAndTheRecordComesLast) {
  InstanceRecord r;
  r.instance_id = "i-1";
  r.launch_time = At("2026-11-24T22:00:00Z");
  r.updated_at = At("2026-11-26T01:00:00Z");
  IndexedDays indexed;
  auto writes = InstanceRecordWrites(r, indexed);
  ASSERT_EQ(writes.size(), 4u);
  EXPECT_EQ(writes[0].first, ".lifeboat/days/2026-11-24/i-1");
  EXPECT_EQ(writes[2].first, ".lifeboat/days/2026-11-26/i-1");
  EXPECT_EQ(writes[0].second, "");
  EXPECT_EQ(writes[3].first, "i-1/.lifeboat/instance.json");
  EXPECT_EQ(indexed.first, "2026-11-24");
  EXPECT_EQ(indexed.last, "2026-11-26");

  r.updated_at = At("2026-11-26T20:00:00Z");  // the same day again: the record alone
  EXPECT_EQ(InstanceRecordWrites(r, indexed).size(), 1u);
  r.updated_at = At("2026-11-28T00:10:00Z");  // two days on (one of them silent): both
  writes = InstanceRecordWrites(r, indexed);
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].first, ".lifeboat/days/2026-11-27/i-1");
  EXPECT_EQ(writes[1].first, ".lifeboat/days/2026-11-28/i-1");

  // A stored record tells a restarted writer what is indexed already.
  IndexedDays from_record = IndexedDaysOf(r);
  EXPECT_EQ(InstanceRecordWrites(r, from_record).size(), 1u);

  InstanceRecord ancient = r;
  ancient.launch_time = At("2000-01-01T00:00:00Z");
  IndexedDays none;
  EXPECT_EQ(InstanceRecordWrites(ancient, none).size(), static_cast<size_t>(kMaxIndexedDays) + 1);
}

class FindInstancesTest : public ::testing::Test {
 protected:
  void Publish(const std::string& id, const std::string& group, std::string_view launched,
               std::optional<std::string_view> terminated, std::string_view updated) {
    InstanceRecord r;
    r.instance_id = id;
    r.group = group;
    r.launch_time = At(launched);
    if (terminated) {
      r.terminated_at = At(*terminated);
      r.cause = EndCause::kScaleIn;
      r.sealed = true;
    }
    r.updated_at = At(updated);
    r.writer = "agent";
    Status s = PublishInstanceRecord(&store_, r);
    ASSERT_TRUE(s.ok()) << s.message();
  }
  std::vector<std::string> Ids(std::optional<std::string_view> since, std::optional<std::string_view> until,
                               const std::string& group = "") {
    auto found = FindInstances(&store_, since ? std::optional(At(*since)) : std::nullopt,
                               until ? std::optional(At(*until)) : std::nullopt, group, now_);
    EXPECT_TRUE(found.ok()) << found.status().message();
    std::vector<std::string> ids;
    if (found.ok()) {
      for (const auto& r : *found) ids.push_back(r.instance_id);
    }
    return ids;
  }
  uint64_t Requests(const std::string& op) {
    auto counts = store_.requests_by_operation();
    auto it = counts.find(op);
    return it == counts.end() ? 0 : it->second;
  }

  MemEnv env_;
  FileObjectStore store_{&env_, "/store"};
  WallTime now_ = At("2026-11-26T12:00:00Z");
};

TEST_F(FindInstancesTest, AWindowFindsWhatOverlapsItNewestFirst) {
  Publish("i-night", "web", "2026-11-26T00:00:00Z", "2026-11-26T06:00:00Z", "2026-11-26T06:00:00Z");
  Publish("i-morning", "web", "2026-11-26T05:00:00Z", std::nullopt, "2026-11-26T05:00:00Z");
  Publish("i-api", "api", "2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", "2026-11-24T00:00:00Z");
  Publish("i-old", "web", "2026-11-16T00:00:00Z", "2026-11-17T00:00:00Z", "2026-11-17T00:00:00Z");

  EXPECT_EQ(Ids("2026-11-26T04:00:00Z", "2026-11-26T05:30:00Z"),
            (std::vector<std::string>{"i-morning", "i-night"}));
  EXPECT_EQ(Ids("2026-11-26T03:00:00Z", "2026-11-26T04:00:00Z"), std::vector<std::string>{"i-night"})
      << "not yet launched";
  // A running instance overlaps up to now, though its record is from 05:00.
  EXPECT_EQ(Ids("2026-11-26T07:00:00Z", std::nullopt), std::vector<std::string>{"i-morning"});
  EXPECT_EQ(Ids(std::nullopt, std::nullopt),
            (std::vector<std::string>{"i-morning", "i-night", "i-api"}))
      << "the default window is the last 7 days";
  EXPECT_EQ(Ids("2026-11-01T00:00:00Z", std::nullopt, "api"), std::vector<std::string>{"i-api"});
  EXPECT_EQ(Ids("2026-11-01T00:00:00Z", std::nullopt, "web"),
            (std::vector<std::string>{"i-morning", "i-night", "i-old"}));
  EXPECT_EQ(Ids("2026-11-25T00:00:00Z", "2026-11-25T23:00:00Z"), std::vector<std::string>{});
}

TEST_F(FindInstancesTest, ReadsOneListingADayAndOnlyTheRecordsOfTheWindow) {
  Publish("i-night", "web", "2026-11-26T00:00:00Z", "2026-11-26T06:00:00Z", "2026-11-26T06:00:00Z");
  Publish("i-long", "web", "2026-11-20T00:00:00Z", std::nullopt, "2026-11-26T01:00:00Z");
  for (int i = 0; i < 5; ++i) {
    Publish(fmt::format("i-before-{}", i), "web", "2026-11-21T00:00:00Z", "2026-11-21T02:00:00Z",
            "2026-11-21T02:00:00Z");
  }
  const uint64_t lists = Requests("ListObjectsV2"), gets = Requests("GetObject");
  EXPECT_EQ(Ids("2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z"),
            (std::vector<std::string>{"i-night", "i-long"}));
  EXPECT_EQ(Requests("ListObjectsV2") - lists, 2u) << "two days";
  EXPECT_EQ(Requests("GetObject") - gets, 2u) << "i-long, listed on both days, is read once";
}

TEST_F(FindInstancesTest, PagesPastAThousandInstancesADay) {
  for (int i = 0; i < 1205; ++i) {
    Publish(fmt::format("i-{:05d}", i), "web", "2026-11-26T01:00:00Z", "2026-11-26T02:00:00Z",
            "2026-11-26T02:00:00Z");
  }
  const uint64_t lists = Requests("ListObjectsV2"), gets = Requests("GetObject");
  const auto ids = Ids("2026-11-26T00:00:00Z", "2026-11-26T03:00:00Z");
  EXPECT_EQ(ids.size(), 1205u);
  EXPECT_EQ(Requests("ListObjectsV2") - lists, 2u) << "1,000 keys a page";
  EXPECT_EQ(Requests("GetObject") - gets, 1205u);
}

TEST_F(FindInstancesTest, AMarkerWithoutItsRecordIsSkippedAndABadRecordNamed) {
  ASSERT_TRUE(store_.Put(DayIndexKey("2026-11-26", "i-died"), "", {}).ok());
  Publish("i-ok", "web", "2026-11-26T01:00:00Z", std::nullopt, "2026-11-26T01:00:00Z");
  EXPECT_EQ(Ids("2026-11-26T00:00:00Z", std::nullopt), std::vector<std::string>{"i-ok"});

  ASSERT_TRUE(store_.Put(DayIndexKey("2026-11-26", "i-bad"), "", {}).ok());
  ASSERT_TRUE(store_.Put(InstanceRecordKey("i-bad"), "{\"format\": 3}", {}).ok());
  auto found = FindInstances(&store_, At("2026-11-26T00:00:00Z"), std::nullopt, "", now_);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(found.status().message().find("i-bad/.lifeboat/instance.json"), std::string::npos)
      << found.status().message();
}

TEST_F(FindInstancesTest, AWindowThatEndsBeforeItBeginsIsAUsageError) {
  auto found = FindInstances(&store_, At("2026-11-26T00:00:00Z"), At("2026-11-25T00:00:00Z"), "", now_);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lifeboat
