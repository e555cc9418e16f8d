"""The data-quality page and the summary `check` prints."""

from __future__ import annotations

import subprocess
import sys

from kb.model.load import load
from kb.site.render import render_site
from kb.site.stats import measure


def test_measures_of_the_fixture(project):
    quality = measure(load(project))
    assert quality.counts == {"actor": 3, "policy": 1, "event": 1, "source": 3, "publisher": 4, "analysis": 1}
    assert quality.events_per_year == {2025: 1}
    assert quality.newest_event.id == "loudspeaker-broadcasts-suspended-2025"
    # The one Lee-era event cites KBS World and Lokmat Times (IANS wire): two independent publishers.
    assert (quality.lee_era_events, quality.lee_era_multi_publisher) == (1, 1)
    single = {r.id for r in quality.single_source}
    assert {"loudspeaker-halt-2025", "sangsoo-lee", "south-korea", "sangsoo-lee-2025-engagement-limits"} == single
    # Every record of the fixture is tied to another one (the analysis refers to its author).
    assert quality.unlinked == []


def test_quality_page_lists_gaps(project):
    page = render_site(load(project), project / "docs").revealed()["quality.md"]
    assert "The newest event is dated **11 June 2025**" in page
    assert "- Policy: [Halt of loudspeaker broadcasts toward North Korea](policies/loudspeaker-halt-2025.md)" in page
    assert "| 2025 | 1 |" in page


def test_check_prints_a_summary(project):
    result = subprocess.run([sys.executable, "-m", "kb", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "records: 3 actor, 1 policy, 1 event, 3 source, 4 publisher, 1 analysis" in result.stdout
    assert "newest event: 2025-06-11 (loudspeaker-broadcasts-suspended-2025)" in result.stdout
