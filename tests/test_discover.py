"""File discovery: one list of data files for every command; links, devices, FIFOs, folders, hidden
files and names that are not ids are reported once, located, and never opened."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kb.model import discover
from kb.model.load import load
from kb.model.schemas import SchemaProblems, read_schemas, validators

KB = [sys.executable, "-m", "kb"]
EVENT = "data/events/loudspeaker-broadcasts-suspended-2025.yaml"


def kb(project: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([*KB, *args], cwd=project, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env} if env else None)


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    file = tmp_path / "canary.yaml"
    file.write_text("id: canary\ntitle: CANARY-7f3a\n")
    return file


def messages(project: Path) -> list[str]:
    return [str(p) for p in discover.data_files(project)[1]]


def test_the_fixture_has_no_refused_entries(project):
    files, problems = discover.data_files(project)
    assert problems == []
    assert {f.kind for f in files} >= {"event", "actor", "coverage"}
    assert all(f.rel.startswith("data/") and f.path.is_file() for f in files)


@pytest.mark.parametrize("make, expected", [
    (lambda d, c: (d / "leak.yaml").symlink_to(c), "data/events/leak.yaml:1:1: is a symbolic link"),
    (lambda d, c: (d / "zero.yaml").symlink_to("/dev/zero"), "data/events/zero.yaml:1:1: is a symbolic link"),
    (lambda d, c: (d / "gone.yaml").symlink_to(d / "nothing"), "data/events/gone.yaml:1:1: is a symbolic link"),
    (lambda d, c: os.mkfifo(d / "pipe.yaml"), "data/events/pipe.yaml:1:1: is not a regular file"),
    (lambda d, c: (d / "x.yaml").mkdir(), "data/events/x.yaml:1:1: is a folder"),
    (lambda d, c: (d / ".hidden.yaml").write_text("id: x\n"), "data/events/.hidden.yaml:1:1: hidden file"),
    (lambda d, c: (d / "Bad_Name.yaml").write_text("id: x\n"), "data/events/Bad_Name.yaml:1:1: file name is not an id"),
    (lambda d, c: (d / "note.yml").write_text("id: x\n"), "data/events/note.yml:1:1: not a data file: records end in '.yaml' (rename it to .yaml)"),
    (lambda d, c: (d / "a\nb.yaml").write_text("id: x\n"), "data/events/a\\nb.yaml:1:1: file name holds control characters"),
    (lambda d, c: (d / "\x1b[31m.yaml").write_text("id: x\n"), "data/events/\\x1b[31m.yaml:1:1: file name holds control characters"),
    (lambda d, c: (d / "x::error a.yaml").write_text("id: x\n"), "data/events/x\\x3a\\x3aerror a.yaml:1:1: file name is not an id"),
    (lambda d, c: Path(os.fsdecode(os.fsencode(d) + b"/bad\xff.yaml")).write_text("id: x\n"),
     "data/events/bad\\xff.yaml:1:1: file name holds control characters or bytes that are not UTF-8"),
])
def test_refused_entries_are_reported_once_and_never_read(project, canary, make, expected):
    make(project / "data" / "events", canary)
    found = messages(project)
    assert len([m for m in found if m.startswith(expected)]) == 1, found
    dataset = load(project)
    assert all("CANARY" not in str(r.data) for r in dataset.all())
    assert [str(p) for p in dataset.problems if p.path.startswith("data/events/")] == [m for m in found if m.startswith("data/events/")]


def test_a_linked_kind_folder_or_data_folder_is_refused(project, tmp_path, canary):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(canary, elsewhere / "leak.yaml")
    shutil.rmtree(project / "data" / "events")
    (project / "data" / "events").symlink_to(elsewhere)
    assert messages(project) == ["data/events:1:1: " + discover.LINK]
    outside = tmp_path / "outside-data"
    shutil.move(project / "data", outside)
    (project / "data").symlink_to(outside)
    files, problems = discover.data_files(project)
    assert files == [] and [str(p) for p in problems] == ["data:1:1: " + discover.LINK]


def test_read_stops_at_the_size_limit_and_refuses_links_and_fifos(tmp_path, canary):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (discover.MAX_BYTES + 1))
    exact = tmp_path / "exact.yaml"
    exact.write_bytes(b"x" * discover.MAX_BYTES)
    assert len(discover.read_bytes(exact, "exact")) == discover.MAX_BYTES
    link = tmp_path / "link.yaml"
    link.symlink_to(canary)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # opened non-blocking, refused by fstat: no hang
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    for path, words in ((big, "larger than 256 KB"), (link, "symbolic link"), (fifo, "not a regular file"), (zero, "symbolic link")):
        with pytest.raises(discover.Unreadable) as caught:
            discover.read_bytes(path, path.name)
        assert words in caught.value.problem.message


def test_write_never_follows_a_link(tmp_path, canary):
    link = tmp_path / "link.yaml"
    link.symlink_to(canary)
    with pytest.raises(discover.Unreadable):
        discover.write_text(link, "id: x\n", "link.yaml")
    with pytest.raises(discover.Unreadable):
        discover.write_text(link, "id: x\n", "link.yaml", create=True)
    assert canary.read_text().startswith("id: canary")


def test_shown_names_are_one_printable_line():
    assert discover.shown("a\nb\x1b\x7f\u202e.yaml") == "a\\nb\\x1b\\x7f\\u202e.yaml"
    assert discover.shown("bad\udcff.yaml") == "bad\\xff.yaml"
    assert discover.shown("이재명.yaml") == "이재명.yaml"


# --- schemas ------------------------------------------------------------------------------------

def test_a_broken_schema_is_a_located_problem(project):
    schema = project / "data/schemas/event.schema.json"
    schema.write_text('{\n  "type": "object",,\n}\n')
    _, problems = read_schemas(project / "data/schemas")
    assert [str(p) for p in problems] == ["data/schemas/event.schema.json:2:20: not valid JSON: Expecting property name enclosed in double quotes; fix the schema file"]
    with pytest.raises(SchemaProblems):
        validators(project / "data/schemas")
    result = kb(project, "check", "--github")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/schemas/event.schema.json:2:20: not valid JSON" in result.stderr
    fmt = kb(project, "fmt", "--check")
    assert fmt.returncode == 1 and "Traceback" not in fmt.stderr and "event.schema.json:2:20" in fmt.stderr


@pytest.mark.parametrize("content, words", [
    ('{"type": "nonsense"}', "not a valid JSON Schema"),
    ('{"$ref": "nowhere.schema.json#/x"}', "points to nothing"),
    ('{"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}', "cycle"),
])
def test_an_invalid_schema_is_a_located_problem(project, content, words):
    (project / "data/schemas/event.schema.json").write_text(content)
    result = kb(project, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert any(line.startswith("data/schemas/event.schema.json:1:1: ") and words in line for line in result.stderr.splitlines()), result.stderr


def test_a_linked_schema_is_refused_and_not_read(project, canary):
    schema = project / "data/schemas/event.schema.json"
    schema.unlink()
    schema.symlink_to(canary)
    result = kb(project, "check")
    assert result.returncode == 1 and "CANARY" not in result.stderr + result.stdout
    assert "data/schemas/event.schema.json:1:1: is a symbolic link" in result.stderr
