#include "local/local_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/logging.h"
#include "http/percent_encoding.h"
#include "local/aws_chunked.h"
#include "local/control_service.h"
#include "local/http_connection.h"

namespace lifeboat {
namespace {

// A query string that does not decode is the client's error, answered before the
// signature is judged (which cannot be checked against such a query): S3 calls it an
// InvalidURI, the Query and JSON services an InvalidQueryParameter, both 400.
LocalResponse MalformedQuery(const std::string& service, const RawRequest& raw, const Status& why) {
  if (service == "s3" || service.empty()) {
    return ProtocolError(service, raw, 400, "InvalidURI",
                         "Couldn't parse the specified URI: " + why.message());
  }
  return ProtocolError(service, raw, 400, "InvalidQueryParameter", why.message());
}

}  // namespace

LocalResponse ProtocolError(const std::string& service, const RawRequest& request, int status,
                            const std::string& code, const std::string& message) {
  if (service == "ec2") return Ec2ErrorResponse(status, code, message);
  if (request.headers.Has("x-amz-target")) return JsonErrorResponse(status, code, message);
  if (service == "s3" || service.empty()) return S3ErrorResponse(status, code, message, request.path);
  return QueryErrorResponse(status, code, message);
}

LocalServer::LocalServer(Env* env, LocalServerOptions options)
    : env_(env), options_(std::move(options)), authenticator_(env, options_.credentials) {}

LocalServer::~LocalServer() { Stop(); }

void LocalServer::AddService(const std::string& service, LocalService* handler) {
  services_[service] = handler;
}

LocalResponse LocalServer::Dispatch(RawRequest raw) {
  if (raw.path.rfind(kControlPathPrefix, 0) == 0) {
    if (control_ == nullptr) {
      if (raw.path == "/_lifeboat/health") return {200, {{"Content-Type", "text/plain"}}, "ok\n"};
      return {404, {{"Content-Type", "text/plain"}}, "no control endpoint\n"};
    }
    LocalRequest request;
    request.method = raw.method;
    request.path = raw.path;
    request.query = raw.query;
    auto params = ParseFormPairs(raw.query, PlusIsSpace::kYes);
    if (!params.ok()) {
      return {400, {{"Content-Type", "text/plain"}}, params.status().message() + "\n"};
    }
    request.params = std::move(*params);
    request.headers = std::move(raw.headers);
    return control_->Handle(request);
  }
  AuthenticatedRequest auth = authenticator_.Authenticate(raw);
  auto params = ParseFormPairs(raw.query, PlusIsSpace::kYes);
  if (!params.ok()) return MalformedQuery(auth.service, raw, params.status());
  if (!auth.ok) {
    return ProtocolError(auth.service, raw, auth.http_status, auth.error_code, auth.message);
  }
  LocalRequest request;
  request.method = raw.method;
  request.path = raw.path;
  request.query = raw.query;
  request.params = std::move(*params);
  request.headers = raw.headers;
  request.service = auth.service;
  request.region = auth.region;
  request.access_key = auth.access_key;
  request.host = raw.headers.Get("host").value_or("");
  if (IsAwsChunked(raw.headers)) {
    ChunkSigning signing;
    const bool signed_chunks = auth.payload_hash.rfind("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", 0) == 0;
    if (signed_chunks) {
      signing.config.region = auth.region;
      signing.config.service = auth.service;
      signing.config.time = *ParseAmzDate(auth.amz_date);
      signing.config.credentials.access_key_id = auth.access_key;
      signing.config.credentials.secret_access_key = auth.secret;
      signing.seed_signature = auth.signature;
    }
    auto decoded = DecodeAwsChunked(raw.body, signed_chunks ? &signing : nullptr);
    if (!decoded.ok()) {
      const bool bad_signature = decoded.status().code() == StatusCode::kUnauthenticated;
      return ProtocolError(auth.service, raw, bad_signature ? 403 : 400,
                           bad_signature ? "SignatureDoesNotMatch" : "IncompleteBody",
                           decoded.status().message());
    }
    request.body = std::move(decoded->data);
    for (const auto& [k, v] : decoded->trailers) request.headers.Set(k, v);
  } else {
    request.body = std::move(raw.body);  // uploads are large: moved, never copied
  }
  auto service = services_.find(auth.service);
  if (service == services_.end()) {
    return ProtocolError(auth.service, raw, 400, "InvalidAction",
                         "lifeboat local does not serve '" + auth.service + "'");
  }
  return service->second->Handle(request);
}

Status LocalServer::Bind() {
  if (listen_fd_ >= 0) return Status::Ok();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options_.port));
  if (::inet_pton(AF_INET, options_.host.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("lifeboat local: '" + options_.host + "' is not an IPv4 address");
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Unavailable(std::string("lifeboat local: socket: ") + std::strerror(errno));
  // SO_REUSEADDR (a restart may bind while old connections linger in TIME_WAIT) but not
  // SO_REUSEPORT: a second `lifeboat local` on the same port must fail, not share it.
  int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, SOMAXCONN) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd);
    return Status::Unavailable("lifeboat local: " + options_.host + ":" + std::to_string(options_.port) +
                               " is not available: " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  listen_fd_ = fd;
  return Status::Ok();
}

Status LocalServer::Start() {
  LIFEBOAT_RETURN_IF_ERROR(Bind());
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void LocalServer::AcceptLoop() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      if (errno == EMFILE || errno == ENFILE) {
        spdlog::warn("lifeboat local: out of file descriptors; not accepting for 100 ms");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      continue;  // EINTR, ECONNABORTED: the next client
    }
    // Responses go out as header and body; with Nagle each would wait for a delayed ACK.
    int yes = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connections_.insert(fd);
    std::thread([this, fd] { Serve(fd); }).detach();
  }
}

void LocalServer::Serve(int fd) {
  ServeHttpConnection(fd, [this](RawRequest raw) { return Dispatch(std::move(raw)); },
                      options_.body_limit);
  std::lock_guard<std::mutex> lock(mu_);
  connections_.erase(fd);
  ::close(fd);  // after the erase: Stop never shuts down a number reused by someone else
  if (connections_.empty()) idle_.notify_all();
}

void LocalServer::Stop() {
  if (listen_fd_ < 0) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  ::shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
  if (accept_thread_.joinable()) accept_thread_.join();
  ::close(listen_fd_);
  listen_fd_ = -1;
  std::unique_lock<std::mutex> lock(mu_);
  for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);  // wakes reads; handlers finish
  idle_.wait(lock, [this] { return connections_.empty(); });
}

}  // namespace lifeboat
