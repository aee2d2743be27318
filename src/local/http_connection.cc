#include "local/http_connection.h"

#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <cctype>
#include <cstring>
#include <ctime>

#include "common/logging.h"

namespace lifeboat {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// Bodies at least this large skip the parser's buffer (one copy fewer for uploads).
constexpr uint64_t kDirectReadMin = 64 * 1024;

// Boost 1.74's Beast has its own string_view.
std::string_view Std(boost::beast::string_view s) { return {s.data(), s.size()}; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every AWS response carries Date; clients correct their clock skew from it.
std::string DateNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return text;
}

RawRequest ToRawRequest(http::request<http::string_body>& req) {
  RawRequest raw;
  raw.method = std::string(Std(req.method_string()));
  const std::string_view target = Std(req.target());
  const size_t q = target.find('?');
  raw.path = std::string(target.substr(0, q));
  raw.query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
  for (const auto& field : req) {
    raw.headers.Add(Lower(Std(field.name_string())), std::string(Std(field.value())));
  }
  raw.body = std::move(req.body());
  return raw;
}

http::response<http::string_body> ToBeastResponse(LocalResponse out, unsigned version, bool head,
                                                  bool keep_alive) {
  http::response<http::string_body> res;
  res.version(version);
  res.result(static_cast<unsigned>(out.status));
  std::string declared_length;
  bool has_content_type = false;
  for (const auto& [name, value] : out.headers) {
    if (EqualsIgnoreCase(name, "content-length")) {
      declared_length = value;  // a HEAD answer declares the length GET would send
      continue;
    }
    if (EqualsIgnoreCase(name, "content-type")) has_content_type = true;
    res.insert(name, value);
  }
  if (!has_content_type && !out.body.empty()) res.set(http::field::content_type, "application/octet-stream");
  if (!out.headers.Has("date")) res.set(http::field::date, DateNow());
  res.keep_alive(keep_alive);
  if ((head || out.body.empty()) && !declared_length.empty()) {
    res.set(http::field::content_length, declared_length);
  } else {
    res.body() = std::move(out.body);
    res.prepare_payload();
  }
  if (head) res.body().clear();
  return res;
}

void SendStatus(tcp::socket& socket, http::status status, std::string_view text) {
  http::response<http::string_body> res{status, 11};
  res.set(http::field::content_type, "text/plain");
  res.body() = std::string(text) + "\n";
  res.keep_alive(false);
  res.prepare_payload();
  boost::system::error_code ignored;
  http::write(socket, res, ignored);
}

}  // namespace

void ServeHttpConnection(int fd, const RawRequestHandler& handler, uint64_t body_limit) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  // Asio closes what it owns; it gets a duplicate so the caller's number stays valid.
  socket.assign(tcp::v4(), ::dup(fd), ec);
  if (ec) return;
  boost::beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    parser.header_limit(64 * 1024);  // Beast's 8 KiB is below what S3 metadata may need
    http::read_header(socket, buffer, parser, ec);
    if (ec) {
      // A client that goes away between requests is the normal end of keep-alive.
      if (ec != http::error::end_of_stream && ec != asio::error::connection_reset &&
          ec != asio::error::eof && ec != asio::error::not_connected &&
          ec != asio::error::bad_descriptor) {
        SendStatus(socket, http::status::bad_request, "unreadable request: " + ec.message());
      }
      break;
    }
    auto& header = parser.get();
    if (EqualsIgnoreCase(Std(header[http::field::expect]), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::write(socket, asio::buffer(kContinue.data(), kContinue.size()), ec);
      if (ec) break;
    }
    const bool read_directly = !parser.chunked() && parser.content_length() &&
                               *parser.content_length() >= kDirectReadMin;
    if (read_directly && *parser.content_length() > body_limit) {
      SendStatus(socket, http::status::payload_too_large, "request body too large");
      break;
    }
    http::request<http::string_body> req;
    if (read_directly) {
      // Straight from the socket into the body, in as large reads as the kernel gives.
      std::string body(*parser.content_length(), '\0');
      const size_t buffered = std::min(buffer.size(), body.size());
      std::memcpy(body.data(), buffer.data().data(), buffered);
      buffer.consume(buffered);
      asio::read(socket, asio::buffer(body.data() + buffered, body.size() - buffered), ec);
      if (ec) break;  // the client went away mid-request: nothing to answer
      req = parser.release();
      req.body() = std::move(body);
    } else {
      http::read(socket, buffer, parser, ec);
      if (ec == http::error::body_limit) {
        SendStatus(socket, http::status::payload_too_large, "request body too large");
        break;
      }
      if (ec) break;
      req = parser.release();
    }
    const bool head = req.method() == http::verb::head;
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    std::string log_target = spdlog::should_log(spdlog::level::debug) ? std::string(Std(req.target())) : "";
    LocalResponse out = handler(ToRawRequest(req));
    spdlog::debug("{} {} -> {}", std::string(Std(req.method_string())), log_target, out.status);
    auto res = ToBeastResponse(std::move(out), version, head, keep_alive);
    // A HEAD answer's body is empty whatever Content-Length it declares.
    http::write(socket, res, ec);
    if (ec || !keep_alive) break;
  }
  socket.shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace lifeboat
