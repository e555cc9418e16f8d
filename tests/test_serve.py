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
        # A broken edit does not kill the server (MkDocs holds requests until the data is fixed)...
        event.write_text(event.read_text().replace("date: '2025-06-11'", "date: '2025-06-31'"))
        time.sleep(3)
        assert server.poll() is None
        # ...and the fix is served again.
        event.write_text(event.read_text().replace("date: '2025-06-31'", "date: '2025-06-11'").replace("(edited)", "(fixed)"))
        assert wait_for(lambda: "toward the North (fixed)" in fetch(url), 90), "fixed edit was not picked up"
    finally:
        server.terminate()
        server.wait(timeout=20)
