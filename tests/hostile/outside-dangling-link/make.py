"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    (project / "data/events/gone.yaml").symlink_to(project.parent / "no-such-file")
