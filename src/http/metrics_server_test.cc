#include "http/metrics_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "http/curl_http_client.h"

namespace lifeboat {
namespace {

Result<HttpResponse> Get(int port, const std::string& path, const std::string& host = "127.0.0.1") {
  static CurlHttpClient client;
  HttpRequest request;
  request.url = "http://" + host + ":" + std::to_string(port) + path;
  request.timeout = std::chrono::seconds(5);
  return client.Send(request);
}

TEST(MetricsServerTest, ServesTheCallbackAtEachScrape) {
  std::atomic<int> scrapes{0};
  MetricsServer server("127.0.0.1:0", [&] {
    return "# TYPE lifeboat_scrapes counter\nlifeboat_scrapes " + std::to_string(++scrapes) + "\n";
  });
  ASSERT_TRUE(server.Start().ok());
  ASSERT_GT(server.port(), 0);

  auto first = Get(server.port(), "/metrics");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->headers.Get("Content-Type"), "text/plain; version=0.0.4");
  EXPECT_EQ(first->body, "# TYPE lifeboat_scrapes counter\nlifeboat_scrapes 1\n");
  auto second = Get(server.port(), "/metrics");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "# TYPE lifeboat_scrapes counter\nlifeboat_scrapes 2\n");
}

TEST(MetricsServerTest, OtherPathsAre404) {
  MetricsServer server("127.0.0.1:0", [] { return std::string("x 1\n"); });
  ASSERT_TRUE(server.Start().ok());
  for (const char* path : {"/", "/metricsx", "/metrics/extra", "/favicon.ico"}) {
    auto response = Get(server.port(), path);
    ASSERT_TRUE(response.ok()) << path << ": " << response.status().ToString();
    EXPECT_EQ(response->status, 404) << path;
  }
}

TEST(MetricsServerTest, TakenPortIsOneClearLine) {
  MetricsServer first("127.0.0.1:0", [] { return std::string(); });
  ASSERT_TRUE(first.Start().ok());
  std::string listen = "127.0.0.1:" + std::to_string(first.port());
  MetricsServer second(listen, [] { return std::string(); });
  Status s = second.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "metrics.listen " + listen + ": address already in use");
  // The first server is unaffected.
  auto response = Get(first.port(), "/metrics");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->status, 200);
}

TEST(MetricsServerTest, BadAddressesAreRejected) {
  for (const char* listen : {"9799", "127.0.0.1", "127.0.0.1:", ":9799", "127.0.0.1:http",
                             "127.0.0.1:70000", "::1:9799"}) {
    MetricsServer server(listen, [] { return std::string(); });
    Status s = server.Start();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << listen;
    EXPECT_EQ(s.message(), std::string("metrics.listen ") + listen +
                               ": expected host:port (e.g. 127.0.0.1:9799)");
  }
  // Well-formed but not an address of this host.
  MetricsServer server("192.0.2.1:0", [] { return std::string(); });
  Status s = server.Start();
  EXPECT_EQ(s.message(), "metrics.listen 192.0.2.1:0: cannot assign requested address");
}

TEST(MetricsServerTest, StopFreesThePortAndIsIdempotent) {
  int port = 0;
  {
    MetricsServer server("127.0.0.1:0", [] { return std::string(); });
    ASSERT_TRUE(server.Start().ok());
    port = server.port();
    server.Stop();
    server.Stop();
    EXPECT_FALSE(Get(port, "/metrics").ok());  // nothing listens any more
  }
  // The same port can be bound again right away (restart after a crash or upgrade).
  MetricsServer again("127.0.0.1:" + std::to_string(port), [] { return std::string("y 1\n"); });
  ASSERT_TRUE(again.Start().ok());
  EXPECT_EQ(again.port(), port);
  auto response = Get(port, "/metrics");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "y 1\n");
}

TEST(MetricsServerTest, Ipv6LoopbackInBrackets) {
  MetricsServer server("[::1]:0", [] { return std::string("z 1\n"); });
  Status s = server.Start();
  if (!s.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << s.ToString();
  auto response = Get(server.port(), "/metrics", "[::1]");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body, "z 1\n");
}

}  // namespace
}  // namespace lifeboat
