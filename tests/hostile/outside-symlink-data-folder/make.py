"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    import shutil
    outside = project.parent / "outside-data"
    shutil.copytree(project / "data", outside)
    (outside / "events" / "leak.yaml").write_text(canary.read_text())
    shutil.rmtree(project / "data")
    (project / "data").symlink_to(outside)
