"""The loader: C-accelerated parsing, positions of every value, dates kept as written."""

from __future__ import annotations

import yaml

from kb import load as load_module
from kb.load import load


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
