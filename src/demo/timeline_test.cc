#include "demo/timeline.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>

namespace lifeboat {
namespace {

DemoTimeline Sample() {
  DemoTimeline t;
  t.title = "lifeboat demo: 2 instances per design, scale-in by 1";
  t.end = 14.2;
  t.scale_in_at = 6.0;
  t.heartbeat_timeout = 5.0;
  InstanceTimeline released;
  released.instance_id = "i-0aaaaaaaaaaaaaaaa";
  released.mode = "lifeboat-agent";
  released.states = {{"Pending", 0.5, 0.7},
                     {"InService", 0.7, 6.0},
                     {"Terminating:Wait", 6.0, 6.4},
                     {"Terminating:Proceed", 6.4, 6.5},
                     {"Terminated", 6.5, 6.5}};
  released.evacuation_start = 6.1;
  released.evacuation_end = 6.3;
  released.terminated_at = 6.5;
  released.scaled_in = true;
  released.shipped = {{3.0, 1000}, {6.3, 5000}};
  released.lines_written = 120;
  released.bytes_written = 5000;
  InstanceTimeline held = released;
  held.instance_id = "i-0bbbbbbbbbbbbbbbb";
  held.mode = "seed";
  held.states[2] = {"Terminating:Wait", 6.0, 11.0};
  held.states[3] = {"Terminating:Proceed", 11.0, 11.1};
  held.states[4] = {"Terminated", 11.1, 11.1};
  held.terminated_at = 11.1;
  held.lines_lost = 31;
  InstanceTimeline kept;
  kept.instance_id = "i-0cccccccccccccccc";
  kept.mode = "lifeboat-controller";
  kept.states = {{"Pending", 0.5, 0.6}, {"InService", 0.6, 14.2}};
  t.instances = {released, held, kept};
  return t;
}

TEST(TimelineTest, TheSvgIsWellFormedAndNamesEveryInstance) {
  const std::string svg = RenderTimelineSvg(Sample());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(svg.c_str())) << svg;
  EXPECT_STREQ(doc.document_element().name(), "svg");
  EXPECT_STREQ(doc.document_element().attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  for (const char* id : {"i-0aaaaaaaaaaaaaaaa", "i-0bbbbbbbbbbbbbbbb", "i-0cccccccccccccccc"}) {
    EXPECT_TRUE(doc.select_node((std::string("//g[@data-instance='") + id + "']").c_str())) << id;
  }
  EXPECT_NE(svg.find("scale-in"), std::string::npos);
  EXPECT_NE(svg.find("heartbeat timeout"), std::string::npos);
  EXPECT_NE(svg.find("Terminated 0.50 s after scale-in"), std::string::npos);
  EXPECT_NE(svg.find("no line lost, 4.9 KiB shipped"), std::string::npos);
  EXPECT_NE(svg.find("31 of 120 lines lost"), std::string::npos);
  EXPECT_NE(svg.find("kept running"), std::string::npos);
}

TEST(TimelineTest, StatesAreDrawnWhereAndAsLongAsTheyLasted) {
  const std::string svg = RenderTimelineSvg(Sample());
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(svg.c_str()));
  auto width_of = [&](const char* id, const char* state) {
    for (auto rect :
         doc.select_nodes((std::string("//g[@data-instance='") + id + "']/rect").c_str())) {
      std::string title = rect.node().child_value("title");
      if (title.find(std::string(" ") + state + " ") != std::string::npos) {
        return rect.node().attribute("width").as_double();
      }
    }
    return -1.0;
  };
  const double agent_wait = width_of("i-0aaaaaaaaaaaaaaaa", "Terminating:Wait");
  const double seed_wait = width_of("i-0bbbbbbbbbbbbbbbb", "Terminating:Wait");
  ASSERT_GT(agent_wait, 0);
  EXPECT_NEAR(seed_wait / agent_wait, 5.0 / 0.4, 0.5) << "the seed's hold is 12.5x as long";
  EXPECT_LT(width_of("i-0cccccccccccccccc", "Terminating:Wait"), 0) << "never terminating";
}

TEST(TimelineTest, TheHtmlPageIsSelfContainedWithARowPerInstance) {
  const std::string html = RenderTimelineHtml(Sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos) << "no external resources";
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  size_t rows = 0;
  for (size_t at = html.find("<tr class=\"instance-row\""); at != std::string::npos;
       at = html.find("<tr class=\"instance-row\"", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 3u);
  EXPECT_NE(html.find("data-instance=\"i-0bbbbbbbbbbbbbbbb\""), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

TEST(TimelineTest, TextIsEscaped) {
  DemoTimeline t = Sample();
  t.title = "a <b> & \"c\"";
  const std::string svg = RenderTimelineSvg(t);
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(svg.c_str()));
  EXPECT_NE(svg.find("a &lt;b&gt; &amp; &quot;c&quot;"), std::string::npos);
}

}  // namespace
}  // namespace lifeboat
