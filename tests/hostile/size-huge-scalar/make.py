"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    with open(project / "data/events/huge.yaml", "w") as f:
        f.write("id: huge\ntitle: ")
        for _ in range(64):
            f.write("x" * (1 << 20))
