"""Git cannot hold an empty directory, and a directory is what this case is about."""

from pathlib import Path


def make(project: Path, canary: Path) -> None:
    folder = project / "data" / "events" / "traceback-directory-named-yaml.yaml"
    folder.mkdir()
    # Something a recursive glob would pick up and load as an event.
    (folder / "inner.yaml").write_text("id: inner\n", encoding="utf-8")
