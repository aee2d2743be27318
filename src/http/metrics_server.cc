#include "http/metrics_server.h"

#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>

#include "http/httplib_listen.h"

namespace lifeboat {
namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

// host:port or [v6]:port, port 0-65535.
std::optional<HostPort> ParseListen(std::string_view listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = listen.substr(0, colon);
  std::string_view port = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return std::nullopt;  // a bare IPv6 address needs brackets
  }
  int value = -1;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc() || end != port.data() + port.size() ||
      value < 0 || value > 65535) {
    return std::nullopt;
  }
  return HostPort{std::string(host), value};
}

// strerror and gai_strerror capitalise; our errors read as one lower-case line.
std::string Lower(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// SO_REUSEADDR so a restart can rebind while old connections sit in TIME_WAIT. Not
// SO_REUSEPORT (httplib's default): with it a second agent would share the port silently
// instead of failing to start.
void ReuseAddress(int sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

// httplib reports a failed bind as a bare false; repeat the bind to learn why.
std::string WhyBindFails(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    return Lower(::gai_strerror(rc));
  }
  int err = 0;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    int sock = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (sock < 0) {
      err = errno;
      continue;
    }
    ReuseAddress(sock);
    bool bound = ::bind(sock, ai->ai_addr, ai->ai_addrlen) == 0 && ::listen(sock, 1) == 0;
    if (!bound) err = errno;
    ::close(sock);
    if (bound) break;
  }
  ::freeaddrinfo(found);
  return err != 0 ? Lower(std::strerror(err)) : "cannot listen";
}

}  // namespace

MetricsServer::MetricsServer(std::string listen, std::function<std::string()> render)
    : listen_(std::move(listen)), render_(std::move(render)) {}

MetricsServer::~MetricsServer() { Stop(); }

Status MetricsServer::Start() {
  if (server_) return Status::FailedPrecondition("metrics server already started");
  std::optional<HostPort> address = ParseListen(listen_);
  if (!address) {
    return Status::InvalidArgument("metrics.listen " + listen_ +
                                   ": expected host:port (e.g. 127.0.0.1:9799)");
  }
  server_ = std::make_unique<httplib::Server>();
  // A scrape is one short request: two workers, and idle connections let go quickly so
  // Stop() never waits long on a keep-alive.
  server_->new_task_queue = [] { return new httplib::ThreadPool(2); };
  server_->set_keep_alive_max_count(1);
  server_->set_keep_alive_timeout(1);
  server_->set_socket_options(ReuseAddress);
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_(), "text/plain; version=0.0.4");
  });

  LIFEBOAT_RETURN_IF_ERROR(Bind(address->host, address->port));

  if (!ListenInBackground(server_.get(), &thread_)) {
    Stop();
    return Status::Internal("metrics.listen " + listen_ + ": server stopped at start");
  }
  return Status::Ok();
}

Status MetricsServer::Bind(const std::string& host, int port) {
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
    if (port_ > 0) return Status::Ok();
  } else if (server_->bind_to_port(host, port)) {
    port_ = port;
    return Status::Ok();
  }
  port_ = 0;
  return Status::Unavailable("metrics.listen " + listen_ + ": " + WhyBindFails(host, port));
}

void MetricsServer::Stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace lifeboat
