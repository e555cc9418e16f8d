"""The loader: C-accelerated parsing, positions of every value, dates kept as written."""

from __future__ import annotations

import pytest
import yaml

from kb.model import load as load_module
from kb.model.load import load


def test_uses_the_libyaml_loader_when_available():
    assert yaml.__with_libyaml__, "PyYAML was installed without libyaml; the build would be ~10x slower"
    assert load_module.Loader is yaml.CSafeLoader


def test_positions_of_nested_values(project):
    record = load(project).get("event", "loudspeaker-broadcasts-suspended-2025")
    assert record.positions[("date",)] == (3, 7)
    line, column = record.positions[("actors", 0, "actor")]
    assert record.path == "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    text = (project / record.path).read_text().splitlines()
    assert text[line - 1][column - 1:].startswith("lee-jae-myung")
    assert record.key_positions[("actors",)] == (line - 1, 1)


def test_dates_stay_as_written(project):
    dataset = load(project)
    assert dataset.get("event", "loudspeaker-broadcasts-suspended-2025").data["date"] == "2025-06-11"
    assert dataset.get("analysis", "sangsoo-lee-2025-engagement-limits").data["date"] == "2025-06"


def test_records_are_read_in_name_order_whatever_the_disk_order(project):
    dataset = load(project)
    for kind, records in dataset.records.items():
        assert list(records) == sorted(records), kind


# --- limits before expansion ------------------------------------------------------------------

import time  # noqa: E402

from kb.model import discover  # noqa: E402
from kb.model.load import ANCHORS, MAX_DEPTH, TOO_DEEP, limit_problem  # noqa: E402

EVENT = "data/events/loudspeaker-broadcasts-suspended-2025.yaml"


def alias_bomb(levels: int = 9) -> str:
    lines = ["id: bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def problems_of(project, rel: str, text: str) -> list[str]:
    (project / rel).write_text(text, encoding="utf-8")
    return [str(p) for p in load(project).problems]


def test_an_alias_bomb_is_refused_before_it_expands(project):
    start = time.monotonic()
    found = problems_of(project, "data/events/bomb.yaml", alias_bomb())
    assert time.monotonic() - start < 2
    assert found == [f"data/events/bomb.yaml:2:5: {ANCHORS}"]


@pytest.mark.parametrize("text, where", [
    ("id: x\ntitle: &t a\nsummary: *t\n", "2:8"),  # the anchor is met first
    ("id: x\ntitle: a\nsummary: *t\n", "3:10"),  # an alias without anchor: still ours, not a syntax error
    ("id: x\nplace: &p here\n", "2:8"),
    ("id: x\nactors:\n  - &a {actor: y}\n  - <<: *a\n", "3:5"),
])
def test_anchors_and_aliases_are_refused(project, text, where):
    found = problems_of(project, "data/events/x.yaml", text)
    assert len(found) == 1 and found[0].startswith(f"data/events/x.yaml:{where}: YAML anchors and aliases"), found


@pytest.mark.parametrize("text", [
    "id: x\ntags:\n  " + "- " * 500 + "x\n",
    "id: x\ntags: " + "[" * 5000 + "]" * 5000 + "\n",
    "id: x\ntags: " + "[" * 500 + "]" * 500 + "\n",
    "id: x\nplace: " + "{a: " * 300 + "b" + "}" * 300 + "\n",
    "id: x\n" + "".join("  " * i + "a:\n" for i in range(60)) + "  " * 60 + "b\n",
])
def test_deep_nesting_is_refused_on_the_event_stream(project, text):
    found = problems_of(project, "data/events/x.yaml", text)
    assert len(found) == 1 and found[0].startswith("data/events/x.yaml:") and found[0].endswith(TOO_DEEP), found


def test_nesting_up_to_the_limit_is_read():
    text = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert limit_problem(text, "x") is None
    assert limit_problem("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n", "x").message == TOO_DEEP


def test_size_limit_and_encodings(project):
    event = (project / EVENT).read_text()
    (project / EVENT).write_text(event + "# " + "x" * discover.MAX_BYTES + "\n")
    (project / "data/events/latin.yaml").write_bytes("id: latin\ntitle: caf\xe9\n".encode("latin-1"))
    (project / "data/events/wide.yaml").write_bytes("id: wide\n".encode("utf-16"))
    found = [str(p) for p in load(project).problems]
    assert f"{EVENT}:1:1: {discover.TOO_BIG}" in found
    assert "data/events/latin.yaml:1:1: file is not valid UTF-8 (byte 20); save it as UTF-8" in found
    assert "data/events/wide.yaml:1:1: file is not valid UTF-8 (byte 0); save it as UTF-8" in found


def test_the_real_data_is_well_inside_the_limits():
    from conftest import ROOT

    files, problems = discover.data_files(ROOT)
    assert problems == []
    for file in files:
        assert file.path.stat().st_size < discover.MAX_BYTES // 4, file.rel
        assert limit_problem(file.path.read_text(encoding="utf-8"), file.rel) is None
