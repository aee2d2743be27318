"""A fault-injecting HTTP/1.1 reverse proxy for S3 tests (stdlib only, 127.0.0.1).

Sits between a client (lifeboat, boto3, the aws CLI) and moto_server. For each request it
draws a fault from a seeded RNG and either passes the request through or:

  error500      answers 500 InternalError without forwarding (nothing stored)
  slowdown503   answers 503 SlowDown without forwarding (nothing stored)
  error_after   forwards, then answers 500 instead of the real response: the object WAS
                stored but the client sees an error (the exactly-once case)
  reset_before  resets the connection (SO_LINGER 0) without forwarding
  reset_after   forwards, then resets the connection instead of answering
  stall         holds the connection silent for `stall_seconds`, then resets it (nothing
                forwarded; the client must time out or wait)

Requests are read whole (Content-Length or Transfer-Encoding: chunked, after answering
`Expect: 100-continue`) and forwarded on a fresh upstream connection with Content-Length,
so upstream never sees a half request. Client connections are kept alive.

Usage:
    proxy = FaultProxy(moto.url, seed=7, faults={"error500": 0.05, "stall": 0.02})
    ... point the client at proxy.url ...
    proxy.counts["error500"]; proxy.stop()
"""
import http.client
import random
import socket
import socketserver
import struct
import threading
import urllib.parse
import uuid

FAULTS = ("error500", "slowdown503", "error_after", "reset_before", "reset_after", "stall")
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
               "trailer", "upgrade", "expect", "content-length"}
_MAX_LINE = 65536


def s3_error_body(code, message):
    request_id = uuid.uuid4().hex[:16].upper()
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
            f"<Message>{message}</Message><RequestId>{request_id}</RequestId>"
            f"<HostId>fault-proxy</HostId></Error>").encode()


_ERRORS = {
    "error500": (500, "Internal Server Error", "InternalError",
                 "We encountered an internal error. Please try again."),
    "error_after": (500, "Internal Server Error", "InternalError",
                    "We encountered an internal error. Please try again."),
    "slowdown503": (503, "Slow Down", "SlowDown", "Please reduce your request rate."),
}


class _BadRequest(Exception):
    pass


class Request:
    def __init__(self, method, target, version, headers, body):
        self.method, self.target, self.version = method, target, version
        self.headers = headers  # list of (name, value), case preserved
        self.body = body

    def header(self, name):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None

    def wants_close(self):
        conn = (self.header("Connection") or "").lower()
        return "close" in conn or (self.version == "HTTP/1.0" and "keep-alive" not in conn)


def _read_line(rfile):
    line = rfile.readline(_MAX_LINE + 1)
    if len(line) > _MAX_LINE:
        raise _BadRequest("line too long")
    return line


def _read_exact(rfile, n):
    data = rfile.read(n)
    if len(data) != n:
        raise ConnectionError("client closed mid-body")
    return data


def _read_chunked(rfile):
    parts = []
    while True:
        size_line = _read_line(rfile)
        if not size_line:
            raise ConnectionError("client closed mid-chunk")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            break
        parts.append(_read_exact(rfile, size))
        if _read_exact(rfile, 2) != b"\r\n":
            raise _BadRequest("chunk not followed by CRLF")
    while _read_line(rfile) not in (b"\r\n", b"\n", b""):  # trailers: dropped
        pass
    return b"".join(parts)


def read_request(rfile, wfile):
    """One request from a client connection, or None when the client closed cleanly."""
    line = _read_line(rfile)
    while line in (b"\r\n", b"\n"):  # tolerate stray CRLF between requests
        line = _read_line(rfile)
    if not line:
        return None
    try:
        method, target, version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
    except ValueError:
        raise _BadRequest(f"bad request line {line!r}")
    headers = []
    while True:
        h = _read_line(rfile)
        if h in (b"\r\n", b"\n"):
            break
        if not h:
            raise ConnectionError("client closed in headers")
        name, _, value = h.decode("latin-1").partition(":")
        headers.append((name.strip(), value.strip()))
    req = Request(method, target, version, headers, b"")
    if (req.header("Expect") or "").lower() == "100-continue":
        wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        wfile.flush()
    if "chunked" in (req.header("Transfer-Encoding") or "").lower():
        req.body = _read_chunked(rfile)
    elif req.header("Content-Length") is not None:
        req.body = _read_exact(rfile, int(req.header("Content-Length")))
    return req


