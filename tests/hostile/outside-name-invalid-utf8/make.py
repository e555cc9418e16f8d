"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    fd = os.open(os.fsencode(project / "data/events") + b"/bad\xff.yaml", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"id: bad\n")
    os.close(fd)
