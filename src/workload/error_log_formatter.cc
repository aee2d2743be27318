#include "workload/error_log_formatter.h"

#include <algorithm>
#include <utility>

#include "workload/log_vocabulary.h"

namespace lifeboat {
namespace {

namespace vocab = log_vocabulary;

constexpr std::string_view kFpmUpstream = "fastcgi://unix:/run/php-fpm/www.sock:";

enum NginxErrorType : uint8_t {
  kOpenFailed,
  kFastCgiStderr,
  kUpstreamTimedOut,
  kConnectFailed,
  kRecvFailed,
  kBufferedResponse,
  kBufferedBody,
  kClientClosed,
  kLimitingRequests,
  kSslHandshake,
  kTooLargeBody,
  kForbidden,
  kReload,
  kWorkerConnections,
};

struct NginxErrorInfo {
  std::string_view level;
  uint32_t weight;
  int status;          // of the request the line is about
  bool names_request;  // ends with client, server, request and host
};
constexpr NginxErrorInfo kNginxErrors[] = {
    {"error", 26, 404, true},  {"error", 24, 200, true}, {"error", 8, 504, true},
    {"error", 4, 502, true},   {"error", 4, 502, true},  {"warn", 8, 200, true},
    {"warn", 4, 201, true},    {"info", 5, 200, false},  {"error", 5, 429, true},
    {"crit", 3, 400, false},   {"error", 2, 413, true},  {"error", 4, 403, true},
    {"notice", 2, 200, false}, {"alert", 1, 502, true}};

}  // namespace

ErrorLogFormatter::ErrorLogFormatter(Rng& rng, WebTraffic& traffic, std::string server_name)
    : rng_(rng), traffic_(traffic), server_name_(std::move(server_name)) {
  for (const NginxErrorInfo& e : kNginxErrors) nginx_types_.Add(e.weight);
  for (uint32_t w : vocab::kPhpMessageWeights) php_messages_.Add(w);
  nginx_master_ = static_cast<uint32_t>(rng_.Between(700, 1200));
  for (size_t i = 0; i < nginx_workers_.size(); ++i) {
    nginx_workers_[i] = nginx_master_ + 1 + static_cast<uint32_t>(i);
  }
  connection_ = rng_.Between(1, 100000);
  temp_file_ = rng_.Between(1, 5000);
  last_pid_ = static_cast<uint32_t>(rng_.Between(2000, 30000));
  for (int i = 0; i < 24; ++i) {
    last_pid_ += 1 + static_cast<uint32_t>(rng_.Below(3));
    fpm_children_.push_back(last_pid_);
  }
}

void ErrorLogFormatter::AppendExpanded(std::string& out, std::string_view text) {
  for (size_t pos = 0;;) {
    const size_t brace = text.find('{', pos);
    if (brace == std::string_view::npos) {
      out += text.substr(pos);
      return;
    }
    out += text.substr(pos, brace - pos);
    const std::string_view rest = text.substr(brace);
    if (rest.starts_with("{id}")) {
      Append(out, traffic_.PickProduct());
      pos = brace + 4;
    } else if (rest.starts_with("{key}")) {
      out += rng_.Pick(vocab::kWords);
      pos = brace + 5;
    } else if (rest.starts_with("{n}")) {
      Append(out, rng_.Between(1, rng_.Percent(50) ? 99 : 99999));
      pos = brace + 3;
    } else {
      out += '{';
      pos = brace + 1;
    }
  }
}

// ---- nginx ----------------------------------------------------------------------

void ErrorLogFormatter::AppendNginxError(std::string& out, std::string_view stamp) {
  const auto type = static_cast<NginxErrorType>(nginx_types_.Pick(rng_));
  const NginxErrorInfo& info = kNginxErrors[type];
  Append(out, stamp, " [", info.level, "] ");
  if (type == kReload) {
    Append(out, nginx_master_, '#', nginx_master_, ": signal process started\n");
    return;
  }
  connection_ += rng_.Between(1, 300);
  const uint32_t worker = nginx_workers_[rng_.Below(nginx_workers_.size())];
  Append(out, worker, '#', worker, ": *", connection_, ' ');
  // Requests that reached PHP name a dynamic page; the others what nginx served itself.
  const Request r = traffic_.Make(info.status, type != kOpenFailed && type != kForbidden);
  switch (type) {
    case kOpenFailed:
      Append(out, "open() \"/var/www/html/public", r.target.substr(0, r.target.find('?')),
             "\" failed (2: No such file or directory)");
      break;
    case kFastCgiStderr: {
      const vocab::PhpMessage& m = vocab::kPhpMessages[php_messages_.Pick(rng_)];
      Append(out, "FastCGI sent in stderr: \"PHP message: PHP ", m.level, ":  ");
      AppendExpanded(out, m.text);
      Append(out, " in ", vocab::kAppRoot, m.file, " on line ", m.line,
             "\" while reading response header from upstream");
      break;
    }
    case kUpstreamTimedOut:
      out +=
          "upstream timed out (110: Connection timed out) while reading response header from "
          "upstream";
      break;
    case kConnectFailed:
      out +=
          "connect() to unix:/run/php-fpm/www.sock failed (11: Resource temporarily unavailable) "
          "while connecting to upstream";
      break;
    case kRecvFailed:
      out +=
          "recv() failed (104: Connection reset by peer) while reading response header from "
          "upstream";
      break;
    case kBufferedResponse:
      temp_file_ += rng_.Between(1, 40);
      out += "an upstream response is buffered to a temporary file /var/lib/nginx/tmp/fastcgi/";
      Append(out, temp_file_ % 10, '/');
      AppendPadded(out, temp_file_ / 10 % 100, 2);
      out += '/';
      AppendPadded(out, temp_file_, 10);
      out += " while reading upstream";
      break;
    case kBufferedBody:
      temp_file_ += rng_.Between(1, 40);
      out +=
          "a client request body is buffered to a temporary file /var/lib/nginx/tmp/client_body/";
      AppendPadded(out, temp_file_, 10);
      break;
    case kClientClosed:
      Append(out, "client closed connection while waiting for request, client: ", r.client,
             ", server: 0.0.0.0:443\n");
      return;
    case kLimitingRequests:
      out += "limiting requests, excess: ";
      AppendSeconds3(out, rng_.Between(10001, 40000));
      out += " by zone \"api\"";
      break;
    case kSslHandshake:
      Append(out,
             "SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) "
             "while SSL handshaking, client: ",
             r.client, ", server: 0.0.0.0:443\n");
      return;
    case kTooLargeBody:
      Append(out, "client intended to send too large body: ", rng_.Between(10'485'761, 60'000'000),
             " bytes");
      break;
    case kForbidden:
      out += "access forbidden by rule";
      break;
    case kWorkerConnections:
      out += "768 worker_connections are not enough while connecting to upstream";
      break;
    case kReload:
      break;
  }
  Append(out, ", client: ", r.client, ", server: ", server_name_, ", request: \"");
  if (!r.method.empty()) Append(out, r.method, ' ');
  out += r.target;
  if (!r.method.empty()) Append(out, ' ', r.protocol);
  out += '"';
  if (type >= kFastCgiStderr && type <= kBufferedResponse)
    Append(out, ", upstream: \"", kFpmUpstream, '"');
  Append(out, ", host: \"", server_name_, '"');
  if (r.referer != "-") Append(out, ", referrer: \"", r.referer, '"');
  out += '\n';
}

// ---- PHP error_log and PHP-FPM master ---------------------------------------------

void ErrorLogFormatter::AppendPhpError(std::string& out, std::string_view stamp) {
  const uint64_t p = rng_.Below(100);
  if (p >= 75) return AppendFpmMaster(out, stamp);
  Append(out, '[', stamp, " UTC] PHP ");
  if (p >= 69) {  // uncaught exceptions are rarer than warnings, but long
    const vocab::PhpException& e = rng_.Pick(vocab::kPhpExceptions);
    out += "Fatal error:  Uncaught ";
    AppendExpanded(out, e.header);
    Append(out, " in ", vocab::kAppRoot, e.file, ':', e.line, "\nStack trace:\n");
    AppendStackTrace(out, e);
    Append(out, "  thrown in ", vocab::kAppRoot, e.file, " on line ", e.line, '\n');
    return;
  }
  const vocab::PhpMessage& m = vocab::kPhpMessages[php_messages_.Pick(rng_)];
  Append(out, m.level, ":  ");
  AppendExpanded(out, m.text);
  Append(out, " in ", vocab::kAppRoot, m.file, " on line ", m.line, '\n');
}

void ErrorLogFormatter::AppendStackTrace(std::string& out, const vocab::PhpException& e) {
  int n = 0;
  auto frame = [&](std::string_view dir, std::string_view text) {
    Append(out, '#', n++, ' ', dir);
    AppendExpanded(out, text);
  };
  for (std::string_view f : e.frames) {
    if (!f.empty()) frame(vocab::kAppRoot, f), out += '\n';
  }
  const std::string_view controller = rng_.Pick(vocab::kControllers);
  const std::string_view action = rng_.Pick(vocab::kActions);
  frame(vocab::kFramework, "Routing/Controller.php(54): App\\Http\\Controllers\\");
  Append(out, controller, "->", action, "(Object(Illuminate\\Http\\Request), '",
         traffic_.PickProduct(), "')\n");
  frame(vocab::kFramework,
        "Routing/ControllerDispatcher.php(43): Illuminate\\Routing\\Controller->callAction('");
  Append(out, action, "', Array)\n");
  frame(vocab::kFramework,
        "Routing/Route.php(260): Illuminate\\Routing\\ControllerDispatcher->dispatch("
        "Object(Illuminate\\Routing\\Route), Object(App\\Http\\Controllers\\");
  Append(out, controller, "), '", action, "')\n");
  for (std::string_view f : vocab::kRouterFrames) frame(vocab::kFramework, f), out += '\n';
  // API routes run a shorter middleware stack than web routes.
  const size_t first = rng_.Percent(30) ? 3 : 0;
  for (size_t i = first; i < std::size(vocab::kMiddleware); ++i) {
    const vocab::Middleware& m = vocab::kMiddleware[i];
    frame(vocab::kFramework, m.file);
    Append(out, '(', m.line,
           "): Illuminate\\Pipeline\\Pipeline->Illuminate\\Pipeline\\{closure}"
           "(Object(Illuminate\\Http\\Request))\n");
    frame(vocab::kFramework, "Pipeline/Pipeline.php(183): ");
    Append(out, m.name, "->handle(Object(Illuminate\\Http\\Request), Object(Closure))\n");
  }
  for (std::string_view f : vocab::kKernelFrames) frame(vocab::kFramework, f), out += '\n';
  frame(vocab::kAppRoot,
        "public/index.php(51): Illuminate\\Foundation\\Http\\Kernel->handle("
        "Object(Illuminate\\Http\\Request))\n");
  Append(out, '#', n, " {main}\n");
}

void ErrorLogFormatter::AppendFpmMaster(std::string& out, std::string_view stamp) {
  auto prefix = [&](std::string_view level) { Append(out, '[', stamp, "] ", level, ": "); };
  const uint64_t p = rng_.Below(100);
  const uint32_t child = PickChild();
  if (p < 30) {
    const vocab::PhpMessage& m = vocab::kPhpMessages[php_messages_.Pick(rng_)];
    prefix("WARNING");
    Append(out, "[pool www] child ", child, " said into stderr: \"NOTICE: PHP message: PHP ",
           m.level, ":  ");
    AppendExpanded(out, m.text);
    Append(out, " in ", vocab::kAppRoot, m.file, " on line ", m.line, "\"\n");
  } else if (p < 50) {
    // pm.max_requests recycles children; the OOM killer takes some.
    const bool killed = p >= 45;
    prefix(killed ? "WARNING" : "NOTICE");
    Append(out, "[pool www] child ", child,
           killed ? " exited on signal 9 (SIGKILL) after " : " exited with code 0 after ",
           rng_.Between(1, 86400), '.');
    AppendPadded(out, rng_.Below(1000000), 6);
    out += " seconds from start\n";
    last_pid_ += static_cast<uint32_t>(rng_.Between(1, 40));
    std::replace(fpm_children_.begin(), fpm_children_.end(), child, last_pid_);
    prefix("NOTICE");
    Append(out, "[pool www] child ", last_pid_, " started\n");
  } else if (p < 60) {
    prefix("WARNING");
    out += "[pool www] server reached pm.max_children setting (50), consider raising it\n";
  } else if (p < 75) {
    prefix("WARNING");
    Append(out,
           "[pool www] seems busy (you may need to increase pm.start_servers, or "
           "pm.min/max_spare_servers), spawning ",
           uint64_t{8} << rng_.Below(3), " children, there are 0 idle, and ", rng_.Between(12, 49),
           " total children\n");
  } else {
    prefix("WARNING");
    Append(out, "[pool www] child ", child,
           ", script '/var/www/html/public/index.php' (request: \"",
           rng_.Percent(80) ? "GET" : "POST", " /index.php\") executing too slow (",
           rng_.Between(5, 29), '.');
    AppendPadded(out, rng_.Below(1000000), 6);
    out += " sec), logging\n";
    prefix("NOTICE");
    Append(out, "child ", child, " stopped for tracing\n");
    prefix("NOTICE");
    Append(out, "about to trace ", child, '\n');
    prefix("NOTICE");
    Append(out, "finished trace of ", child, '\n');
  }
}

// ---- PHP-FPM slow log -----------------------------------------------------------

// A blank line, a header, then the sampled backtrace, innermost call first.
void ErrorLogFormatter::AppendPhpSlow(std::string& out, std::string_view stamp) {
  const uint32_t child = PickChild();
  Append(out, "\n[", stamp, "]  [pool www] pid ", child,
         "\nscript_filename = /var/www/html/public/index.php\n");
  // Frames live on the child's VM stack: near the same addresses for the same child.
  uint64_t address = 0x00007f0000000000ULL | ((Mix(child) & 0xffffffffULL) << 8);
  address += rng_.Below(64) << 6;
  auto frame = [&](const vocab::SlowFrame& f) {
    out += "[0x";
    AppendHex(out, address, 16);
    Append(out, "] ", f.function, "() ", vocab::kAppRoot, f.file, ':', f.line, '\n');
    address -= 0x70 + 0x10 * (f.line % 5);
  };
  frame(rng_.Pick(vocab::kSlowTops));
  for (uint64_t i = rng_.Between(1, 4); i > 0; --i) frame(rng_.Pick(vocab::kSlowMiddle));
  for (size_t i = rng_.Below(4); i < std::size(vocab::kSlowBottom); ++i)
    frame(vocab::kSlowBottom[i]);
}

}  // namespace lifeboat
