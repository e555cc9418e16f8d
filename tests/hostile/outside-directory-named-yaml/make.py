"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    (project / "data/events/x.yaml").mkdir()
    (project / "data/events/x.yaml/y.yaml").write_text("id: y\n")
