"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    elsewhere = project.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leak.yaml").write_text(canary.read_text())
    events = project / "data/events"
    for f in events.iterdir():
        f.unlink()
    events.rmdir()
    events.symlink_to(elsewhere)
