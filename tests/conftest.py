"""Shared fixtures: a throw-away copy of the project around a chosen data set."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import COVERAGE_FILE, FOLDERS

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"


def make_project(where: Path, data: Path = MINI) -> Path:
    """A project folder with the real mkdocs.yml, docs/, overrides/, schemas and build code, and the given data."""
    project = where / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")  # shown by docs/contributing.md
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "docs-ko", project / "docs-ko")  # the Korean edition's hand-written pages
    (project / "overrides").symlink_to(ROOT / "overrides")  # the theme's partials (mkdocs.yml: custom_dir)
    (project / "scripts").symlink_to(ROOT / "scripts")
    shutil.copytree(ROOT / "data" / "schemas", project / "data" / "schemas")
    for folder in FOLDERS.values():
        if (data / folder).is_dir():
            shutil.copytree(data / folder, project / "data" / folder)
    if (data / COVERAGE_FILE).is_file():
        shutil.copy(data / COVERAGE_FILE, project / "data" / COVERAGE_FILE)
    return project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path)
