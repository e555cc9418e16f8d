"""linkcheck against a local server: live pages pass, dead and unreachable ones are reported."""

from __future__ import annotations

import http.server
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest
import yaml

from kb.tools import linkcheck


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


def _write_sources(project, port):
    for name, path in [("live", "/ok"), ("head-refused", "/no-head"), ("gone", "/gone")]:
        source = {"id": f"src-{name}", "title": name, "publisher": "Test", "url": f"http://127.0.0.1:{port}{path}",
                  "language": "en", "kind": "news"}
        (project / "data" / "sources" / f"src-{name}.yaml").write_text(yaml.safe_dump(source))
    return [f"data/sources/src-{name}.yaml" for name in ("live", "head-refused", "gone")]


def test_linkcheck_reports_dead_links_only(project, monkeypatch, capsys):
    """Against a local server, with the address guards opened for the test (they refuse 127.0.0.1)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    monkeypatch.chdir(project)
    try:
        # Only the local files: tests never send traffic beyond 127.0.0.1.
        files = _write_sources(project, port)
        code = linkcheck.run(project, files, timeout=5, check_url=lambda url: None, allowed=lambda address: address == "127.0.0.1")
    finally:
        server.shutdown()
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [f"data/sources/src-gone.yaml:6:6: url: dead link, HTTP 404: http://127.0.0.1:{port}/gone"]
    assert "3 addresses checked, 1 dead" in err


def test_linkcheck_refuses_loopback_urls_without_a_request(project):
    files = _write_sources(project, 9)  # port 9 (discard): nothing is sent anyway
    result = subprocess.run([sys.executable, "-m", "kb", "linkcheck", "--timeout", "5", *files], cwd=project,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all("refused without a request: the host '127.0.0.1' is an IP address" in line for line in lines)


def _resolver(table):
    def resolve(host, port, *args):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in table[host]]
    return resolve


def test_a_name_that_resolves_to_a_private_address_is_never_connected_to(monkeypatch):
    connected = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connected.append(addr))
    resolver = _resolver({"rebind.example.com": ["93.184.216.34", "10.0.0.5"], "loop.example.com": ["127.0.0.1"]})
    for host, bad in [("rebind.example.com", "10.0.0.5"), ("loop.example.com", "127.0.0.1")]:
        why = linkcheck.status(f"https://{host}/page", 1, resolver=resolver)
        assert why.startswith("unreachable (refused: ") and bad in why
    assert connected == []


def test_the_guard_connects_to_the_address_it_checked(monkeypatch):
    connected = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, addr: connected.append(addr))
    connect = linkcheck.guarded_connect(_resolver({"news.example.com": ["93.184.216.34"]}))
    connect(("news.example.com", 443), 1).close()
    assert connected == [("93.184.216.34", 443)]


def test_a_redirect_to_a_refused_url_is_not_followed():
    fetch = linkcheck.opener(_resolver({}))
    handler = next(h for h in fetch.handlers if isinstance(h, urllib.request.HTTPRedirectHandler))
    request = urllib.request.Request("https://news.example.com/a")
    for target in ("http://127.0.0.1/admin", "http://localhost/", "https://user@evil.example/", "http://[::1]/"):
        with pytest.raises(urllib.error.URLError, match="refused redirect"):
            handler.redirect_request(request, None, 302, "Found", {}, target)
    assert handler.redirect_request(request, None, 302, "Found", {}, "https://news.example.com/b") is not None
