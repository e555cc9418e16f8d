"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    (project / "data/events/x\n::error file=README.md::owned.yaml").write_text("id: x\n")
