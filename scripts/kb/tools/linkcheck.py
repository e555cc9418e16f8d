"""``python -m kb linkcheck``: are the cited pages still there? Opt-in, never part of a build.

Checks every source URL and actor link with bounded concurrency and a timeout per request, and
reports each dead one as ``path:line:column: message``. Network trouble is reported, not raised.

The URLs come from pull requests, so linkcheck never connects where the data should not point: a
URL the rules of ``urls`` refuse is reported without a request, and every connection (also after
a redirect) resolves the host first and goes only to an address ``urls.public_address`` accepts;
the address checked is the address connected to, so a name cannot resolve differently in between.
Proxies from the environment are not used: through one, the target's address is not ours to check.
"""

from __future__ import annotations

import http.client
import socket
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kb.model import urls
from kb.model.load import load
from kb.model.problems import Problem, report
from kb.model.validate import walk

USER_AGENT = "nk-policy-kb-linkcheck/1.0 (+https://github.com/nk-policy-kb/nk-policy-kb)"


def targets(root: Path, only: list[str] | None = None) -> list[tuple[str, Problem]]:
    """(url, where it is written) for every source URL and actor link (or those in the given files)."""
    dataset = load(root)
    wanted = {(Path.cwd() / f).resolve() for f in only or []}
    out = []
    for record in dataset.all():
        if wanted and (root / record.path).resolve() not in wanted:
            continue
        patterns = [("url",)] if record.kind == "source" else [("links", "*", "url")] if record.kind == "actor" else []
        for pattern in patterns:
            for path, url in walk(record.data, pattern):
                if isinstance(url, str):
                    out.append((url, record.problem(path, "")))
    return out


class RefusedAddress(OSError):
    """The host resolves to an address linkcheck may not connect to."""


def guarded_connect(resolver=socket.getaddrinfo, allowed=urls.public_address):
    """A replacement for socket.create_connection that resolves the host, refuses the connection
    when any address is not allowed, and connects to the addresses it checked."""
    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *args, **kwargs):
        host, port = address
        infos = resolver(host, port, 0, socket.SOCK_STREAM)
        addresses = [info[4][0] for info in infos]
        refused = [a for a in addresses if not allowed(a)]
        if refused or not addresses:
            raise RefusedAddress(f"refused: {host} resolves to {refused[0] if refused else 'no address'}, not a public address")
        error = None
        for family, kind, proto, _, sockaddr in infos:
            sock = socket.socket(family, kind, proto)
            try:
                if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                    sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as err:
                sock.close()
                error = err
        raise error
    return create_connection


def opener(resolver=socket.getaddrinfo, allowed=urls.public_address) -> urllib.request.OpenerDirector:
    """urllib without proxies, whose HTTP and HTTPS connections (redirects too) go through guarded_connect."""
    connect = guarded_connect(resolver, allowed)

    class HTTPConnection(http.client.HTTPConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPSConnection(http.client.HTTPSConnection):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._create_connection = connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(HTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(HTTPSConnection, req)

    class RedirectHandler(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            trouble = urls.problem(newurl)
            if trouble:  # a redirect is data too: it may not lead where the data could not
                raise urllib.error.URLError(f"refused redirect to {urls_quote(newurl)}: {trouble}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(urllib.request.ProxyHandler({}), HTTPHandler, HTTPSHandler, RedirectHandler)


def urls_quote(url: str) -> str:
    return url if len(url) <= 80 else url[:79] + "…"


def status(url: str, timeout: float, resolver=socket.getaddrinfo, allowed=urls.public_address, check_url=urls.problem) -> str | None:
    """None when the page answers; otherwise why not, in words."""
    trouble = check_url(url)
    if trouble:
        return f"refused without a request: {trouble}"
    fetch = opener(resolver, allowed)
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with fetch.open(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable ({reason})"
    return "no answer"


def run(root: Path, files: list[str] | None = None, workers: int = 8, timeout: float = 10.0, **guards) -> int:
    """``guards`` (resolver, allowed, check_url) go to ``status``; tests replace them, nothing else should."""
    checks = targets(root, files)
    addresses = sorted({url for url, _ in checks})
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(addresses, pool.map(lambda u: status(u, timeout, **guards), addresses)))
    dead = [Problem(where.path, where.line, where.column, f"url: dead link, {results[url]}: {url}")
            for url, where in checks if results[url]]
    report(sorted(dead), stream=sys.stdout)
    print(f"{len(addresses)} addresses checked, {len({p.message for p in dead})} dead", file=sys.stderr)
    return 1 if dead else 0
