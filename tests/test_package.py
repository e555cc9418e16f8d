"""The data package, the SQLite database and the zip, built from the fixture and checked with the
tools a reader would use: `frictionless validate`, SQL queries, zipfile."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kb.model.load import load
from kb.site.render import Site, render_site
from kb.model.validate import validate

FRICTIONLESS = Path(sys.executable).with_name("frictionless")


@pytest.fixture
def published(project, tmp_path):
    dataset = load(project)
    assert validate(dataset, project) == []
    out = tmp_path / "site"
    for page in render_site(dataset, project / "docs", Site(last_changed={"data/events/x.yaml": "2026-11-30"})):
        if page.path.startswith("data/"):
            target = out / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.text if isinstance(page.text, bytes) else page.text.encode("utf-8"))
    return dataset, out / "data"


def frictionless(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FRICTIONLESS), "validate", "--json", "datapackage.json"], cwd=folder, capture_output=True, text=True, timeout=300)


def test_data_package_is_valid_and_its_keys_are_checked(published, tmp_path):
    dataset, folder = published
    result = frictionless(folder)
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:2000]
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["version"] == "2026-11-30" and package["licenses"][0]["name"] == "CC-BY-4.0"
    events = next(r for r in package["resources"] if r["name"] == "events")
    assert events["schema"]["primaryKey"] == ["id"]
    assert {"name": "type"} .items() <= next(f for f in events["schema"]["fields"] if f["name"] == "type").items()
    assert "enum" in next(f for f in events["schema"]["fields"] if f["name"] == "type")["constraints"]
    # A broken foreign key makes the package invalid: the check is real.
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    table = broken / "tables" / "event_actors.csv"
    table.write_text(table.read_text() + "loudspeaker-broadcasts-suspended-2025,no-such-actor,\n")
    assert json.loads(frictionless(broken).stdout)["valid"] is False


def test_sqlite_has_a_table_per_kind_and_relation_with_keys_and_search(published):
    dataset, folder = published
    db = sqlite3.connect(folder / "knowledge-base.sqlite")
    for kind, table in (("actor", "actors"), ("event", "events"), ("source", "sources"), ("publisher", "publishers")):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(dataset.records[kind])
    assert db.execute("SELECT actor, role FROM event_actors WHERE event = 'loudspeaker-broadcasts-suspended-2025'").fetchall() == [
        ("lee-jae-myung", "ordered the suspension")]
    # Every relation table declares its foreign keys, and none is broken.
    for table in ("event_actors", "event_policies", "answers", "roles", "status_history", "policy_owners", "analysis_authors", "citations"):
        assert db.execute(f"PRAGMA foreign_key_list({table})").fetchall(), table
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    found = db.execute("SELECT e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid WHERE events_fts MATCH 'loudspeaker'").fetchall()
    assert found == [("loudspeaker-broadcasts-suspended-2025",)]
    assert db.execute("SELECT hangul FROM actors_fts WHERE actors_fts MATCH '이재명'").fetchall() == [("이재명",)]


def test_zip_holds_everything_under_its_version(published):
    _, folder = published
    archive = zipfile.ZipFile(io.BytesIO((folder / "knowledge-base-2026-11-30.zip").read_bytes()))
    names = set(archive.namelist())
    for name in ("events.csv", "tables/answers.csv", "knowledge-base.sqlite", "datapackage.json", "schemas/event.schema.json", "README.md"):
        assert f"knowledge-base-2026-11-30/{name}" in names
    assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())  # same data, same bytes
