"""A symbolic link to the canary, a file outside the project (a link in git is just its target path)."""

from pathlib import Path


def make(project: Path, canary: Path) -> None:
    (project / "data" / "sources" / "outside-symlink-to-canary.yaml").symlink_to(canary)
