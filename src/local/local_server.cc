#include "local/local_server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <cctype>

#include "common/logging.h"
#include "local/aws_chunked.h"

namespace lifeboat {
namespace {

std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= query.size() && !query.empty()) {
    const size_t amp = query.find('&', start);
    const std::string_view pair = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      // '+' means space in form encoding, which clients use in query strings too.
      auto decode = [](std::string_view s) {
        std::string plus(s);
        for (char& c : plus) {
          if (c == '+') c = ' ';
        }
        return UriDecode(plus).value_or(plus);
      };
      out.emplace_back(decode(pair.substr(0, eq)),
                       eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1)));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
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

LocalResponse LocalServer::Dispatch(const RawRequest& raw) {
  if (raw.method == "GET" && raw.path == "/_lifeboat/health") {
    return {200, {{"Content-Type", "text/plain"}}, "ok\n"};
  }
  AuthenticatedRequest auth = authenticator_.Authenticate(raw);
  if (!auth.ok) {
    return ProtocolError(auth.service, raw, auth.http_status, auth.error_code, auth.message);
  }
  LocalRequest request;
  request.method = raw.method;
  request.path = raw.path;
  request.query = raw.query;
  request.params = ParseQuery(raw.query);
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
    request.body = raw.body;
  }
  auto service = services_.find(auth.service);
  if (service == services_.end()) {
    return ProtocolError(auth.service, raw, 400, "InvalidAction",
                         "lifeboat local does not serve '" + auth.service + "'");
  }
  return service->second->Handle(request);
}

Status LocalServer::Bind() {
  if (server_) return Status::Ok();
  server_ = std::make_unique<httplib::Server>();
  const int threads = options_.threads;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server_->set_payload_max_length(size_t{6} << 30);
  // Responses go out in several writes (headers, body); with Nagle each waits for the
  // client's delayed ACK, 40 ms a time.
  server_->set_tcp_nodelay(true);
  // Not httplib's SO_REUSEPORT: a second `lifeboat local` on the same port must fail to
  // start, not share the port with the first.
  server_->set_socket_options([](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    // Services answer Range themselves (206 with the cut body); httplib would cut it again.
    const_cast<httplib::Request&>(req).ranges.clear();
    RawRequest raw;
    raw.method = req.method;
    const auto q = req.target.find('?');
    raw.path = req.target.substr(0, q);
    raw.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    for (const auto& [k, v] : req.headers) {
      // httplib adds these for its own bookkeeping; they never came from the client.
      if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT") continue;
      raw.headers.Add(Lower(k), v);
    }
    raw.body = req.body;
    LocalResponse out = Dispatch(raw);
    res.status = out.status;
    std::string content_type = "application/octet-stream";
    for (const auto& [k, v] : out.headers) {
      if (EqualsIgnoreCase(k, "content-type")) {
        content_type = v;
      } else if (EqualsIgnoreCase(k, "content-length") && !out.body.empty()) {
        continue;  // httplib sets it from the body
      } else {
        res.set_header(k, v);
      }
    }
    if (!out.body.empty()) {
      res.set_content(std::move(out.body), content_type);
    } else if (out.headers.Has("content-type")) {
      res.set_header("Content-Type", content_type);
    }
    spdlog::debug("{} {} -> {}", req.method, req.target, out.status);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Put(".*", handler);
  server_->Delete(".*", handler);
  server_->Options(".*", handler);
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
    if (port_ <= 0) return Status::Unavailable("lifeboat local: cannot bind " + options_.host);
  } else if (server_->bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  } else {
    return Status::Unavailable("lifeboat local: " + options_.host + ":" +
                               std::to_string(options_.port) + " is not available (in use?)");
  }
  return Status::Ok();
}

Status LocalServer::Start() {
  LIFEBOAT_RETURN_IF_ERROR(Bind());
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void LocalServer::Stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace lifeboat
