#include "controller/controller_config.h"

#include <gtest/gtest.h>

#include "fakes/mem_env.h"

namespace lifeboat {
namespace {

LifecycleNotice Notice() {
  LifecycleNotice n;
  n.instance_id = "i-0123456789abcdef0";
  n.group = "web";
  n.hook = "lifeboat";
  n.token = "0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28";
  n.transition = std::string(kTerminatingTransition);
  return n;
}

TEST(ControllerConfigTest, TheDefaultParametersAreThoseOfLifeboatsDocument) {
  MemEnv env;
  env.SetVar("LIFEBOAT_DESTINATION", "s3://logs/fleet");
  env.SetVar("LIFEBOAT_COMMAND_TIMEOUT", "900");
  env.SetVar("LIFEBOAT_TIME_SCALE", "60");
  env.SetVar("LIFEBOAT_PARAMETERS", "{}");  // a template's way of saying "not set"
  auto c = ControllerConfigFromEnvironment(env);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->document, "lifeboat-evacuate");
  EXPECT_FALSE(c->parameters.has_value());
  EXPECT_TRUE(ValidateControllerConfig(*c).ok());
  DocumentParameters p = ParametersFor(*c, Notice());
  EXPECT_EQ(p, (DocumentParameters{{"destination", {"s3://logs/fleet"}},
                                   {"executionTimeout", {"900"}},
                                   {"groupName", {"web"}},
                                   {"hookName", {"lifeboat"}},
                                   {"onFailure", {"ABANDON"}},
                                   {"timeScale", {"60"}},
                                   {"token", {"0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28"}}}));
}

TEST(ControllerConfigTest, ConfiguredParametersReplaceTheDefaultsWithPlaceholdersFilled) {
  MemEnv env;
  env.SetVar("LIFEBOAT_DOCUMENT", "AWS-RunShellScript");
  env.SetVar("LIFEBOAT_PARAMETERS",
             R"({"commands": ["lifeboat evacuate --to s3://b/{group} --token {token} /var/log/x",
                              "echo {instance_id} {hook}"],
                 "executionTimeout": "600"})");
  env.SetVar("LIFEBOAT_ON_FAILURE", "continue");
  auto c = ControllerConfigFromEnvironment(env);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->on_failure, "CONTINUE");
  EXPECT_TRUE(ValidateControllerConfig(*c).ok()) << "explicit parameters need no destination";
  DocumentParameters p = ParametersFor(*c, Notice());
  EXPECT_EQ(p.size(), 2u);
  EXPECT_EQ(p["commands"][0],
            "lifeboat evacuate --to s3://b/web --token 0befd5c6-6c3d-4a55-9ee7-b7b78e4a3f28 "
            "/var/log/x");
  EXPECT_EQ(p["commands"][1], "echo i-0123456789abcdef0 lifeboat");
  EXPECT_EQ(p["executionTimeout"], std::vector<std::string>{"600"});
}

TEST(ControllerConfigTest, BadSettingsNameTheVariable) {
  auto error = [](const char* name, const char* value) {
    MemEnv env;
    env.SetVar(name, value);
    auto c = ControllerConfigFromEnvironment(env);
    EXPECT_FALSE(c.ok()) << name << "=" << value;
    return c.ok() ? std::string() : c.status().message();
  };
  EXPECT_NE(error("LIFEBOAT_PARAMETERS", "[1]").find("LIFEBOAT_PARAMETERS"), std::string::npos);
  EXPECT_NE(error("LIFEBOAT_PARAMETERS", R"({"a": 1})").find("parameter a"), std::string::npos);
  EXPECT_NE(error("LIFEBOAT_ON_FAILURE", "RETRY").find("LIFEBOAT_ON_FAILURE"), std::string::npos);
  EXPECT_NE(error("LIFEBOAT_COMMAND_TIMEOUT", "1h").find("whole number"), std::string::npos);
  EXPECT_NE(error("LIFEBOAT_TIME_SCALE", "0").find("above 0"), std::string::npos);

  ControllerConfig none;
  EXPECT_NE(ValidateControllerConfig(none).message().find("LIFEBOAT_DESTINATION"),
            std::string::npos);
  none.destination = "logs";
  EXPECT_NE(ValidateControllerConfig(none).message().find("s3://"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
