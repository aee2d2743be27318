#include "workload/web_traffic.h"

#include <algorithm>
#include <utility>

#include "workload/log_vocabulary.h"

namespace lifeboat {
namespace {

namespace vocab = log_vocabulary;

constexpr size_t kClients = 3000;
constexpr size_t kProducts = 40000;

bool IsPage(Route r) { return r <= Route::kBlog; }
bool IsApi(Route r) { return r >= Route::kApiProduct && r <= Route::kApiEvents; }
bool ServedByNginx(Route r) {
  return r == Route::kStatic || r == Route::kImage || r == Route::kRobots || r == Route::kScanner ||
         r == Route::kVideo || r == Route::kGarbage;
}

}  // namespace

WebTraffic::WebTraffic(Rng& rng, std::string server_name, uint32_t long_line_ppm)
    : rng_(rng),
      server_name_(std::move(server_name)),
      long_line_ppm_(long_line_ppm),
      // Per mille, in Route order up to kSitemap: what is behind a 200.
      route_picker_{40, 140, 20, 80, 50, 30, 10, 20, 10, 30, 60, 40, 20, 40, 250, 120, 30, 5, 5},
      product_picker_(Weighted::Zipf(kProducts, 4)),
      client_picker_(Weighted::Zipf(kClients, 12)),
      asset_picker_(Weighted::Zipf(std::size(vocab::kStaticAssets), 3)),
      bot_picker_{30, 12, 14, 9, 8, 4, 4, 6, 3, 3} {
  const Weighted agents = Weighted::Zipf(std::size(vocab::kBrowserAgents), 2);
  for (size_t i = 0; i < kClients; ++i) {
    clients_.push_back(rng_.Percent(9) ? RandomIpv6() : RandomIpv4());
    client_agent_.push_back(static_cast<uint8_t>(agents.Pick(rng_)));
    const uint64_t p = rng_.Below(100);
    client_protocol_.push_back(p < 64 ? 0 : p < 98 ? 1 : 2);
  }
  for (const vocab::BotProfile& bot : vocab::kBots) {
    for (int i = 0; i < 4; ++i) {
      std::string ip(bot.net);
      Append(ip, rng_.Between(1, 254));
      bot_ips_.push_back(std::move(ip));
    }
  }
  for (int i = 0; i < 40; ++i) scanner_ips_.push_back(RandomIpv4());
  for (int i = 0; i < 2; ++i) {
    Append(health_ips_[i], "10.0.", i + 1, '.', rng_.Between(10, 250));
  }
  for (size_t i = 0; i < std::size(vocab::kStaticAssets); ++i) {
    asset_sizes_.push_back(static_cast<uint32_t>(rng_.Between(900, 240000)));
  }
}

std::string WebTraffic::RandomIpv4() {
  uint64_t a;
  do {
    a = rng_.Between(1, 223);
  } while (a == 10 || a == 100 || a == 127 || a == 169 || a == 172 || a == 192);
  std::string ip;
  Append(ip, a, '.', rng_.Below(256), '.', rng_.Below(256), '.', rng_.Between(1, 254));
  return ip;
}

std::string WebTraffic::RandomIpv6() {
  std::string ip(rng_.Pick(vocab::kIpv6Prefixes));
  // Some addresses end in a run of zero groups, which is written "::".
  const int groups = rng_.Percent(40) ? 2 : 6;
  for (int g = 0; g < groups; ++g) {
    AppendHex(ip, rng_.Below(0x10000), 0);
    ip += ':';
  }
  if (groups == 2) ip += ':';
  AppendHex(ip, rng_.Between(1, 0xffff), 0);
  return ip;
}

Request WebTraffic::Make(int status, bool dynamic_only) {
  Request r;
  r.status = status;
  r.route = RouteFor(status);
  if (dynamic_only && ServedByNginx(r.route)) r.route = Route::kProduct;
  ChooseClient(r);
  BuildTarget(r);
  const bool long_query = r.route != Route::kGarbage && rng_.Below(1'000'000) < long_line_ppm_;
  if (long_query) AppendLongQuery();
  r.target = target_;
  ChooseReferer(r);
  // A page with a huge URL is not remembered as a referer, so long lines stay as rare as
  // configured.
  if (IsPage(r.route) && r.method == "GET" && !long_query) {
    recent_pages_[pages_served_++ % kRecentPages]
        .assign("https://")
        .append(server_name_)
        .append(target_);
  }
  SetBytesAndTiming(r);
  return r;
}

Route WebTraffic::RouteFor(int status) {
  switch (status) {
    case 200:
      return static_cast<Route>(route_picker_.Pick(rng_));
    case 201:
      return rng_.Percent(70) ? Route::kApiCart : Route::kApiOrders;
    case 204:
      return Route::kApiEvents;
    case 206:
      return Route::kVideo;
    case 301:
      return Route::kLegacy;
    case 302:
      return rng_.Percent(60) ? Route::kAccount : Route::kCheckout;
    case 304:
      return rng_.Percent(70) ? Route::kStatic : Route::kImage;
    case 400:
      return rng_.Percent(50) ? Route::kGarbage : Route::kApiCart;
    case 401:
      return Route::kApiOrders;
    case 403:
      return Route::kScanner;
    case 404:
      if (rng_.Percent(55)) return Route::kScanner;
      return rng_.Percent(50) ? Route::kImage : Route::kProduct;
    case 413:
      return Route::kApiCart;
    case 429:
      return rng_.Percent(50) ? Route::kApiProduct : Route::kSearch;
    case 499:
      return rng_.Percent(40) ? Route::kSearch : Route::kApiProduct;
    default:
      break;
  }
  if (status >= 500) {
    static constexpr Route kFailing[] = {Route::kProduct, Route::kCategory, Route::kSearch,
                                         Route::kCheckout, Route::kApiCart};
    return rng_.Pick(kFailing);
  }
  return static_cast<Route>(route_picker_.Pick(rng_));
}

void WebTraffic::ChooseClient(Request& r) {
  static constexpr std::string_view kProtocols[] = {"HTTP/2.0", "HTTP/1.1", "HTTP/1.0"};
  const bool crawlable =
      r.route == Route::kProduct || r.route == Route::kCategory || r.route == Route::kBlog;
  if (r.route == Route::kRobots || r.route == Route::kSitemap || (crawlable && rng_.Percent(15))) {
    const size_t bot = bot_picker_.Pick(rng_);
    r.client = bot_ips_[bot * 4 + rng_.Below(4)];
    r.agent = vocab::kBots[bot].agent;
    r.crawler = true;
  } else if (r.route == Route::kScanner || r.route == Route::kGarbage) {
    const size_t s = rng_.Below(scanner_ips_.size());
    r.client = scanner_ips_[s];
    r.agent = vocab::kScannerAgents[s % std::size(vocab::kScannerAgents)];
  } else if (r.route == Route::kHealth) {
    r.client = health_ips_[rng_.Below(2)];
    r.agent = "ELB-HealthChecker/2.0";
  } else {
    const size_t c = client_picker_.Pick(rng_);
    r.client = clients_[c];
    r.agent = vocab::kBrowserAgents[client_agent_[c]];
    r.protocol = kProtocols[client_protocol_[c]];
  }
}

// Three words that stand for a product or article, always the same for the same id.
void WebTraffic::AppendSlug(uint64_t id) {
  const uint64_t h = Mix(id);
  for (int i = 0; i < 3; ++i) {
    if (i > 0) target_ += '-';
    target_ += vocab::kWords[(h >> (i * 16)) % std::size(vocab::kWords)];
  }
}

void WebTraffic::BuildTarget(Request& r) {
  std::string& t = target_;
  t.clear();
  switch (r.route) {
    case Route::kHome:
      t = "/";
      if (rng_.Percent(5)) {
        t += "?utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024";
      } else if (rng_.Percent(3)) {
        t += "?gclid=";
        AppendToken(t, rng_, 40);
      }
      break;
    case Route::kProduct:
    case Route::kReviews: {
      const uint64_t id = PickProduct();
      Append(t, "/products/", id, '/');
      AppendSlug(id);
      if (r.route == Route::kReviews) {
        Append(t, "/reviews?page=", rng_.Between(1, 6));
      } else if (rng_.Percent(15)) {
        Append(t, "?variant=", rng_.Between(1, 12));
      } else if (rng_.Percent(8)) {
        Append(t, "?ref=search&pos=", rng_.Between(1, 24));
      }
      break;
    }
    case Route::kCategory:
      Append(t, "/category/", rng_.Pick(vocab::kCategories));
      if (rng_.Percent(40)) {
        const uint64_t page = rng_.Percent(90) ? rng_.Between(1, 3) : rng_.Between(4, 40);
        Append(t, "?page=", page, "&sort=", rng_.Pick(vocab::kSorts));
      }
      if (rng_.Percent(15)) {
        Append(t, t.find('?') == std::string::npos ? '?' : '&', "color=", rng_.Pick(vocab::kWords));
      }
      break;
    case Route::kSearch:
      t = "/search?q=";
      for (uint64_t i = 0, n = rng_.Between(1, 3); i < n; ++i) {
        if (i > 0) t += '+';
        // Search terms are as skewed as product popularity.
        t += vocab::kWords[product_picker_.Pick(rng_) % std::size(vocab::kWords)];
      }
      if (rng_.Percent(30)) Append(t, "&page=", rng_.Between(2, 8));
      break;
    case Route::kCart:
      if (rng_.Percent(30)) {
        r.method = "POST";
        t = "/cart/add";
      } else {
        t = "/cart";
      }
      break;
    case Route::kCheckout:
      switch (rng_.Below(3)) {
        case 0:
          t = "/checkout";
          break;
        case 1:
          r.method = "POST", t = "/checkout/payment";
          break;
        default:
          Append(t, "/checkout/confirmation/", rng_.Between(1000000, 1999999));
          break;
      }
      break;
    case Route::kAccount: {
      static constexpr std::string_view kPages[] = {
          "/account", "/account/orders", "/account/addresses", "/account/wishlist", "/logout"};
      t = rng_.Pick(kPages);
      break;
    }
    case Route::kLogin:
      if (rng_.Percent(40)) r.method = "POST";
      t = "/login";
      break;
    case Route::kBlog:
      Append(t, "/blog/2024/0", rng_.Between(1, 4), '/');
      AppendSlug(rng_.Below(300));
      break;
    case Route::kApiProduct:
      t = "/api/v1/products";
      if (rng_.Percent(60)) {
        Append(t, '/', PickProduct());
      } else {
        Append(t, "?category=", rng_.Pick(vocab::kCategories), "&page=", rng_.Between(1, 5),
               "&per_page=24");
      }
      break;
    case Route::kApiCart:
      if (rng_.Percent(45)) {
        t = "/api/v1/cart";
      } else if (rng_.Percent(75)) {
        r.method = "POST";
        t = "/api/v1/cart/items";
      } else {
        r.method = "DELETE";
        Append(t, "/api/v1/cart/items/", rng_.Between(1, 40));
      }
      break;
    case Route::kApiOrders:
      if (r.status == 201) {
        r.method = "POST";
        t = "/api/v1/orders";
      } else {
        Append(t, "/api/v1/users/", rng_.Between(1, 250000),
               "/orders?limit=20&offset=", rng_.Below(4) * 20);
      }
      break;
    case Route::kApiEvents:
      r.method = "POST";
      t = "/api/v1/events";
      break;
    case Route::kStatic:
      asset_ = asset_picker_.Pick(rng_);
      t = vocab::kStaticAssets[asset_];
      break;
    case Route::kImage: {
      static constexpr std::string_view kSizes[] = {"thumb", "320x320", "640x640", "1200x1200"};
      const uint64_t id = PickProduct();
      const uint64_t n = rng_.Between(1, 6);
      const uint64_t size = rng_.Below(std::size(kSizes));
      object_ = (id * 8 + n) * 4 + size;
      Append(t, "/images/products/", id, '/', n, '_', kSizes[size], ".webp");
      break;
    }
    case Route::kHealth:
      t = "/health";
      break;
    case Route::kRobots:
      t = "/robots.txt";
      break;
    case Route::kSitemap:
      Append(t, "/sitemaps/products-", rng_.Between(1, 9), ".xml");
      break;
    case Route::kScanner:
      t = rng_.Pick(vocab::kScannerPaths);
      if (t == "/xmlrpc.php" || t == "/boaform/admin/formLogin") r.method = "POST";
      break;
    case Route::kLegacy:
      if (rng_.Percent(50)) {
        Append(t, "/product.php?id=", PickProduct());
      } else {
        Append(t, "/shop/", rng_.Pick(vocab::kCategories), '/');
      }
      break;
    case Route::kVideo:
      Append(t, "/media/videos/", rng_.Between(1, 80), ".mp4");
      break;
    case Route::kGarbage:
      // A TLS ClientHello sent to the plain-HTTP port, escaped the way nginx logs it.
      r.method = {};
      t = "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03";
      for (uint64_t i = rng_.Between(8, 24); i > 0; --i) {
        static constexpr std::string_view kHexDigits = "0123456789ABCDEF";
        const uint64_t byte = rng_.Below(256);
        Append(t, "\\x", kHexDigits[byte >> 4], kHexDigits[byte & 15]);
      }
      break;
  }
}

// A request now and then carries a huge query string: the product ids of a comparison
// page, or an opaque state token from a single sign-on round trip.
void WebTraffic::AppendLongQuery() {
  target_ += target_.find('?') == std::string::npos ? '?' : '&';
  const uint64_t length = rng_.Between(2048, 8192);
  const size_t limit = target_.size() + length;
  if (rng_.Percent(50)) {
    target_ += "ids=";
    while (target_.size() < limit) Append(target_, PickProduct(), "%2C");
  } else {
    target_ += "state=";
    AppendToken(target_, rng_, length);
  }
}

void WebTraffic::ChooseReferer(Request& r) {
  r.referer = "-";
  const bool anonymous = r.crawler || r.route == Route::kHealth || r.route == Route::kRobots ||
                         r.route == Route::kSitemap || r.route == Route::kScanner ||
                         r.route == Route::kGarbage || r.route == Route::kLegacy ||
                         r.route == Route::kVideo;
  if (anonymous || pages_served_ == 0) return;
  referer_ = recent_pages_[rng_.Below(std::min(pages_served_, kRecentPages))];
  if (!IsPage(r.route) || r.method != "GET") {
    // Assets, API calls and form posts come from the page that was just shown.
    if (rng_.Percent(95)) r.referer = referer_;
    return;
  }
  const uint64_t p = rng_.Below(100);
  if (p < 35) return;  // typed in, bookmarked, or stripped by the browser
  if (p < 75) {
    r.referer = referer_;
  } else if (p < 95) {
    r.referer = rng_.Pick(vocab::kExternalReferers);
  } else {
    referer_.assign("https://").append(server_name_).append("/");
    r.referer = referer_;
  }
}

void WebTraffic::SetBytesAndTiming(Request& r) {
  const bool nginx_only = ServedByNginx(r.route) || r.status == 502 || r.status == 503;
  if (nginx_only) {
    r.request_ms = r.route == Route::kVideo   ? rng_.Between(40, 4000)
                   : r.route == Route::kImage ? rng_.Below(25)
                                              : rng_.Below(3);
  } else {
    // Mostly quick, a slow tail from cold caches and slow queries.
    uint64_t ms = rng_.Between(4, 45);
    if (rng_.Percent(20)) ms += rng_.Below(250);
    if (rng_.Percent(2)) ms += rng_.Below(4000);
    if (r.status == 504) ms = 60000 + rng_.Below(4);
    if (r.status == 499) ms = rng_.Between(900, 30000);
    r.upstream_ms = static_cast<int64_t>(ms);
    r.request_ms = ms + rng_.Below(2);
  }
  // Bodies nginx or the framework produce for errors have fixed sizes.
  switch (r.status) {
    case 204:
    case 304:
    case 499:
      r.bytes = 0;
      return;
    case 201:
      r.bytes = rng_.Between(180, 1100);
      return;
    case 206:
      r.bytes = rng_.Percent(70) ? 1048576 : rng_.Between(65536, 1048575);
      return;
    case 301:
      r.bytes = 162;
      return;
    case 302:
      r.bytes = 354 + target_.size();
      return;
    case 400:
      r.bytes = r.route == Route::kGarbage ? 157 : rng_.Between(90, 260);
      return;
    case 403:
      r.bytes = 153;
      return;
    case 404:
      r.bytes = ServedByNginx(r.route) ? 153 : rng_.Between(6300, 6700);
      return;
    case 413:
      r.bytes = 183;
      return;
    case 429:
      r.bytes = 61;
      return;
    case 500:
      r.bytes = rng_.Between(6800, 7300);
      return;
    case 502:
      r.bytes = 157;
      return;
    case 503:
      r.bytes = 197;
      return;
    case 504:
      r.bytes = 167;
      return;
    default:
      break;
  }
  switch (r.route) {
    case Route::kStatic:
      r.bytes = asset_sizes_[asset_];
      break;
    case Route::kImage:
      r.bytes = 6000 + Mix(object_) % 150000;
      break;
    case Route::kHome:
      r.bytes = rng_.Between(38000, 41000);
      break;
    case Route::kProduct:
    case Route::kCategory:
      r.bytes = rng_.Between(22000, 42000);
      break;
    case Route::kSearch:
    case Route::kBlog:
      r.bytes = rng_.Between(15000, 33000);
      break;
    case Route::kHealth:
    case Route::kApiEvents:
      r.bytes = 2;
      break;
    case Route::kRobots:
      r.bytes = 412;
      break;
    case Route::kSitemap:
      r.bytes = rng_.Between(48000, 50000);
      break;
    case Route::kVideo:
      r.bytes = 8388608;
      break;
    default:
      r.bytes = IsApi(r.route) ? rng_.Between(180, 6000) : rng_.Between(7000, 16000);
      break;
  }
}

}  // namespace lifeboat
