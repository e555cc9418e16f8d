"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    import shutil
    outside = project.parent / "outside-schemas"
    shutil.copytree(project / "data/schemas", outside)
    shutil.rmtree(project / "data/schemas")
    (project / "data/schemas").symlink_to(outside)
