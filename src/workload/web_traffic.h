// WebTraffic: the visitors of an imaginary PHP shop behind nginx, one request at a time.
// Every log format the generator writes (access, error, application) describes requests
// drawn from here, so the same clients, paths and referers recur across files.
//
// Clients come from a Zipf-popular pool of a few thousand addresses (some IPv6), each
// with its own browser and HTTP version; crawlers, scanners and the load balancer's health
// checker have their own addresses. Paths follow the site map (products, categories,
// search, cart, API, static assets, images), products are Zipf-popular too, and a rare
// request carries a huge query string.
//
// WebTraffic borrows the Rng it draws from; it must outlive neither. Not thread-safe.
#ifndef LIFEBOAT_WORKLOAD_WEB_TRAFFIC_H_
#define LIFEBOAT_WORKLOAD_WEB_TRAFFIC_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workload/generator_util.h"

namespace lifeboat {

// What a request asks for; decides method, path, size, timing, referer and client.
enum class Route : uint8_t {
  kHome,
  kProduct,
  kReviews,
  kCategory,
  kSearch,
  kCart,
  kCheckout,
  kAccount,
  kLogin,
  kBlog,
  kApiProduct,
  kApiCart,
  kApiOrders,
  kApiEvents,
  kStatic,
  kImage,
  kHealth,
  kRobots,
  kSitemap,
  kScanner,
  kLegacy,
  kVideo,
  kGarbage,
};

// One request. The views point into the WebTraffic that made it and stay valid until its
// next Make().
struct Request {
  Route route = Route::kHome;
  int status = 200;
  std::string_view method = "GET";  // empty when the request line was not HTTP at all
  std::string_view target;          // path and query, as nginx logs $request's middle
  std::string_view protocol = "HTTP/1.1";
  std::string_view client;
  std::string_view agent;
  std::string_view referer = "-";
  uint64_t bytes = 0;        // $body_bytes_sent
  int64_t upstream_ms = -1;  // PHP's time; -1 when nginx answered alone
  uint64_t request_ms = 0;   // $request_time
  bool crawler = false;
};

class WebTraffic {
 public:
  WebTraffic(Rng& rng, std::string server_name, uint32_t long_line_ppm);
  WebTraffic(const WebTraffic&) = delete;
  WebTraffic& operator=(const WebTraffic&) = delete;

  // A request that was answered with `status`. With `dynamic_only`, a request nginx would
  // serve by itself (asset, image, scanner probe) becomes a product page, for logs written
  // by the application.
  Request Make(int status, bool dynamic_only);

  // A product id, popular ones more often.
  uint64_t PickProduct() { return 10000 + (product_picker_.Pick(rng_) * 7919) % 90000; }

 private:
  Route RouteFor(int status);
  void ChooseClient(Request& r);
  void BuildTarget(Request& r);
  void AppendLongQuery();
  void AppendSlug(uint64_t id);
  void ChooseReferer(Request& r);
  void SetBytesAndTiming(Request& r);
  std::string RandomIpv4();
  std::string RandomIpv6();

  static constexpr size_t kRecentPages = 32;

  Rng& rng_;
  const std::string server_name_;
  const uint32_t long_line_ppm_;
  Weighted route_picker_;
  Weighted product_picker_;
  Weighted client_picker_;
  Weighted asset_picker_;
  Weighted bot_picker_;
  std::vector<std::string> clients_;
  std::vector<uint8_t> client_agent_;
  std::vector<uint8_t> client_protocol_;
  std::vector<std::string> bot_ips_;  // kBots[i] crawls from bot_ips_[4i .. 4i+3]
  std::vector<std::string> scanner_ips_;
  std::string health_ips_[2];
  std::vector<uint32_t> asset_sizes_;
  // Pages recently served, as absolute URLs: what assets and the next page name as referer.
  std::array<std::string, kRecentPages> recent_pages_;
  size_t pages_served_ = 0;
  size_t asset_ = 0;     // the asset the current request asks for
  uint64_t object_ = 0;  // identifies the current image, so it keeps its size
  std::string target_;
  std::string referer_;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_WORKLOAD_WEB_TRAFFIC_H_
