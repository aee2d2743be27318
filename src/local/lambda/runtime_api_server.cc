#include "local/lambda/runtime_api_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "http/httplib_listen.h"

namespace lifeboat {
namespace {

constexpr char kInvocation[] = R"(/2018-06-01/runtime/invocation/([^/]+)/)";

// SO_REUSEADDR, not httplib's default SO_REUSEPORT: two servers must never share a port.
void ReuseAddress(int sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

void Reply(httplib::Response& res, const RuntimeReply& reply) {
  res.status = reply.status;
  res.set_content(reply.body, "application/json");
}

}  // namespace

RuntimeApiServer::RuntimeApiServer(RuntimeChannel* channel) : channel_(channel) {}

RuntimeApiServer::~RuntimeApiServer() { Stop(); }

void RuntimeApiServer::Route() {
  server_->Get("/2018-06-01/runtime/invocation/next", [this](const httplib::Request&,
                                                             httplib::Response& res) {
    auto next = channel_->Next();
    if (!next) {
      // The environment is shutting down: a runtime is to exit on a 500.
      Reply(
          res,
          {500,
           R"({"errorMessage":"The execution environment is shutting down","errorType":"Runtime.Shutdown"})"});
      return;
    }
    const Invocation& inv = next->invocation;
    res.set_header("Lambda-Runtime-Aws-Request-Id", inv.request_id);
    res.set_header("Lambda-Runtime-Deadline-Ms", std::to_string(next->deadline_ms));
    res.set_header("Lambda-Runtime-Invoked-Function-Arn", inv.function_arn);
    res.set_header("Lambda-Runtime-Trace-Id", inv.trace_id);
    if (!inv.client_context.empty()) {
      res.set_header("Lambda-Runtime-Client-Context", inv.client_context);
    }
    if (!inv.cognito_identity.empty()) {
      res.set_header("Lambda-Runtime-Cognito-Identity", inv.cognito_identity);
    }
    res.set_content(inv.payload, "application/json");
  });
  server_->Post(std::string(kInvocation) + "response",
                [this](const httplib::Request& req, httplib::Response& res) {
                  Reply(res, channel_->Respond(req.matches[1].str(), req.body));
                });
  server_->Post(std::string(kInvocation) + "error", [this](const httplib::Request& req,
                                                           httplib::Response& res) {
    Reply(res,
          channel_->Fail(req.matches[1].str(),
                         req.get_header_value("Lambda-Runtime-Function-Error-Type"), req.body));
  });
  server_->Post("/2018-06-01/runtime/init/error", [this](const httplib::Request& req,
                                                         httplib::Response& res) {
    Reply(res, channel_->InitFailed(req.get_header_value("Lambda-Runtime-Function-Error-Type"),
                                    req.body));
  });
}

Status RuntimeApiServer::Start() {
  if (server_) return Status::FailedPrecondition("runtime API already started");
  server_ = std::make_unique<httplib::Server>();
  // A runtime holds at most a connection or two; /next waits in a handler for as long as
  // the environment is idle.
  server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
  server_->set_socket_options(ReuseAddress);
  // Above the 6 MB response limit, so the channel can answer 413 and fail the invocation
  // as Lambda does instead of httplib refusing the body on its own.
  server_->set_payload_max_length(3 * kMaxResponseBytes);
  Route();
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) {
    int err = errno;
    server_.reset();
    port_ = 0;
    return Status::Unavailable(std::string("Lambda runtime API cannot listen on 127.0.0.1: ") +
                               std::strerror(err));
  }
  if (!ListenInBackground(server_.get(), &thread_)) {
    Stop();
    return Status::Internal("Lambda runtime API stopped as it started");
  }
  return Status::Ok();
}

void RuntimeApiServer::Stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace lifeboat
