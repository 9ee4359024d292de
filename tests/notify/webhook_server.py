"""A webhook receiver for tests/notify/notify.sh: an HTTP server on
127.0.0.1 that saves each POST body as OUT/NNN.json and answers with the
status code in OUT/status (200 when the file is absent). It picks a free
port and writes it to OUT/port once it listens.

usage: webhook_server.py OUT
"""
import http.server
import os
import sys

OUT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            with open(os.path.join(OUT, "status")) as f:
                status = int(f.read().strip())
        except FileNotFoundError:
            status = 200
        if 200 <= status < 300:
            n = len([f for f in os.listdir(OUT) if f.endswith(".json")])
            with open(os.path.join(OUT, "%03d.json" % (n + 1)), "wb") as f:
                f.write(body)
            with open(os.path.join(OUT, "%03d.headers" % (n + 1)), "w") as f:
                f.write("%s %s\n%s" % (self.command, self.path, self.headers))
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok" if status < 300 else b"receiver says no")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(OUT, "port.tmp"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(OUT, "port.tmp"), os.path.join(OUT, "port"))
server.serve_forever()
