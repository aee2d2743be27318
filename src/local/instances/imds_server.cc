#include "local/instances/imds_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "http/httplib_listen.h"

namespace lifeboat {
namespace {

constexpr char kTokenHeader[] = "X-aws-ec2-metadata-token";
constexpr char kTtlHeader[] = "X-aws-ec2-metadata-token-ttl-seconds";

// The page EC2's metadata service sends with an error status.
void Error(httplib::Response& res, int status, const char* reason) {
  std::string title = std::to_string(status) + " - " + reason;
  res.status = status;
  res.set_content(
      "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n"
      "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\"\n"
      "\t\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n"
      "<html xmlns=\"http://www.w3.org/1999/xhtml\" xml:lang=\"en\" lang=\"en\">\n"
      " <head>\n  <title>" +
          title +
          "</title>\n </head>\n"
          " <body>\n  <h1>" +
          title + "</h1>\n </body>\n</html>\n",
      "text/html");
}

// SO_REUSEADDR, not httplib's default SO_REUSEPORT: two services must never share a port.
void ReuseAddress(int sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

}  // namespace

ImdsServer::ImdsServer(Env* env, ImdsIdentity identity, ImdsServerOptions options)
    : env_(env), identity_(std::move(identity)), options_(options) {}

ImdsServer::~ImdsServer() { Stop(); }

std::string ImdsServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/";
}

Status ImdsServer::Start() {
  if (server_) return Status::FailedPrecondition("metadata service already started");
  server_ = std::make_unique<httplib::Server>();
  // Few clients per instance (user data, an agent); idle keep-alives are let go quickly so
  // Stop() at termination never waits on one.
  // Few clients per instance (user data, an agent): one request per connection, so Stop()
  // at termination never waits on an idle keep-alive.
  server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
  server_->set_keep_alive_max_count(1);
  server_->set_read_timeout(2);
  server_->set_payload_max_length(64 * 1024);
  server_->set_socket_options(ReuseAddress);
  // Everything is answered before routing: httplib would otherwise wait for the body of a
  // PUT that has no Content-Length (`curl -X PUT`, as AWS documents the token request)
  // until the client closes the connection.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    Dispatch(req, res);
    return httplib::Server::HandlerResponse::Handled;
  });

  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    int err = errno;
    server_.reset();
    port_ = 0;
    return Status::Unavailable(
        "instance " + identity_.instance_id +
        ": metadata service cannot listen on 127.0.0.1: " + std::strerror(err));
  }
  if (!ListenInBackground(server_.get(), &thread_)) {
    Stop();
    return Status::Internal("instance " + identity_.instance_id +
                            ": metadata service stopped as it started");
  }
  return Status::Ok();
}

void ImdsServer::Stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

void ImdsServer::SetTargetLifecycleState(std::string_view state) {
  std::lock_guard lock(mu_);
  state_.target_lifecycle_state = std::string(state);
}

Status ImdsServer::InjectSpotNotice(std::string_view action) {
  if (action != "terminate" && action != "stop" && action != "hibernate") {
    return Status::InvalidArgument("spot interruption action '" + std::string(action) +
                                   "': expected terminate, stop or hibernate");
  }
  auto lead = std::chrono::duration_cast<std::chrono::system_clock::duration>(
      std::chrono::duration<double>(120.0 / options_.time_scale));
  std::lock_guard lock(mu_);
  state_.spot_action = std::string(action);
  state_.spot_time = env_->Now() + lead;
  return Status::Ok();
}

void ImdsServer::InjectRebalance() {
  std::lock_guard lock(mu_);
  state_.rebalance_notice = env_->Now();
}

void ImdsServer::Dispatch(const httplib::Request& req, httplib::Response& res) {
  const std::string& path = req.path;
  if (path == "/latest/api/token") {
    if (req.method != "PUT") return Error(res, 405, "Method Not Allowed");
    return HandleToken(req, res);
  }
  if (path != "/latest" && path.rfind("/latest/", 0) != 0) return Error(res, 404, "Not Found");
  if (req.method != "GET" && req.method != "HEAD") return Error(res, 405, "Method Not Allowed");
  HandleGet(req, path.size() > 8 ? path.substr(8) : std::string(), res);
}

void ImdsServer::HandleToken(const httplib::Request& req, httplib::Response& res) {
  // EC2 refuses token requests that went through a proxy.
  if (req.has_header("X-Forwarded-For")) return Error(res, 403, "Forbidden");
  std::optional<int> ttl;
  if (req.has_header(kTtlHeader)) ttl = ImdsTokens::ParseTtl(req.get_header_value(kTtlHeader));
  if (!ttl) return Error(res, 400, "Missing or Invalid Parameters");
  res.set_header(kTtlHeader, std::to_string(*ttl));
  res.set_content(tokens_.Issue(env_->SteadyNow(), std::chrono::seconds(*ttl)), "text/plain");
}

void ImdsServer::HandleGet(const httplib::Request& req, const std::string& path,
                           httplib::Response& res) {
  if (req.has_header(kTokenHeader)) {
    if (!tokens_.Valid(req.get_header_value(kTokenHeader), env_->SteadyNow())) {
      return Error(res, 401, "Unauthorized");
    }
  } else if (options_.tokens_required) {
    return Error(res, 401, "Unauthorized");
  }
  ImdsState state;
  {
    std::lock_guard lock(mu_);
    state = state_;
  }
  auto body = LookupMetadata(MetadataTree(identity_, state, env_->Now()), path);
  if (!body) return Error(res, 404, "Not Found");
  res.set_content(*body, "text/plain");
}

}  // namespace lifeboat
