"""The timeline's chart counts what the data holds: events per month and kind, status changes per month."""

from __future__ import annotations

import collections
import json

from conftest import ROOT

from kb.model import dates
from kb.site import chart
from kb.model.load import load
from kb.site.render import render_site


def test_chart_data_equals_the_events_per_month_in_the_data():
    dataset = load(ROOT)
    data = chart.chart_data(dataset)
    expected = collections.Counter()
    for event in dataset.records["event"].values():
        d = dates.parse(event.data["date"])
        if d.month:
            expected[(f"{d.year:04d}-{d.month:02d}", chart.GROUP_OF[event.data["type"]])] += 1
    got = collections.Counter({(m, g): n for g, series in data["groups"].items() for m, n in zip(data["months"], series) if n})
    assert got == expected
    assert sum(expected.values()) + data["year_only"] == len(dataset.records["event"])
    changes = collections.Counter(change["date"][:7] for p in dataset.records["policy"].values() for change in p.data["status"]
                                  if dates.parse(change["date"]).month)
    assert {m: n for m, n in zip(data["months"], data["status_changes"]) if n} == dict(changes)
    assert data["months"] == sorted(set(data["months"])) and len(data["months"]) >= len({m for m, _ in expected})


def test_every_event_type_has_a_group():
    schema = json.loads((ROOT / "data/schemas/event.schema.json").read_text(encoding="utf-8"))
    assert set(schema["properties"]["type"]["enum"]) == set(chart.GROUP_OF)


def test_the_published_chart_file_and_the_page_table_agree(project):
    pages = render_site(load(project), project / "docs").revealed()
    data = json.loads(pages["assets/kb/chart.json"])
    assert data["months"][0] == "2025-06" and sum(sum(s) for s in data["groups"].values()) == 1
    row = " | ".join(str(series[0]) for series in data["groups"].values())
    assert f"| June 2025 | {row} | 1 | {data['status_changes'][0]} |" in pages["timeline.md"]
