"""Serves /health/ready on FAKESHOP_PORT (serve) or FAKESHOP_WORKER_PORT (work)."""

import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200 if self.path == "/health/ready" else 404)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


command = sys.argv[1]
if command == "migrate":
    print("migrated", os.environ["FAKESHOP_DATABASE_URL"])
    sys.exit(int(os.environ.get("FAKESHOP_MIGRATE_EXIT", "0")))
if command == "crash":
    print("boom: cannot start")
    sys.exit(3)
port = os.environ["FAKESHOP_PORT" if command == "serve" else "FAKESHOP_WORKER_PORT"]
HTTPServer(("127.0.0.1", int(port)), Health).serve_forever()
