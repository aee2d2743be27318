// Starting a bound cpp-httplib server's accept loop on a thread of its own, as the metrics
// endpoint, the simulated instances' metadata services and the Lambda Runtime API do.
#ifndef LIFEBOAT_HTTP_HTTPLIB_LISTEN_H_
#define LIFEBOAT_HTTP_HTTPLIB_LISTEN_H_

#include <thread>

namespace httplib {
class Server;
}  // namespace httplib

namespace lifeboat {

// Runs server->listen_after_bind() on `*thread` and returns once the accept loop runs:
// httplib's stop() only interrupts a running server, so a Stop right after start would
// otherwise be lost (the socket already queues connections meanwhile). False when the loop
// ended as it started; `*thread` is then still to be joined.
bool ListenInBackground(httplib::Server* server, std::thread* thread);

}  // namespace lifeboat

#endif  // LIFEBOAT_HTTP_HTTPLIB_LISTEN_H_
