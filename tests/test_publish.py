"""Open data, feed, JSON-LD, timeline and graph data, last-changed dates."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from xml.etree import ElementTree

from kb.site.history import last_changed
from kb.model.load import load
from kb.site.publish import atom_feed, graph_json, json_ld, timeline_json
from kb.site.render import Site, render_site


def outputs(project, **site):
    return render_site(load(project), project / "docs", Site(schema_dir=project / "data" / "schemas", **site)).revealed()


def test_open_data_json_csv_and_schemas(project):
    files = outputs(project)
    combined = json.loads(files["data/knowledge-base.json"])
    assert sorted(combined) == ["actors", "analyses", "events", "policies", "publishers", "sources"]
    assert json.loads(files["data/events.json"])[0]["id"] == "loudspeaker-broadcasts-suspended-2025"
    rows = list(csv.DictReader(io.StringIO(files["data/policies.csv"])))
    assert rows[0]["current_status"] == "in-effect" and rows[0]["status_since"] == "2025-06-11"
    assert rows[0]["owners"] == "lee-jae-myung"
    assert json.loads(files["data/schemas/event.schema.json"])["title"] == "Event"
    page = files["data.md"]
    assert "[events.csv](data/events.csv)" in page and "| `date` | yes |" in page


def test_atom_feed_is_valid_xml_newest_first(project):
    dataset = load(project)
    feed = ElementTree.fromstring(atom_feed(dataset, "https://example.org/kb/", "KB"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:link", ns).get("href") == "https://example.org/kb/events/loudspeaker-broadcasts-suspended-2025/"
    assert entries[0].find("a:updated", ns).text == "2025-06-11T00:00:00Z"


def test_feed_escapes_and_strips_control_characters(project):
    dataset = load(project)
    event = dataset.get("event", "loudspeaker-broadcasts-suspended-2025")
    event.data["title"] = "<b>&\x07</b>"
    ElementTree.fromstring(atom_feed(dataset, "", "KB"))  # parses: escaped, control character dropped


def test_json_ld_types_and_script_safety(project):
    dataset = load(project)
    actor = json.loads(json_ld(dataset.get("actor", "lee-jae-myung"), dataset, ""))
    assert actor["@type"] == "Person" and "이재명" in actor["alternateName"]
    event = json.loads(json_ld(dataset.get("event", "loudspeaker-broadcasts-suspended-2025"), dataset, ""))
    assert event["@type"] == "Event" and event["startDate"] == "2025-06-11"
    dataset.get("event", "loudspeaker-broadcasts-suspended-2025").data["title"] = "</script><script>alert(1)</script>"
    text = json_ld(dataset.get("event", "loudspeaker-broadcasts-suspended-2025"), dataset, "")
    assert "<" not in text and json.loads(text)["name"].startswith("</script>")


def test_timeline_and_graph_data(project):
    dataset = load(project)
    timeline = json.loads(timeline_json(dataset))
    row = dict(zip(timeline["columns"], timeline["events"][0]))
    assert row["label"] == "11 June 2025" and timeline["actors"][row["actors"][0]][0] == "lee-jae-myung"
    graph = json.loads(graph_json(dataset))
    edges = {(e["source"], e["target"]) for e in graph["edges"]}
    assert ("actor:lee-jae-myung", "event:loudspeaker-broadcasts-suspended-2025") in edges
    assert ("actor:lee-jae-myung", "actor:south-korea") in edges
    assert all(n["url"].endswith("/") for n in graph["nodes"])


def test_record_pages_carry_tags_json_ld_and_their_timeline(project):
    files = outputs(project)
    event = files["events/loudspeaker-broadcasts-suspended-2025.md"]
    assert 'tags: ["border", "propaganda"]' in event
    assert '<script type="application/ld+json">{"@context": "https://schema.org"' in event
    actor = files["actors/lee-jae-myung.md"]
    assert "## Timeline" in actor and '<div class="kb-timeline" data-pagefind-ignore="index" markdown>' in actor
    assert 'data-node="actor:lee-jae-myung"' in actor and 'data-root="../../"' in actor


def test_last_changed_from_git_and_without_it(project):
    assert last_changed(project) == {}  # not a repository: no dates, no error
    files = outputs(project)
    assert "Record last changed" not in files["events/loudspeaker-broadcasts-suspended-2025.md"]
    run = lambda *a: subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *a], cwd=project, check=True, capture_output=True)
    run("init", "-q")
    run("add", "data")
    run("commit", "-q", "-m", "data", "--date", "2026-01-02T03:04:05Z")
    dates = last_changed(project)
    assert set(dates.values()) and "data/events/loudspeaker-broadcasts-suspended-2025.yaml" in dates
    files = outputs(project, last_changed=dates)
    assert "Record last changed on " in files["events/loudspeaker-broadcasts-suspended-2025.md"]
