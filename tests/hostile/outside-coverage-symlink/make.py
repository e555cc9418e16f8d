"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    (project / "data/coverage.yaml").unlink()
    (project / "data/coverage.yaml").symlink_to(canary)
