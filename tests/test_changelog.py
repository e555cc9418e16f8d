"""The change log of the data, from a small git repository made in the test."""

from __future__ import annotations

import subprocess

from kb.site import changelog
from kb.model.load import load
from kb.site.render import Site, render_site
from kb.model.validate import validate


def git(project, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=project, check=True, capture_output=True)


def history(project):
    """Three commits: the fixture; an event re-dated as a correction plus a new source; an actor removed."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "data")
    git(project, "commit", "-q", "-m", "First data")
    event = project / "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    event.write_text(event.read_text().replace("date: '2025-06-11'", "date: '2025-06-12'"))
    (project / "data/sources/kbs-extra.yaml").write_text(
        "id: kbs-extra\ntitle: A headline\npublisher: kbs-world\nurl: https://world.kbs.co.kr/x\nlanguage: en\nkind: news\n")
    git(project, "add", "-A", "data")
    git(project, "commit", "-q", "-m", "Re-date the loudspeaker halt", "-m", "Correction: the halt began on 12 June, not 11 June.")
    git(project, "rm", "-q", "data/actors/sangsoo-lee.yaml")
    git(project, "commit", "-q", "-m", "Remove an actor <b>now</b>")


def test_added_changed_removed_and_corrections(project):
    history(project)
    log = changelog.read(project)
    assert log.available and not log.shallow
    assert [c.subject for c in log.commits] == ["Remove an actor <b>now</b>", "Re-date the loudspeaker halt", "First data"]
    removed, corrected, first = log.commits
    assert removed.records == (changelog.RecordChange("actor", "sangsoo-lee", "removed"),)
    assert corrected.is_correction and corrected.corrections == ("the halt began on 12 June, not 11 June.",)
    assert corrected.records == (changelog.RecordChange("source", "kbs-extra", "added"),
                                 changelog.RecordChange("event", "loudspeaker-broadcasts-suspended-2025", "changed", ("date",)))
    assert all(r.change == "added" for r in first.records) and len(first.records) > 5
    assert [text for _, text in log.corrections_of("event", "loudspeaker-broadcasts-suspended-2025")] == ["the halt began on 12 June, not 11 June."]


def test_changes_page_feed_and_record_corrections(project):
    history(project)
    (project / "data/analyses/sangsoo-lee-2025-engagement-limits.yaml").unlink()  # it named the removed actor
    git(project, "add", "-A", "data")
    git(project, "commit", "-q", "-m", "Remove the analysis too")
    dataset = load(project)
    assert validate(dataset, project) == []
    pages = render_site(dataset, project / "docs", Site(changelog=changelog.read(project))).revealed()
    page = pages["changes.md"]
    assert "Remove an actor &lt;b>now&lt;&#47;b>" in page and "<b>" not in page  # commit messages are text, never markup
    assert "**Correction.** the halt began on 12 June, not 11 June." in page
    assert "**Changed** (1): [South Korea suspends loudspeaker broadcasts toward the North](events/loudspeaker-broadcasts-suspended-2025.md) (date)." in page
    assert "**Removed** (1): actor `sangsoo-lee`." in page
    event = pages["events/loudspeaker-broadcasts-suspended-2025.md"]
    assert "## Corrections" in event and "the halt began on 12 June, not 11 June. ([change](../changes.md#" in event
    assert "<title>Re-date the loudspeaker halt</title>" in pages["changes.xml"]


def test_shallow_clone_and_no_git(project, tmp_path):
    history(project)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)], check=True, capture_output=True)
    log = changelog.read(clone)
    assert log.shallow and len(log.commits) == 1
    assert not changelog.read(tmp_path / "nowhere").available
