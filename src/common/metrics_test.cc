#include "common/metrics.h"

#include <gtest/gtest.h>

#include <limits>
#include <thread>
#include <vector>

namespace lifeboat {
namespace {

TEST(FormatMetricValueTest, IntegersHaveNoExponentOrFraction) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(-0.0), "0");
  EXPECT_EQ(FormatMetricValue(42), "42");
  EXPECT_EQ(FormatMetricValue(-7), "-7");
  EXPECT_EQ(FormatMetricValue(1e16), "10000000000000000");
  EXPECT_EQ(FormatMetricValue(123456789012345678.0), "123456789012345680");
}

TEST(FormatMetricValueTest, FractionsAndSpecialValues) {
  EXPECT_EQ(FormatMetricValue(0.5), "0.5");
  EXPECT_EQ(FormatMetricValue(0.1), "0.1");
  EXPECT_EQ(FormatMetricValue(2.25), "2.25");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatMetricValue(1e300), "1e+300");
}

TEST(MetricsTest, RendersFamiliesAndSamplesSorted) {
  Metrics m;
  m.Describe("lifeboat_streams", MetricType::kGauge, "Streams being shipped.");
  m.Describe("lifeboat_bytes_read_total", MetricType::kCounter, "Bytes read from sources.");
  m.Add("lifeboat_bytes_read_total", 1000);
  m.Add("lifeboat_bytes_read_total", 24);
  m.Set("lifeboat_streams", 3);
  m.Set("lifeboat_oldest_unshipped_seconds", 2.5, {{"path", "/var/log/b.log"}});
  m.Set("lifeboat_oldest_unshipped_seconds", 1, {{"path", "/var/log/a.log"}});
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP lifeboat_bytes_read_total Bytes read from sources.\n"
            "# TYPE lifeboat_bytes_read_total counter\n"
            "lifeboat_bytes_read_total 1024\n"
            "# TYPE lifeboat_oldest_unshipped_seconds gauge\n"
            "lifeboat_oldest_unshipped_seconds{path=\"/var/log/a.log\"} 1\n"
            "lifeboat_oldest_unshipped_seconds{path=\"/var/log/b.log\"} 2.5\n"
            "# HELP lifeboat_streams Streams being shipped.\n"
            "# TYPE lifeboat_streams gauge\n"
            "lifeboat_streams 3\n");
}

TEST(MetricsTest, DescribedFamiliesWithoutSamplesStillRender) {
  Metrics m;
  m.Describe("lifeboat_upload_errors_total", MetricType::kCounter, "Failed uploads.");
  m.Describe("lifeboat_oldest_unshipped_seconds", MetricType::kGauge, "Age per path.");
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP lifeboat_oldest_unshipped_seconds Age per path.\n"
            "# TYPE lifeboat_oldest_unshipped_seconds gauge\n"
            "# HELP lifeboat_upload_errors_total Failed uploads.\n"
            "# TYPE lifeboat_upload_errors_total counter\n"
            "lifeboat_upload_errors_total 0\n");
}

TEST(MetricsTest, LabelledCounterGetsNoUnlabelledZeroAfterItsSamplesGo) {
  Metrics m;
  m.Describe("errors_total", MetricType::kCounter, "h");
  m.Add("errors_total", 1, {{"kind", "s3"}});
  m.Remove("errors_total", {{"kind", "s3"}});
  EXPECT_EQ(m.RenderPrometheus(), "# HELP errors_total h\n# TYPE errors_total counter\n");
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  Metrics m;
  m.Describe("g", MetricType::kGauge, "a \\ b\nc \"q\"");
  m.Set("g", 1, {{"path", "/x/\"y\"\\z\nw"}});
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP g a \\\\ b\\nc \"q\"\n"
            "# TYPE g gauge\n"
            "g{path=\"/x/\\\"y\\\"\\\\z\\nw\"} 1\n");
}

TEST(MetricsTest, LabelOrderDoesNotMatter) {
  Metrics m;
  m.Add("c_total", 1, {{"b", "2"}, {"a", "1"}});
  m.Add("c_total", 2, {{"a", "1"}, {"b", "2"}});
  EXPECT_EQ(m.Value("c_total", {{"b", "2"}, {"a", "1"}}), 3);
  EXPECT_EQ(m.RenderPrometheus(), "# TYPE c_total counter\nc_total{a=\"1\",b=\"2\"} 3\n");
}

TEST(MetricsTest, SetRemoveAndValue) {
  Metrics m;
  EXPECT_EQ(m.Value("missing"), 0);
  m.Set("open", 5);
  m.Add("open", -2);  // a gauge may be moved both ways
  EXPECT_EQ(m.Value("open"), 3);
  m.Set("age", 7, {{"path", "/a"}});
  m.Remove("age", {{"path", "/a"}});
  m.Remove("age", {{"path", "/never"}});
  m.Remove("never_seen", {});
  EXPECT_EQ(m.Value("age", {{"path", "/a"}}), 0);
  EXPECT_EQ(m.RenderPrometheus(), "# TYPE age gauge\n# TYPE open gauge\nopen 3\n");
}

TEST(MetricsTest, DescribeAfterUseKeepsSamplesAndFixesType) {
  Metrics m;
  m.Add("open_files", 2);  // would default to a counter
  m.Describe("open_files", MetricType::kGauge, "Open files.");
  EXPECT_EQ(m.RenderPrometheus(),
            "# HELP open_files Open files.\n# TYPE open_files gauge\nopen_files 2\n");
}

TEST(MetricsTest, ConcurrentAddsAreNotLost) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 10000; ++i) {
        m.Add("n_total", 1);
        m.Add("per_thread_total", 1, {{"t", std::to_string(t % 2)}});
        if (i % 1000 == 0) (void)m.RenderPrometheus();
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(m.Value("n_total"), 80000);
  EXPECT_EQ(m.Value("per_thread_total", {{"t", "0"}}), 40000);
  EXPECT_EQ(m.Value("per_thread_total", {{"t", "1"}}), 40000);
}

}  // namespace
}  // namespace lifeboat
