// The vocabulary LogGenerator draws from: the site map of an imaginary PHP shop, client
// software, scanner probes and the PHP code base whose errors and backtraces it logs.
// Constant tables only, for the workload's generators (log_generator.cc, web_traffic.cc,
// error_log_formatter.cc).
#ifndef LIFEBOAT_WORKLOAD_LOG_VOCABULARY_H_
#define LIFEBOAT_WORKLOAD_LOG_VOCABULARY_H_

#include <cstdint>
#include <string_view>

namespace lifeboat {
namespace log_vocabulary {

inline constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Search terms and slug words.
inline constexpr std::string_view kWords[] = {
    "red",      "blue",       "black",    "white",    "green",     "leather", "wool",     "cotton",
    "linen",    "denim",      "summer",   "winter",   "classic",   "slim",    "organic",  "vintage",
    "outdoor",  "kids",       "mens",     "womens",   "shoes",     "boots",   "sneakers", "sandals",
    "jacket",   "coat",       "shirt",    "dress",    "jeans",     "socks",   "hat",      "scarf",
    "gloves",   "bag",        "backpack", "wallet",   "watch",     "belt",    "lamp",     "chair",
    "table",    "sofa",       "rug",      "pillow",   "blanket",   "mug",     "kettle",   "knife",
    "pan",      "grinder",    "coffee",   "tea",      "chocolate", "honey",   "olive",    "oil",
    "candle",   "soap",       "towel",    "tent",     "bike",      "helmet",  "bottle",   "charger",
    "cable",    "headphones", "speaker",  "keyboard", "mouse",     "monitor", "stand",    "case",
    "phone",    "tablet",     "camera",   "lens",     "gift",      "sale",    "new",      "best",
    "cheap",    "waterproof", "wireless", "portable", "large",     "small",   "set",      "pack",
    "how",      "to",         "choose",   "guide",    "review",    "care",    "tips",     "ideas",
    "for",      "the",        "with",     "and",      "size",      "chart",   "return",   "policy",
    "shipping", "europe"};

inline constexpr std::string_view kCategories[] = {
    "shoes",   "boots",        "sneakers",    "jackets", "coats",   "shirts",
    "dresses", "jeans",        "accessories", "bags",    "watches", "home",
    "kitchen", "furniture",    "lighting",    "bedding", "outdoor", "camping",
    "cycling", "electronics",  "audio",       "phones",  "cameras", "gifts",
    "sale",    "new-arrivals", "kids",        "beauty",  "coffee",  "tea"};

inline constexpr std::string_view kSorts[] = {"relevance", "price_asc", "price_desc",
                                              "newest",    "rating",    "popular"};

// Build artefacts with content hashes; their sizes are fixed per generator.
inline constexpr std::string_view kStaticAssets[] = {
    "/build/assets/app-4f8a2c1e.js",
    "/build/assets/app-9b3d7e05.css",
    "/build/assets/vendor-1c6e9a47.js",
    "/build/assets/checkout-7e21b0d3.js",
    "/build/assets/product-gallery-3a9f5c12.js",
    "/build/assets/search-d04b8e6f.js",
    "/build/assets/fonts/inter-var-latin-5c2d.woff2",
    "/build/assets/fonts/inter-italic-8e1a.woff2",
    "/images/logo.svg",
    "/images/icons/sprite-2b7c.svg",
    "/images/banners/spring-sale-1600.webp",
    "/images/banners/free-shipping-800.webp",
    "/images/payment/visa.svg",
    "/images/payment/mastercard.svg",
    "/images/payment/paypal.svg",
    "/js/analytics.min.js",
    "/js/consent-banner.min.js",
    "/css/print.css",
    "/favicon.ico",
    "/apple-touch-icon.png",
    "/site.webmanifest"};

inline constexpr std::string_view kScannerPaths[] = {
    "/wp-login.php",
    "/wp-admin/setup-config.php",
    "/xmlrpc.php",
    "/.env",
    "/.git/config",
    "/.aws/credentials",
    "/phpmyadmin/index.php",
    "/pma/index.php",
    "/admin/config.php",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/cgi-bin/luci/;stok=/locale",
    "/boaform/admin/formLogin",
    "/actuator/health",
    "/server-status",
    "/config.json",
    "/wp-content/plugins/wp-file-manager/readme.txt",
    "/owa/auth/logon.aspx",
    "/.DS_Store",
    "/backup.sql",
    "/index.php?s=/Index/%5Cthink%5Capp/invokefunction",
    "/solr/admin/info/system?wt=json",
    "/HNAP1/",
    "/_ignition/execute-solution"};

inline constexpr std::string_view kBrowserAgents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_7_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.6367.82 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/123.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 Safari/537.36 OPR/108.0.0.0",
    "Mozilla/5.0 (Linux; Android 12; SAMSUNG SM-A525F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "ExampleShop/5.12.0 (iPhone; iOS 17.4.1; Scale/3.00)",
    "okhttp/4.12.0"};

// A crawler: its user agent and the /24 (or /16 when the third octet is random) it
// crawls from.
struct BotProfile {
  std::string_view agent;
  std::string_view net;
};
inline constexpr BotProfile kBots[] = {
    {"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "66.249.66."},
    {"Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
     "like Gecko) Chrome/124.0.6367.91 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
     "+http://www.google.com/bot.html)",
     "66.249.79."},
    {"Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "40.77.167."},
    {"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "54.36.148."},
    {"Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "185.191.171."},
    {"Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "5.255.231."},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
     "17.241.219."},
    {"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; "
     "+https://openai.com/gptbot)",
     "20.171.207."},
    {"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "69.171.249."},
    {"Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
     "114.119.134."}};

inline constexpr std::string_view kScannerAgents[] = {
    "Mozilla/5.0 zgrab/0.x",
    "python-requests/2.31.0",
    "curl/7.88.1",
    "Go-http-client/1.1",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/41.0.2228.0 Safari/537.36",
    "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
    "-"};

inline constexpr std::string_view kExternalReferers[] = {"https://www.google.com/",
                                                         "https://www.google.de/",
                                                         "https://www.bing.com/",
                                                         "https://duckduckgo.com/",
                                                         "https://t.co/",
                                                         "https://l.facebook.com/",
                                                         "https://www.instagram.com/",
                                                         "https://www.pinterest.com/",
                                                         "android-app://com.google.android.gm/"};

inline constexpr std::string_view kIpv6Prefixes[] = {
    "2a02:", "2a01:", "2001:", "2600:", "2607:", "2603:", "2409:", "2402:", "240e:", "2c0f:"};

// --- PHP ---------------------------------------------------------------------------

inline constexpr std::string_view kAppRoot = "/var/www/html/";
inline constexpr std::string_view kFramework =
    "/var/www/html/vendor/laravel/framework/src/Illuminate/";

// A warning, notice, deprecation or fatal error without a trace: message text, file under
// the app root, line. In messages and frames "{id}" stands for a product id, "{key}" for a
// word and "{n}" for a number.
struct PhpMessage {
  std::string_view level;  // "Warning", "Notice", "Deprecated", "Fatal error"
  std::string_view text;
  std::string_view file;
  uint32_t line;
};
inline constexpr PhpMessage kPhpMessages[] = {
    {"Warning", "Undefined array key \"{key}\"", "app/Http/Controllers/ProductController.php", 87},
    {"Warning", "Undefined array key {id}", "app/Services/CartService.php", 133},
    {"Warning", "Trying to access array offset on value of type null",
     "app/Services/PriceCalculator.php", 57},
    {"Warning", "Attempt to read property \"name\" on null", "resources/views/cart/item.blade.php",
     14},
    {"Warning",
     "file_get_contents(https://rates.example-fx.com/latest?base=EUR&t={n}): Failed to open "
     "stream: HTTP request failed! HTTP/1.1 503 Service Unavailable",
     "app/Services/CurrencyConverter.php", 31},
    {"Warning",
     "getimagesize(/var/www/html/public/images/products/{id}/1_1200x1200.webp): Failed "
     "to open stream: No such file or directory",
     "app/Services/ImageResizer.php", 35},
    {"Warning",
     "fopen(/var/www/html/storage/app/exports/orders-{n}.csv): Failed to open stream: "
     "Permission denied",
     "app/Exports/OrderExport.php", 28},
    {"Warning",
     "Cannot modify header information - headers already sent by (output started at "
     "/var/www/html/app/Support/helpers.php:212)",
     "vendor/symfony/http-foundation/Response.php", 398},
    {"Notice", "Only variables should be passed by reference", "app/Support/Legacy/Cart.php", 133},
    {"Deprecated", "strlen(): Passing null to parameter #1 ($string) of type string is deprecated",
     "vendor/laravel/framework/src/Illuminate/Support/Str.php", 541},
    {"Deprecated",
     "Creation of dynamic property App\\Models\\Legacy\\Order::$tmpTotal is deprecated",
     "app/Models/Legacy/Order.php", 76},
    {"Deprecated", "Automatic conversion of false to array is deprecated",
     "app/Support/Legacy/Cart.php", 88},
    {"Fatal error",
     "Allowed memory size of 134217728 bytes exhausted (tried to allocate {n} bytes)",
     "vendor/laravel/framework/src/Illuminate/Collections/Collection.php", 1672},
    {"Fatal error", "Maximum execution time of 30 seconds exceeded",
     "vendor/guzzlehttp/guzzle/src/Handler/CurlHandler.php", 44}};
// How often each of kPhpMessages appears, relatively.
inline constexpr uint32_t kPhpMessageWeights[] = {20, 14, 12, 8, 6, 6, 3, 4, 4, 14, 8, 4, 2, 1};

// An uncaught exception: its header (class and message), where it was thrown, and the
// frames between the throw site and the controller action.
struct PhpException {
  std::string_view header;
  std::string_view file;
  uint32_t line;
  std::string_view frames[3];  // "file(line): call", empty when unused
};
inline constexpr PhpException kPhpExceptions[] = {
    {"PDOException: SQLSTATE[HY000] [2002] Connection refused",
     "vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php",
     70,
     {"vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(70): "
      "PDO->__construct('mysql:host=10.0...', 'shop', Object(SensitiveParameterValue), Array)",
      "vendor/laravel/framework/src/Illuminate/Database/Connectors/MySqlConnector.php(24): "
      "Illuminate\\Database\\Connectors\\Connector->createConnection('mysql:host=10.0...', Array, "
      "Array)",
      "vendor/laravel/framework/src/Illuminate/Database/Connection.php(1228): "
      "Illuminate\\Database\\Connectors\\MySqlConnector->connect(Array)"}},
    {"Illuminate\\Database\\QueryException: SQLSTATE[40001]: Serialization failure: 1213 Deadlock "
     "found when trying to get lock; try restarting transaction (Connection: mysql, SQL: update "
     "`inventory` set `reserved` = `reserved` + {n} where `product_id` = {id} and `warehouse_id` = "
     "3)",
     "vendor/laravel/framework/src/Illuminate/Database/Connection.php",
     795,
     {"vendor/laravel/framework/src/Illuminate/Database/Connection.php(755): "
      "Illuminate\\Database\\Connection->runQueryCallback('update `invento...', Array, "
      "Object(Closure))",
      "vendor/laravel/framework/src/Illuminate/Database/Query/Builder.php(3485): "
      "Illuminate\\Database\\Connection->update('update `invento...', Array)",
      "app/Services/InventoryService.php(48): "
      "Illuminate\\Database\\Query\\Builder->increment('reserved', {n})"}},
    {"Illuminate\\Database\\Eloquent\\ModelNotFoundException: No query results for model "
     "[App\\Models\\Product] {id}",
     "vendor/laravel/framework/src/Illuminate/Database/Eloquent/Builder.php",
     621,
     {"app/Http/Controllers/ProductController.php(41): "
      "Illuminate\\Database\\Eloquent\\Builder->findOrFail('{id}')",
      "", ""}},
    {"Error: Call to a member function getPrice() on null",
     "app/Http/Controllers/ProductController.php",
     112,
     {"app/Services/CartService.php(64): App\\Http\\Controllers\\ProductController->priceFor(NULL)",
      "", ""}},
    {"TypeError: App\\Services\\CartService::addItem(): Argument #2 ($quantity) must be of type "
     "int, string given, called in /var/www/html/app/Http/Controllers/CartController.php on line "
     "44",
     "app/Services/CartService.php",
     58,
     {"app/Http/Controllers/CartController.php(44): "
      "App\\Services\\CartService->addItem(Object(App\\Models\\Product), '{n}')",
      "", ""}},
    {"RedisException: read error on connection to 10.0.3.15:6379",
     "vendor/laravel/framework/src/Illuminate/Redis/Connections/Connection.php",
     116,
     {"vendor/laravel/framework/src/Illuminate/Redis/Connections/Connection.php(116): "
      "Redis->get('shop_cache:prod...')",
      "vendor/laravel/framework/src/Illuminate/Cache/RedisStore.php(63): "
      "Illuminate\\Redis\\Connections\\Connection->command('get', Array)",
      "vendor/laravel/framework/src/Illuminate/Cache/Repository.php(117): "
      "Illuminate\\Cache\\RedisStore->get('product:{id}')"}},
    {"GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after {n} "
     "milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) "
     "for https://api.payments.example.com/v1/charges",
     "vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php",
     210,
     {"vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php(158): "
      "GuzzleHttp\\Handler\\CurlFactory::createRejection(Object(GuzzleHttp\\Handler\\EasyHandle), "
      "Array)",
      "vendor/guzzlehttp/guzzle/src/Client.php(189): GuzzleHttp\\Promise\\Promise->wait()",
      "app/Services/PaymentGateway.php(142): GuzzleHttp\\Client->request('POST', 'v1/charges', "
      "Array)"}}};

inline constexpr std::string_view kControllers[] = {"ProductController", "CategoryController",
                                                    "CartController",    "CheckoutController",
                                                    "SearchController",  "AccountController"};
inline constexpr std::string_view kActions[] = {"show",   "index",  "store",
                                                "update", "search", "list"};

// The middleware pipeline every request passes: file under kFramework and the line
// that calls the next stage.
struct Middleware {
  std::string_view name;
  std::string_view file;
  uint32_t line;
};
inline constexpr Middleware kMiddleware[] = {
    {"Illuminate\\Routing\\Middleware\\SubstituteBindings",
     "Routing/Middleware/SubstituteBindings.php", 50},
    {"Illuminate\\Foundation\\Http\\Middleware\\VerifyCsrfToken",
     "Foundation/Http/Middleware/VerifyCsrfToken.php", 78},
    {"Illuminate\\View\\Middleware\\ShareErrorsFromSession",
     "View/Middleware/ShareErrorsFromSession.php", 49},
    {"Illuminate\\Session\\Middleware\\StartSession", "Session/Middleware/StartSession.php", 121},
    {"Illuminate\\Cookie\\Middleware\\AddQueuedCookiesToResponse",
     "Cookie/Middleware/AddQueuedCookiesToResponse.php", 37},
    {"Illuminate\\Cookie\\Middleware\\EncryptCookies", "Cookie/Middleware/EncryptCookies.php", 67}};

// What a slow request was doing when FPM sampled it: innermost call, file, line.
struct SlowFrame {
  std::string_view function;
  std::string_view file;
  uint32_t line;
};
inline constexpr SlowFrame kSlowTops[] = {
    {"curl_exec", "vendor/guzzlehttp/guzzle/src/Handler/CurlHandler.php", 44},
    {"execute", "vendor/laravel/framework/src/Illuminate/Database/Connection.php", 414},
    {"fetchAll", "vendor/laravel/framework/src/Illuminate/Database/Connection.php", 425},
    {"get", "vendor/laravel/framework/src/Illuminate/Redis/Connections/Connection.php", 116},
    {"file_get_contents", "app/Services/CurrencyConverter.php", 31},
    {"imagecopyresampled", "app/Services/ImageResizer.php", 88},
    {"usleep", "app/Services/RateLimiter.php", 52},
    {"fread", "vendor/league/flysystem-aws-s3-v3/src/AwsS3V3Adapter.php", 331},
    {"preg_match_all", "app/Support/Markdown/Parser.php", 214},
    {"sleep", "app/Jobs/Middleware/Backoff.php", 27},
    {"password_verify", "app/Http/Controllers/Auth/LoginController.php", 66}};
inline constexpr SlowFrame kSlowMiddle[] = {
    {"request", "app/Services/PaymentGateway.php", 142},
    {"select", "vendor/laravel/framework/src/Illuminate/Database/Query/Builder.php", 2913},
    {"get", "vendor/laravel/framework/src/Illuminate/Database/Eloquent/Builder.php", 710},
    {"remember", "vendor/laravel/framework/src/Illuminate/Cache/Repository.php", 397},
    {"convert", "app/Services/CurrencyConverter.php", 58},
    {"thumbnail", "app/Services/ImageResizer.php", 41},
    {"chunk", "vendor/laravel/framework/src/Illuminate/Database/Concerns/BuildsQueries.php", 43},
    {"recommendations", "app/Services/RecommendationService.php", 97},
    {"render", "vendor/laravel/framework/src/Illuminate/View/View.php", 159},
    {"exportOrders", "app/Exports/OrderExport.php", 61},
    {"attempt", "vendor/laravel/framework/src/Illuminate/Auth/SessionGuard.php", 405}};
inline constexpr SlowFrame kSlowBottom[] = {
    {"callAction", "vendor/laravel/framework/src/Illuminate/Routing/Controller.php", 54},
    {"dispatch", "vendor/laravel/framework/src/Illuminate/Routing/ControllerDispatcher.php", 43},
    {"runController", "vendor/laravel/framework/src/Illuminate/Routing/Route.php", 260},
    {"run", "vendor/laravel/framework/src/Illuminate/Routing/Route.php", 205},
    {"{closure}", "vendor/laravel/framework/src/Illuminate/Routing/Router.php", 806},
    {"{closure}", "vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php", 144},
    {"handle", "vendor/laravel/framework/src/Illuminate/Session/Middleware/StartSession.php", 121},
    {"then", "vendor/laravel/framework/src/Illuminate/Pipeline/Pipeline.php", 119},
    {"dispatch", "vendor/laravel/framework/src/Illuminate/Routing/Router.php", 737},
    {"handle", "vendor/laravel/framework/src/Illuminate/Foundation/Http/Kernel.php", 144},
    {"main", "public/index.php", 51}};

// Stack-trace frames under kFramework between the controller and the middleware, and
// from the last middleware out to public/index.php.
inline constexpr std::string_view kRouterFrames[] = {
    "Routing/Route.php(205): Illuminate\\Routing\\Route->runController()",
    "Routing/Router.php(806): Illuminate\\Routing\\Route->run()",
    "Pipeline/Pipeline.php(144): "
    "Illuminate\\Routing\\Router->Illuminate\\Routing\\{closure}(Object(Illuminate\\Http\\Request)"
    ")"};
inline constexpr std::string_view kKernelFrames[] = {
    "Pipeline/Pipeline.php(119): "
    "Illuminate\\Pipeline\\Pipeline->Illuminate\\Pipeline\\{closure}(Object("
    "Illuminate\\Http\\Request))",
    "Routing/Router.php(805): Illuminate\\Pipeline\\Pipeline->then(Object(Closure))",
    "Routing/Router.php(784): "
    "Illuminate\\Routing\\Router->runRouteWithinStack(Object(Illuminate\\Routing\\Route), "
    "Object(Illuminate\\Http\\Request))",
    "Routing/Router.php(748): "
    "Illuminate\\Routing\\Router->runRoute(Object(Illuminate\\Http\\Request), "
    "Object(Illuminate\\Routing\\Route))",
    "Routing/Router.php(737): "
    "Illuminate\\Routing\\Router->dispatchToRoute(Object(Illuminate\\Http\\Request))",
    "Foundation/Http/Kernel.php(200): "
    "Illuminate\\Routing\\Router->dispatch(Object(Illuminate\\Http\\Request))",
    "Pipeline/Pipeline.php(144): "
    "Illuminate\\Foundation\\Http\\Kernel->Illuminate\\Foundation\\Http\\{closure}(Object("
    "Illuminate\\Http\\Request))",
    "Pipeline/Pipeline.php(119): "
    "Illuminate\\Pipeline\\Pipeline->Illuminate\\Pipeline\\{closure}(Object("
    "Illuminate\\Http\\Request))",
    "Foundation/Http/Kernel.php(175): Illuminate\\Pipeline\\Pipeline->then(Object(Closure))",
    "Foundation/Http/Kernel.php(144): "
    "Illuminate\\Foundation\\Http\\Kernel->sendRequestThroughRouter(Object("
    "Illuminate\\Http\\Request))"};

}  // namespace log_vocabulary
}  // namespace lifeboat

#endif  // LIFEBOAT_WORKLOAD_LOG_VOCABULARY_H_
