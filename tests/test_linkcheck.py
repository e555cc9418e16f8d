"""linkcheck against a local server: live pages pass, dead and unreachable ones are reported."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading

import yaml


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        if self.path.startswith("/no-head"):
            self.send_response(405)
        else:
            self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path.startswith(("/ok", "/no-head")) else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_linkcheck_reports_dead_links_only(project):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        for name, path in [("live", "/ok"), ("head-refused", "/no-head"), ("gone", "/gone")]:
            source = {"id": f"src-{name}", "title": name, "publisher": "Test", "url": f"http://127.0.0.1:{port}{path}",
                      "language": "en", "kind": "news"}
            (project / "data" / "sources" / f"src-{name}.yaml").write_text(yaml.safe_dump(source))
        # Only the local files: tests never send traffic beyond 127.0.0.1.
        files = [f"data/sources/src-{name}.yaml" for name in ("live", "head-refused", "gone")]
        result = subprocess.run([sys.executable, "-m", "kb", "linkcheck", "--timeout", "5", *files], cwd=project,
                                capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert result.returncode == 1
    dead = result.stdout.splitlines()
    assert dead == [f"data/sources/src-gone.yaml:6:6: url: dead link, HTTP 404: http://127.0.0.1:{port}/gone"]
    assert "3 addresses checked, 1 dead" in result.stderr
