// MetricsServer: serves GET /metrics (Prometheus text format 0.0.4) on its own thread,
// rendering the body from a callback at each scrape. Every other path answers 404.
//
// Start() binds synchronously, so a bad or taken address is reported there as one line
// ("metrics.listen 127.0.0.1:9799: address already in use"). Stop() (or destruction)
// closes the socket and joins the thread. Start/Stop are for one owning thread; the
// callback runs on server threads and must be thread-safe (Metrics::RenderPrometheus is).
#ifndef LIFEBOAT_HTTP_METRICS_SERVER_H_
#define LIFEBOAT_HTTP_METRICS_SERVER_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/status.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace lifeboat {

class MetricsServer {
 public:
  // `listen` is host:port ("127.0.0.1:9799", "[::1]:0"); port 0 picks a free port.
  MetricsServer(std::string listen, std::function<std::string()> render);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  Status Start();
  void Stop();

  // The bound port once Start() succeeded (the chosen one when asked for port 0).
  int port() const { return port_; }

 private:
  Status Bind(const std::string& host, int port);

  std::string listen_;
  std::function<std::string()> render_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_METRICS_SERVER_H_
