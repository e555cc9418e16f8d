"""Same data, same bytes: builds do not depend on the day, the order of files on disk or the
order of keys in a record."""

from __future__ import annotations

import filecmp
import contextlib
import os
import subprocess
import sys

import yaml

from conftest import make_project
from kb.model import discover
from kb.model.load import load
from kb.site.render import render_site


def pages(project):
    return render_site(load(project), project / "docs").revealed()


def test_file_order_on_disk_does_not_change_pages(project, monkeypatch):
    before = pages(project)
    real = os.scandir

    @contextlib.contextmanager
    def reversed_scandir(path):  # the folder listed in the opposite order
        with real(path) as entries:
            yield list(reversed(list(entries)))

    monkeypatch.setattr(discover.os, "scandir", reversed_scandir)
    assert pages(project) == before


def test_key_order_in_records_does_not_change_pages(project):
    before = pages(project)
    for file in (project / "data").rglob("*.yaml"):
        if "schemas" in file.parts:
            continue
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
        reordered = dict(reversed(list(data.items())))
        file.write_text(yaml.safe_dump(reordered, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = pages(project)
    assert after.keys() == before.keys()
    assert after == before


def _build(project, site_dir: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "kb", "build", "--site-dir", site_dir], cwd=project,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-2000:]


def test_two_clean_builds_of_one_commit_are_byte_identical(tmp_path):
    project = make_project(tmp_path)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one", "--date", "2026-01-02T03:04:05Z"], cwd=project, check=True,
                   env=dict(os.environ, GIT_COMMITTER_DATE="2026-01-02T03:04:05Z"))
    _build(project, "site-a")
    _build(project, "site-b")
    a, b = project / "site-a", project / "site-b"
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(f) for f in files_a], shallow=False)
    assert mismatch == [] and errors == []
    # Timestamps MkDocs writes (here the gzip header of the sitemap) come from the commit, not the day.
    commit = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=project, capture_output=True, text=True).stdout
    day = int(commit) // 86400 * 86400  # MkDocs keeps the day of the build date
    assert int.from_bytes((a / "sitemap.xml.gz").read_bytes()[4:8], "little") == day
