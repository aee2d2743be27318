// One HTTP/1.1 connection of `lifeboat local`, served with Boost.Beast: requests are read
// (answering `Expect: 100-continue`, decoding chunked transfer coding), handed to the
// handler as RawRequests whose body is moved, never copied, and answered on the same
// connection while the client keeps it alive.
//
// Beast rather than cpp-httplib: httplib reads bodies 4 KiB at a time with a poll before
// each read, which caps an upload near 150 MiB/s however fast the store is; Beast reads
// 64 KiB at a time straight into the body string.
#ifndef LIFEBOAT_LOCAL_HTTP_CONNECTION_H_
#define LIFEBOAT_LOCAL_HTTP_CONNECTION_H_

#include <cstdint>
#include <functional>

#include "local/local_service.h"
#include "local/request_authenticator.h"

namespace lifeboat {

using RawRequestHandler = std::function<LocalResponse(RawRequest)>;

// Serves the connected socket `fd` until the client closes it, sends `Connection: close`,
// an unreadable request arrives, or someone shutdown(2)s the socket. Does not close `fd`:
// the caller does, after it stopped tracking it, so a shutdown never hits a reused number.
// A body over `body_limit` bytes is answered with 413 and the connection closed.
void ServeHttpConnection(int fd, const RawRequestHandler& handler, uint64_t body_limit);

}  // namespace lifeboat

#endif  // LIFEBOAT_LOCAL_HTTP_CONNECTION_H_
