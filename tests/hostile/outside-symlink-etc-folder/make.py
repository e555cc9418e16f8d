"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    import shutil
    shutil.rmtree(project / "data/sources")
    (project / "data/sources").symlink_to("/etc")
