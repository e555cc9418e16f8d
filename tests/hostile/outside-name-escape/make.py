"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    (project / "data/events/\x1b[31mred.yaml").write_text("id: red\n")
