"""Offers and answers: the relation, its figures per administration and the pages that show it."""

from __future__ import annotations

from kb.site import offers
from kb.model.load import load
from kb.site.render import render_site
from kb.model.validate import validate

SOURCE = "kbs-2025-06-11-loudspeakers-suspended"


def write(project, folder, name, text, kind):
    (project / "data" / folder / f"{name}.yaml").write_text(
        f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n{text}\n", encoding="utf-8")


def with_offers(project):
    """Pyongyang as an actor, two Lee-era offers (one answered after 9 days), one Moon-era offer."""
    write(project, "actors", "north-korea", "id: north-korea\nname: North Korea\nkind: state\ncountry: north-korea\n"
          f"summary: A test.\nsources: [{SOURCE}]", "actor")
    write(project, "events", "talks-offer-2025", "id: talks-offer-2025\ndate: '2025-06-12'\ntitle: Seoul offers talks\n"
          "type: speech\nsummary: A test.\nactors: [{actor: lee-jae-myung}]\n"
          f"offer: {{by: lee-jae-myung, to: north-korea, what: talks on the border, kind: talks}}\nsources: [{SOURCE}]", "event")
    write(project, "events", "aid-offer-2025", "id: aid-offer-2025\ndate: '2025-06-20'\ntitle: Seoul offers flood aid\n"
          "type: announcement\nsummary: A test.\n"
          f"offer: {{by: south-korea, to: north-korea, what: flood aid, kind: aid}}\nsources: [{SOURCE}]", "event")
    write(project, "events", "talks-rejected-2025", "id: talks-rejected-2025\ndate: '2025-06-21'\ntitle: Pyongyang rejects talks\n"
          "type: statement\nsummary: A test.\nactors: [{actor: north-korea}]\n"
          f"responds_to: [{{event: talks-offer-2025, kind: rejects, sources: [{SOURCE}]}}]\nsources: [{SOURCE}]", "event")
    write(project, "events", "covid-aid-offer-2020", "id: covid-aid-offer-2020\ndate: '2020-03'\ntitle: Seoul offers COVID aid\n"
          "type: announcement\nsummary: A test.\n"
          f"offer: {{by: south-korea, to: north-korea, what: COVID-19 aid, kind: aid}}\nsources: [{SOURCE}]", "event")
    dataset = load(project)
    assert validate(dataset, project) == []
    return dataset


def test_figures_per_administration(project):
    collected = offers.collect(with_offers(project))
    assert [o.event.id for o in collected] == ["covid-aid-offer-2020", "talks-offer-2025", "aid-offer-2025"]
    talks = collected[1]
    assert talks.first_answer.event.id == "talks-rejected-2025" and talks.days == 9
    assert talks.first_answer.by.id == "north-korea"  # the answering event's first actor
    assert offers.side(talks.by) == "Seoul" and offers.side(talks.to) == "Pyongyang"
    periods = {period_id: f for period_id, _, f in offers.by_period(collected)}
    assert (periods["lee"].offers, periods["lee"].answered, periods["lee"].rejected, periods["lee"].median_days) == (2, 1, 1, 9)
    assert periods["lee"].answered_share == 0.5
    assert (periods["moon"].offers, periods["moon"].answered, periods["moon"].median_days) == (1, 0, None)
    assert periods["yoon"].offers == 0


def test_offers_page_lists_every_offer_once_with_its_answer_or_none(project):
    dataset = with_offers(project)
    pages = render_site(dataset, project / "docs").revealed()
    page = pages["offers.md"]
    for event_id in ("talks-offer-2025", "aid-offer-2025", "covid-aid-offer-2020"):
        assert page.count(f"(events/{event_id}.md)") == 1
    assert "| Lee Jae-myung | 2 | 1 (50%) | 1 (50%) | 9 |" in page
    assert "| Moon Jae-in after Hanoi | 1 | 0 (0%) | 0 (0%) |  |" in page
    # The source list is not part of the table: a blank line ends the table before it.
    lines = page.splitlines()
    first_note = next(i for i, line in enumerate(lines) if line.startswith("[^1]:"))
    assert lines[first_note - 1] == ""
    row = next(line for line in page.splitlines() if "(events/talks-offer-2025.md)" in line)
    assert "| Rejected | 21 June 2025, [North Korea](actors/north-korea.md): [Pyongyang rejects talks](events/talks-rejected-2025.md)" in row
    assert row.endswith("| 9 | Lee Jae-myung |")
    aid = next(line for line in page.splitlines() if "(events/aid-offer-2025.md)" in line)
    assert "| No public answer | none as of 30 June 2025 |" in aid


def test_event_pages_show_answers_both_ways(project):
    dataset = with_offers(project)
    pages = render_site(dataset, project / "docs").revealed()
    offer = pages["events/talks-offer-2025.md"]
    assert "## The offer" in offer and "talks on the border (talks)" in offer
    assert "## Answers" in offer and "21 June 2025 · [Pyongyang rejects talks](talks-rejected-2025.md) (rejected)" in offer
    answer = pages["events/talks-rejected-2025.md"]
    assert "## In answer to" in answer and "- Rejected: [Seoul offers talks](talks-offer-2025.md) (12 June 2025)" in answer
    actor = pages["actors/lee-jae-myung.md"]
    assert "## Offers made" in actor and "(../events/talks-offer-2025.md)" in actor


def test_open_data_timeline_and_graph_carry_the_relation(project):
    import csv
    import io
    import json
    dataset = with_offers(project)
    pages = render_site(dataset, project / "docs").revealed()
    rows = list(csv.DictReader(io.StringIO(pages["data/offers.csv"])))
    assert [r["offer_event"] for r in rows] == ["covid-aid-offer-2020", "talks-offer-2025", "aid-offer-2025"]
    assert rows[1]["answer_event"] == "talks-rejected-2025" and rows[1]["answer_kind"] == "rejects" and rows[1]["days_to_answer"] == "9"
    assert rows[2]["answer_event"] == "" and rows[2]["period"] == "lee"
    timeline = json.loads(pages["assets/kb/timeline.json"])
    exchange = {row[0]: row[8] for row in timeline["events"]}
    assert exchange["talks-offer-2025"] == ["offer"] and exchange["aid-offer-2025"] == ["offer", "unanswered"]
    assert exchange["talks-rejected-2025"] == ["answer"]
    graph = json.loads(pages["assets/kb/graph.json"])
    assert {"source": "event:talks-rejected-2025", "target": "event:talks-offer-2025", "label": "rejects"} in graph["edges"]


def test_assessment_is_shown_as_the_editors_reading_with_its_source(project):
    write(project, "events", "broadcasts-resumed-2025", "id: broadcasts-resumed-2025\ndate: '2025-06-25'\ntitle: A later event\n"
          "type: announcement\nsummary: A test.\npolicies: [{policy: loudspeaker-halt-2025}]\n"
          f"sources: [{SOURCE}]", "event")
    path = project / "data" / "analyses" / "sangsoo-lee-2025-engagement-limits.yaml"
    text = path.read_text(encoding="utf-8").replace("date: 2025-06\n", "date: '2025-06-12'\n")
    path.write_text(text.replace("    events: [loudspeaker-broadcasts-suspended-2025]\n", "    events: [loudspeaker-broadcasts-suspended-2025]\n"
                                 "    expects: {what: Pyongyang stays unresponsive, by: '2026'}\n"
                                 "    assessment: {verdict: borne-out, date: '2026-12-02', note: No answer came.,"
                                 f" events: [broadcasts-resumed-2025], sources: [{SOURCE}]}}\n"), encoding="utf-8")
    dataset = load(project)
    assert validate(dataset, project) == []
    page = render_site(dataset, project / "docs").revealed()["analyses/sangsoo-lee-2025-engagement-limits.md"]
    assert "**The claim expects:** Pyongyang stays unresponsive (by 2026)." in page
    assert "**What happened after the analysis** (1 event on the same policies or actors):" in page
    assert "- 25 June 2025 · [A later event](../events/broadcasts-resumed-2025.md)" in page
    assert ("**Editors' assessment, 2 December 2026: borne out.** This is the editors' reading of the events, "
            "not a statement of fact. No answer came. Based on: [A later event](../events/broadcasts-resumed-2025.md). [^") in page
    # An assessment without sources is refused.
    path.write_text(path.read_text(encoding="utf-8").replace(f", sources: [{SOURCE}]}}", "}"), encoding="utf-8")
    problems = [str(p) for p in validate(load(project), project)]
    assert problems == ["data/analyses/sangsoo-lee-2025-engagement-limits.yaml:14:5: claims[0].assessment: missing required field "
                        "'sources' (give it at least one source id)"]
