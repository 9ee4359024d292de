#!/usr/bin/python3
"""A small HTTP feed server on 127.0.0.1 for the fetch tests.

Usage: http_server.py DIR

Binds a free port, prints it on stdout (one line) and serves DIR until it
is killed or its stdin reaches end of file (so it never outlives the test
that started it). Files are served with an ETag and a Last-Modified, and
conditional requests get a 304. Special paths:

  /status/N         answers status N
  /truncated        promises 100000 bytes, sends 1000, closes
  /stream/N         N bytes with no Content-Length (ends at close)
  /redirect/PATH    302 to /PATH
  /redirect-file    302 to file:///etc/passwd (must not be followed)

A query "?bare" makes a 304 carry no ETag or Last-Modified.
"""
import email.utils
import hashlib
import http.server
import os
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."

    def log_message(self, fmt, *args):  # keep test output clean
        pass

    def send_body(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path, _, query = self.path.partition("?")
        self.bare = query == "bare"
        if path.startswith("/status/"):
            code = int(path[len("/status/"):])
            self.send_body(code, b"status page\n")
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"x" * 1000)
            self.wfile.flush()
            self.close_connection = True
        elif path.startswith("/stream/"):
            n = int(path[len("/stream/"):])
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            block = b"s" * 4096
            while n > 0:
                self.wfile.write(block[:n])
                n -= min(n, len(block))
            self.close_connection = True
        elif path.startswith("/redirect/"):
            self.send_response(302)
            self.send_header("Location", "/" + path[len("/redirect/"):])
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/redirect-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_file(path)

    def send_file(self, path):
        name = os.path.normpath(path.lstrip("/"))
        full = os.path.join(self.root, name)
        if name.startswith("..") or not os.path.isfile(full):
            self.send_body(404, b"not found\n")
            return
        with open(full, "rb") as f:
            body = f.read()
        mtime = int(os.stat(full).st_mtime)
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        validators = [("ETag", etag),
                      ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        # RFC 9110 13.2.2: If-None-Match wins over If-Modified-Since.
        if inm is not None:
            tags = [t.strip().removeprefix("W/") for t in inm.split(",")]
            fresh = etag in tags or "*" in tags
        elif ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
                fresh = mtime <= since
            except (TypeError, ValueError):
                fresh = False
        else:
            fresh = False
        if fresh:
            self.send_response(304)
            if not self.bare:
                for name_, value in validators:
                    self.send_header(name_, value)
            self.end_headers()
        else:
            self.send_body(200, body, validators)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up early (a size limit hit) are expected here.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    Handler.root = sys.argv[1]
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.buffer.read()  # returns when the test closes its end or dies
    os._exit(0)


if __name__ == "__main__":
    main()
