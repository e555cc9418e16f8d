"""The real data meets the content targets and the sourcing rules."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT
from kb.model.load import load
from kb.site.stats import cited_sources, measure
from kb.model.validate import validate

MINIMUM = {"actor": 45, "policy": 25, "event": 150, "source": 80, "analysis": 5}


@pytest.fixture(scope="module")
def dataset():
    data = load(ROOT)
    assert validate(data, ROOT) == []
    return data


def test_minimum_counts(dataset):
    counts = {kind: len(records) for kind, records in dataset.records.items()}
    for kind, minimum in MINIMUM.items():
        assert counts[kind] >= minimum, (kind, counts[kind])


def test_every_event_role_and_status_change_has_a_source(dataset):
    for event in dataset.records["event"].values():
        assert event.data["sources"], event.id
    for actor in dataset.records["actor"].values():
        for role in actor.data.get("roles", []):
            assert role["sources"], (actor.id, role["title"])
    for policy in dataset.records["policy"].values():
        for change in policy.data["status"]:
            assert change.get("sources") or change.get("event"), (policy.id, change)


def test_lee_era_events_with_two_independent_publishers_are_counted(dataset):
    # 60% held while copies on aggregator sites counted as second sources; the publisher registry
    # (issue 12) removed those, and the share is now what reliable publishers alone support. It is
    # shown on the quality page; this floor only keeps it from silently collapsing.
    quality = measure(dataset)
    assert quality.lee_era_events >= 50
    assert quality.lee_era_share >= 0.30, f"{quality.lee_era_multi_publisher}/{quality.lee_era_events}"


def test_every_source_is_cited_and_urls_are_unique(dataset):
    cited = {s for record in dataset.all() for s in cited_sources(record)}
    sources = dataset.records["source"]
    assert set(sources) - cited == set()
    urls = Counter(s.data["url"].rstrip("/") for s in sources.values())
    assert [u for u, n in urls.items() if n > 1] == []


def test_founding_analysis_is_recorded_as_sangsoo_lees_view(dataset):
    analysis = dataset.get("analysis", "sangsoo-lee-2025-engagement-limits")
    assert analysis.data["authors"] == ["sangsoo-lee"]
    source = dataset.get("source", analysis.data["sources"][0])
    assert source.data["url"] == "https://www.rightleadingfuture.com/?p=82054"
    assert len(analysis.data["claims"]) >= 4


def test_korean_names_have_hangul_and_aliases(dataset):
    lee = dataset.get("actor", "lee-jae-myung")
    assert lee.data["hangul"] == "이재명"
    assert "Lee Jae Myung" in lee.data["aliases"]
    korean_people = [a for a in dataset.records["actor"].values() if a.data["kind"] == "person" and a.data.get("country") in ("south-korea", "north-korea")]
    with_hangul = [a for a in korean_people if a.data.get("hangul")]
    assert len(with_hangul) >= 0.7 * len(korean_people), sorted(a.id for a in korean_people if not a.data.get("hangul"))


# Issue 13's targets: counts per kind, 200 events in the Lee era, and 8 events in every month since the
# inauguration, except the months data/coverage.yaml declares thin (with the reason the home and quality
# pages show). Both directions are checked, so a declared gap that has been filled must be removed.
TARGETS = {"actor": 70, "policy": 35, "event": 320, "analysis": 20}
COVERED_MONTHS = [f"2025-{m:02d}" for m in range(6, 13)] + [f"2026-{m:02d}" for m in range(1, 6)]


def test_coverage_targets_of_the_lee_era(dataset):
    counts = {kind: len(dataset.records[kind]) for kind in TARGETS}
    assert all(counts[kind] >= target for kind, target in TARGETS.items()), counts
    dates = [str(event.data["date"]) for event in dataset.records["event"].values()]
    assert sum(date >= "2025-06-04" for date in dates) >= 200
    per_month = Counter(date[:7] for date in dates)
    thin = {month for month in COVERED_MONTHS if per_month[month] < 8}
    declared = {entry["month"] for entry in dataset.coverage.data.get("thin_months", [])}
    assert thin == declared, {month: per_month[month] for month in thin ^ declared}
