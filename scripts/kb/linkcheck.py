"""``python -m kb linkcheck``: are the cited pages still there? Opt-in, never part of a build.

Checks every source URL and actor link with bounded concurrency and a timeout per request, and
reports each dead one as ``path:line:column: message``. Network trouble is reported, not raised.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kb.load import load
from kb.problems import Problem, report
from kb.validate import walk

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


def status(url: str, timeout: float) -> str | None:
    """None when the page answers; otherwise why not, in words."""
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue
            return f"HTTP {error.code}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return f"unreachable ({reason})"
    return "no answer"


def run(root: Path, files: list[str] | None = None, workers: int = 8, timeout: float = 10.0) -> int:
    checks = targets(root, files)
    urls = sorted({url for url, _ in checks})
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = dict(zip(urls, pool.map(lambda u: status(u, timeout), urls)))
    dead = [Problem(where.path, where.line, where.column, f"url: dead link, {results[url]}: {url}")
            for url, where in checks if results[url]]
    report(sorted(dead), stream=sys.stdout)
    print(f"{len(urls)} addresses checked, {len({p.message for p in dead})} dead", file=sys.stderr)
    return 1 if dead else 0
