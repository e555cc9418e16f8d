"""`mkdocs serve` watches data/: a saved YAML edit shows up on the served page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def banner_in_browser(url: str) -> str | None:
    """The problems banner's text as Chromium shows it, or None without Playwright and Chromium."""
    chromium = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not os.path.exists(chromium):
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.goto(url)
        banner = page.wait_for_selector(".kb-build-errors", state="visible", timeout=20000)
        text = banner.text_content()
        browser.close()
    return text


def test_saved_yaml_edit_is_served(tmp_path):
    project = make_project(tmp_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}/events/loudspeaker-broadcasts-suspended-2025/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    try:
        assert wait_for(lambda: "suspends loudspeaker broadcasts" in fetch(url), 90), "server did not come up"
        event = project / "data" / "events" / "loudspeaker-broadcasts-suspended-2025.yaml"
        event.write_text(event.read_text().replace("toward the North", "toward the North (edited)"))
        assert wait_for(lambda: "toward the North (edited)" in fetch(url), 90), "edit was not picked up"
        # A broken edit does not kill the server (the pages show its problems until it is fixed)...
        event.write_text(event.read_text().replace("date: '2025-06-11'", "date: '2025-06-31'"))
        time.sleep(3)
        assert server.poll() is None
        # ...and the fix is served again.
        event.write_text(event.read_text().replace("date: '2025-06-31'", "date: '2025-06-11'").replace("(edited)", "(fixed)"))
        assert wait_for(lambda: "toward the North (fixed)" in fetch(url), 90), "fixed edit was not picked up"
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_broken_edit_shows_its_problems_on_every_page_until_fixed(tmp_path):
    """Under `mkdocs serve` a saved edit that fails validation is shown in the browser, escaped, on
    every page (built from the last good data), and the banner goes on the next good save."""
    project = make_project(tmp_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    record = base + "events/loudspeaker-broadcasts-suspended-2025/"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    try:
        assert wait_for(lambda: "suspends loudspeaker broadcasts" in fetch(record), 90), "server did not come up"
        assert "kb-build-errors" not in fetch(base)
        event = project / "data" / "events" / "loudspeaker-broadcasts-suspended-2025.yaml"
        good = event.read_text(encoding="utf-8")
        event.write_text(good.replace("type: announcement", "type: <img src=x onerror=alert(1)>"), encoding="utf-8")
        assert wait_for(lambda: "kb-build-errors" in fetch(record), 90), "no problems banner"
        for page in (fetch(record), fetch(base), fetch(base + "about/")):
            assert "data/events/loudspeaker-broadcasts-suspended-2025.yaml:5:7:" in page
            assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
        assert "suspends loudspeaker broadcasts" in fetch(record)  # the last good pages, not a half-built site
        # The search index is served too (rebuilt in the background after each build).
        assert wait_for(lambda: fetch(base + "pagefind/pagefind-entry.json").startswith("{"), 30)
        shown = banner_in_browser(record)
        assert shown is None or ("5:7:" in shown and "<img" in shown)  # as text, seen by the reader
        event.write_text(good.replace("toward the North", "toward the North (fixed)"), encoding="utf-8")
        assert wait_for(lambda: "toward the North (fixed)" in fetch(record), 90), "fixed edit was not picked up"
        assert wait_for(lambda: "kb-build-errors" not in fetch(base + "about/"), 30)
        assert "kb-build-errors" not in fetch(record) and "kb-build-errors" not in fetch(base)
    finally:
        server.terminate()
        server.wait(timeout=20)
