#include "demo/demo_workload.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "fakes/temp_dir.h"

namespace lifeboat {
namespace {

// bash's own syntax check of a script.
int BashCheck(const std::string& script) {
  TempDir dir;
  const std::string path = dir.Join("user-data.sh");
  std::ofstream(path) << script;
  return std::system(("bash -n " + path + " 2>&1").c_str());
}

TEST(DemoWorkloadTest, TheUserDataIsBashThatWritesBothLogs) {
  const std::string app = ApplicationUserData(50);
  EXPECT_EQ(app.rfind("#!/bin/bash\n", 0), 0u);
  EXPECT_EQ(BashCheck(app), 0);
  EXPECT_NE(app.find("/var/log/nginx/access.log"), std::string::npos);
  EXPECT_NE(app.find("/var/log/php-fpm/error.log"), std::string::npos);
  EXPECT_NE(app.find("sleep 0.020"), std::string::npos);
  EXPECT_NE(app.find("{1..25}"), std::string::npos);
  EXPECT_EQ(app.find("{interval}"), std::string::npos);
}

TEST(DemoWorkloadTest, TheAgentUserDataConfiguresTheLifecycle) {
  const std::string agent = AgentUserData(10, "s3://lifeboat-demo/agent", 60);
  EXPECT_EQ(BashCheck(agent), 0);
  EXPECT_NE(agent.find("destination: s3://lifeboat-demo/agent"), std::string::npos);
  EXPECT_NE(agent.find("time_scale: 60\n"), std::string::npos);
  EXPECT_NE(agent.find("pre_stop: ['systemctl stop php-fpm nginx']"), std::string::npos);
  EXPECT_NE(agent.find("lifeboat agent --config /tmp/agent.yaml"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
