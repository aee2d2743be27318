#include "ship/evacuation_record.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"
#include "store/file_object_store.h"

namespace lifeboat {
namespace {

class EvacuationRecordTest : public ::testing::Test {
 protected:
  EvacuationReport Evacuate(const std::vector<std::string>& args) {
    EvacuationOptions o;
    o.instance_id = "i-1";
    o.chunk_bytes = 4096;
    o.tool = "lifeboat test";
    auto r = Evacuation(&env_, &store_, o).Run(args);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : EvacuationReport{};
  }
  InstanceRecord Stored() {
    auto r = ReadInstanceRecord(&store_, "i-1");
    EXPECT_TRUE(r.ok() && r->has_value());
    return r.ok() && r->has_value() ? **r : InstanceRecord{};
  }

  MemEnv env_;
  FileObjectStore store_{&env_, "/store"};
};

TEST_F(EvacuationRecordTest, CountsEveryRunAndNamesTheCauseWhenTheCallerKnowsIt) {
  // What an agent wrote before: evacuate keeps what it cannot know itself.
  InstanceRecord agent;
  agent.instance_id = "i-1";
  agent.group = "web";
  agent.launch_time = env_.Now() - std::chrono::hours(50);
  agent.first_byte_time = env_.Now() - std::chrono::hours(49);
  agent.updated_at = env_.Now() - std::chrono::hours(1);
  agent.writer = "agent";
  ASSERT_TRUE(PublishInstanceRecord(&store_, agent).ok());

  env_.SetFile("/var/log/a.log", std::string(5000, 'a') + "\n");
  InstanceRecord base;
  base.instance_id = "i-1";
  ASSERT_TRUE(RecordEvacuation(&env_, &store_, Evacuate({"/var/log/a.log"}), base).ok());
  InstanceRecord first = Stored();
  EXPECT_EQ(first.writer, "evacuate");
  EXPECT_EQ(first.group, "web");
  EXPECT_EQ(first.first_byte_time, agent.first_byte_time);
  EXPECT_EQ(first.launch_time, agent.launch_time);
  EXPECT_TRUE(first.sealed);
  EXPECT_TRUE(first.running()) << "no cause given yet";

  env_.AppendToFile("/var/log/a.log", "more\n");
  env_.SetFile("/var/log/b.log", "b\n");
  base.cause = EndCause::kScaleIn;
  const uint64_t puts = store_.requests_by_operation().at("PutObject");
  ASSERT_TRUE(RecordEvacuation(&env_, &store_, Evacuate({"/var/log/*.log"}), base).ok());
  InstanceRecord last = Stored();
  ASSERT_TRUE(last.cause.has_value());
  EXPECT_EQ(*last.cause, EndCause::kScaleIn);
  ASSERT_TRUE(last.terminated_at.has_value());
  EXPECT_EQ(*last.terminated_at, last.updated_at);
  EXPECT_EQ(last.files, (std::vector<InstanceFile>{{"/var/log/a.log", 5006, last.files[0].stored_bytes},
                                                   {"/var/log/b.log", 2, last.files[1].stored_bytes}}));
  EXPECT_GT(last.files[0].stored_bytes, 0u);
  // The days were indexed by the agent's record: this run wrote chunks, its manifest and
  // the record, no marker.
  const uint64_t chunks_and_manifest = 3;  // a.log's new chunk, b.log's, the head
  EXPECT_EQ(store_.requests_by_operation().at("PutObject") - puts, chunks_and_manifest + 1);
}

}  // namespace
}  // namespace lifeboat
