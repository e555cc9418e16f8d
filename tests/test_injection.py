"""No script from data: injection attempts in every kind of text field, checked in the built HTML,
in the published JSON, and (when Chromium is available) in a real browser."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from conftest import make_project
from htmlscan import Scan

# Each payload, if it ever ran, would set window.__pwned or open a dialog.
PAYLOADS = [
    "<script>window.__pwned=1</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "<svg onload=window.__pwned=3>",
    "<style>body{display:none}</style>",
    "<iframe src=\"javascript:window.top.__pwned=4\"></iframe>",
    "<a href=\"javascript:window.__pwned=5\">click</a>",
    "[click](javascript:window.__pwned=6)",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:window.__pwned=7)",
    "[ref][r]\n\n[r]: javascript:window.__pwned=8",
    "<javascript:window.__pwned=9>",
    "&lt;script&gt;window.__pwned=10&lt;/script&gt;",
    "&#60;img src=x onerror=window.__pwned=11&#62;",
    "`<script>window.__pwned=12</script>`",
    "<div markdown=\"1\"><script>window.__pwned=13</script></div>",
    "Text {: onclick=\"window.__pwned=14\" }",
    "\"><script>window.__pwned=15</script>",
    "'; window.__pwned=16; '",
    "</script><script>window.__pwned=17</script>",
    "<!--<script>window.__pwned=18</script>-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=19>",
    "<p style=\"background:url(javascript:window.__pwned=20)\">x</p>",
    "<object data=\"javascript:window.__pwned=21\"></object>",
]


def hostile_project(tmp_path: Path) -> Path:
    """The mini data set with payloads in every text field of every kind of record."""
    project = make_project(tmp_path)
    d = project / "data"
    src = "kbs-2025-06-11-loudspeakers-suspended"
    records = []
    for i, payload in enumerate(PAYLOADS):
        one_line = payload.replace("\n", " ")
        records.append(("events", f"hostile-{i}", {
            "id": f"hostile-{i}", "date": "2025-06", "title": one_line, "type": "other", "summary": payload,
            "place": one_line, "actors": [{"actor": "lee-jae-myung", "role": one_line}],
            "policies": [{"policy": "loudspeaker-halt-2025", "effect": one_line}],
            "notes": [{"text": payload, "sources": [src]}], "tags": ["border"], "sources": [src]}))
        records.append(("actors", f"hostile-actor-{i}", {
            "id": f"hostile-actor-{i}", "name": one_line, "kind": "person", "aliases": [one_line], "summary": payload,
            "roles": [{"title": one_line, "note": one_line, "organization": "south-korea", "start": "2025", "sources": [src]}],
            "links": [{"label": one_line, "url": "https://example.org/x'onclick='window.__pwned=22"}], "sources": [src]}))
        records.append(("policies", f"hostile-policy-{i}", {
            "id": f"hostile-policy-{i}", "title": one_line, "owners": ["lee-jae-myung"], "summary": payload,
            "status": [{"date": "2025-06", "status": "announced", "note": one_line, "sources": [src]}], "sources": [src]}))
        records.append(("publishers", f"hostile-publisher-{i}", {
            "id": f"hostile-publisher-{i}", "name": one_line, "name_ko": one_line, "aliases": [one_line], "hosts": [f"hostile{i}.example"],
            "kind": "newspaper", "reliability": "reliable", "reason": one_line}))
        records.append(("sources", f"hostile-source-{i}", {  # a title may not start with '[': the payload follows a word
            "id": f"hostile-source-{i}", "title": "Headline " + one_line, "publisher": f"hostile-publisher-{i}", "authors": [one_line],
            "url": f"https://hostile{i}.example/{i}", "language": "en", "kind": "news", "note": one_line}))
        records.append(("analyses", f"hostile-analysis-{i}", {
            "id": f"hostile-analysis-{i}", "title": one_line, "authors": [f"hostile-actor-{i}"], "date": "2025",
            "summary": payload, "claims": [{"claim": payload, "events": [f"hostile-{i}"]}], "sources": [f"hostile-source-{i}"]}))
    for folder, record_id, data in records:
        (d / folder / f"{record_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = hostile_project(tmp_path_factory.mktemp("hostile"))
    site = project / "site-out"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=project,
                            capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_corpus_has_at_least_twenty_attempts():
    assert len(PAYLOADS) >= 20


def test_built_html_has_no_executable_payload(hostile_site):
    pages = list(hostile_site.rglob("*.html"))
    assert len(pages) > 5 * len(PAYLOADS)
    for page in pages:
        scan = Scan(page.read_text(encoding="utf-8"))
        assert scan.event_handlers() == [], page
        assert scan.unsafe_urls() == [], page
        assert not any("__pwned" in body for body in scan.scripts), page
        assert not any(tag in ("iframe", "object", "embed", "style", "math") for tag, _ in scan.tags), page
        for tag, attrs in scan.tags:
            if tag == "script" and "src" in attrs:
                assert not attrs["src"].startswith(("//", "http")), page
            if "style" in attrs:
                assert "javascript" not in attrs["style"], page


def test_json_ld_cannot_break_out_of_its_script(hostile_site):
    for page in hostile_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for block in text.split('<script type="application/ld+json">')[1:]:
            body = block.split("</script>")[0]
            assert "<" not in body, page
            json.loads(body)


def test_published_json_keeps_payloads_as_data(hostile_site):
    graph = json.loads((hostile_site / "assets/kb/graph.json").read_text())
    assert any(n["label"] == PAYLOADS[0] for n in graph["nodes"])  # kept as text, shown with textContent
    timeline = json.loads((hostile_site / "assets/kb/timeline.json").read_text())
    assert any(row[3] == PAYLOADS[0] for row in timeline["events"])


def test_no_payload_runs_in_chromium(hostile_site):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    chromium = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.skip(f"Chromium not found at {chromium}")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    dialogs = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in ["events/hostile-0/", "events/hostile-2/", "events/hostile-7/", "actors/hostile-actor-3/",
                         "policies/hostile-policy-5/", "analyses/hostile-analysis-8/", "sources/hostile-source-17/",
                         "timeline/", "actors/lee-jae-myung/", "graph/", "events/", "tracker/"]:
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_timeout(300)
                assert page.evaluate("window.__pwned === undefined"), path
                for link in page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href') || '')"):
                    assert not link.strip().lower().startswith(("javascript:", "data:")), (path, link)
            browser.close()
    finally:
        server.shutdown()
    assert dialogs == []