class FaultProxy:
    def __init__(self, upstream_url, seed=0, faults=None, stall_seconds=3.0, methods=None,
                 upstream_timeout=60):
        """faults: {kind: probability}; kinds from FAULTS, probabilities summing to <= 1.
        methods: if given, only requests with these methods are eligible for faults."""
        u = urllib.parse.urlsplit(upstream_url)
        self.upstream = (u.hostname, u.port or 80)
        self.stall_seconds = stall_seconds
        self.upstream_timeout = upstream_timeout
        self.methods = set(methods) if methods else None
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._forced = []  # faults to inject next, before the RNG is asked
        self._stopping = threading.Event()
        self._clients = set()
        self.set_faults(faults or {})
        self.counts = {k: 0 for k in FAULTS + ("pass",)}
        self.requests = 0
        self.connections = 0
        self.log = []  # (method, path, kind) per request, in decision order

        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                proxy._serve_connection(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    # -- control ---------------------------------------------------------------------
    def set_faults(self, faults):
        unknown = set(faults) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {FAULTS}")
        if sum(faults.values()) > 1.0 + 1e-9:
            raise ValueError("fault probabilities sum to more than 1")
        with self._lock:
            self._faults = [(k, p) for k, p in faults.items() if p > 0]

    def force(self, *kinds):
        """Injects these faults, in order, into the next eligible requests."""
        for k in kinds:
            if k not in FAULTS and k != "pass":
                raise ValueError(f"unknown fault {k}")
        with self._lock:
            self._forced.extend(kinds)

    def injected(self):
        """{kind: count} of faults injected so far (passes excluded)."""
        with self._lock:
            return {k: v for k, v in self.counts.items() if k != "pass"}

    def stop(self):
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            clients = list(self._clients)
        for s in clients:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    # -- per connection ----------------------------------------------------------------
    def _choose(self, req):
        with self._lock:
            self.requests += 1
            if self.methods is not None and req.method not in self.methods:
                kind = "pass"
            elif self._forced:
                kind = self._forced.pop(0)
            else:
                kind, x = "pass", self._rng.random()
                for k, p in self._faults:
                    if x < p:
                        kind = k
                        break
                    x -= p
            self.counts[kind] += 1
            self.log.append((req.method, req.target.split("?", 1)[0], kind))
            return kind

    def _serve_connection(self, sock):
        with self._lock:
            self.connections += 1
            self._clients.add(sock)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        rfile = sock.makefile("rb")
        wfile = sock.makefile("wb")
        try:
            while not self._stopping.is_set():
                req = read_request(rfile, wfile)
                if req is None:
                    return
                kind = self._choose(req)
                if kind in ("reset_before",):
                    return self._reset(sock)
                if kind == "stall":
                    self._stopping.wait(self.stall_seconds)
                    return self._reset(sock)
                if kind in ("error500", "slowdown503"):
                    self._send_error(wfile, req, kind)
                elif kind in ("pass", "error_after", "reset_after"):
                    status, reason, headers, body = self._forward(req)
                    if kind == "reset_after":
                        return self._reset(sock)
                    if kind == "error_after":
                        self._send_error(wfile, req, kind)
                    else:
                        self._send(wfile, req, status, reason, headers, body)
                if req.wants_close():
                    return
        except (ConnectionError, OSError, _BadRequest, ValueError):
            return
        finally:
            with self._lock:
                self._clients.discard(sock)
            for f in (rfile, wfile):
                try:
                    f.close()
                except OSError:
                    pass
            try:
                sock.close()
            except OSError:
                pass

    def _forward(self, req):
        conn = http.client.HTTPConnection(*self.upstream, timeout=self.upstream_timeout)
        try:
            conn.putrequest(req.method, req.target, skip_host=True, skip_accept_encoding=True)
            for k, v in req.headers:
                if k.lower() not in _HOP_BY_HOP:
                    conn.putheader(k, v)
            if req.body or req.method in ("PUT", "POST"):
                conn.putheader("Content-Length", str(len(req.body)))
            conn.putheader("Connection", "close")
            conn.endheaders(req.body or None)
            resp = conn.getresponse()
            body = resp.read()
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP_BY_HOP]
            if req.method == "HEAD" and resp.getheader("Content-Length") is not None:
                headers.append(("Content-Length", resp.getheader("Content-Length")))
            return resp.status, resp.reason, headers, body
        finally:
            conn.close()

    def _send_error(self, wfile, req, kind):
        status, reason, code, message = _ERRORS[kind]
        body = s3_error_body(code, message)
        self._send(wfile, req, status, reason, [("Content-Type", "application/xml")], body)

    @staticmethod
    def _send(wfile, req, status, reason, headers, body):
        lines = [f"HTTP/1.1 {status} {reason}"]
        lines += [f"{k}: {v}" for k, v in headers]
        no_body = req.method == "HEAD" or status in (204, 304)
        # Only a forwarded HEAD answer brings its own Content-Length (the object's size).
        if not any(k.lower() == "content-length" for k, _ in headers):
            lines.append(f"Content-Length: {0 if status in (204, 304) else len(body)}")
        if req.wants_close():
            lines.append("Connection: close")
        wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if not no_body:
            wfile.write(body)
        wfile.flush()

    @staticmethod
    def _reset(sock):
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        # The finally block of _serve_connection closes the socket: with linger 0, an RST.
