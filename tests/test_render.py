"""The generated Markdown: cross-links both ways, citations, dates at their precision, escaping."""

from __future__ import annotations

import subprocess
import sys

from kb.model.load import load
import dataclasses

import pytest

from kb.site.render import render_site
from kb.site.text import markdown_html, md_escape, safe_url
from kb.model.validate import validate


def pages_of(project):
    dataset = load(project)
    assert validate(dataset, project) == []
    rendered = render_site(dataset, project / "docs")
    text = rendered.revealed()  # data text stands in the Markdown as tokens (kb.site.fragments)
    return {page.path: dataclasses.replace(page, text=text[page.path]) for page in rendered}


def test_one_page_per_record_and_an_index_per_kind(project):
    pages = pages_of(project)
    for path in ["actors/lee-jae-myung.md", "events/loudspeaker-broadcasts-suspended-2025.md",
                 "policies/loudspeaker-halt-2025.md", "sources/kbs-2025-06-11-loudspeakers-suspended.md",
                 "analyses/sangsoo-lee-2025-engagement-limits.md"]:
        assert path in pages
    for folder in ["actors", "policies", "events", "sources", "analyses"]:
        assert f"{folder}/index.md" in pages


def test_cross_links_in_both_directions(project):
    pages = pages_of(project)
    event = pages["events/loudspeaker-broadcasts-suspended-2025.md"].text
    actor = pages["actors/lee-jae-myung.md"].text
    policy = pages["policies/loudspeaker-halt-2025.md"].text
    source = pages["sources/kbs-2025-06-11-loudspeakers-suspended.md"].text
    # event -> actor, policy; and back
    assert "[Lee Jae-myung](../actors/lee-jae-myung.md): ordered the suspension" in event
    assert "(../policies/loudspeaker-halt-2025.md)" in event
    assert "## Timeline" in actor and "(../events/loudspeaker-broadcasts-suspended-2025.md) (ordered the suspension)" in actor
    assert "## Policies owned" in actor and "(../policies/loudspeaker-halt-2025.md)" in actor
    assert "(../events/loudspeaker-broadcasts-suspended-2025.md)" in policy
    # role organization -> organization page lists the person
    state = pages["actors/south-korea.md"].text
    assert "## People who held roles here" in state and "(lee-jae-myung.md)" in state
    # analysis discusses the event; the event page says so
    assert "## Discussed in analyses" in event and "(../analyses/sangsoo-lee-2025-engagement-limits.md)" in event
    # source page lists everything that cites it
    for target in ["../actors/lee-jae-myung.md", "../events/loudspeaker-broadcasts-suspended-2025.md",
                   "../policies/loudspeaker-halt-2025.md", "../actors/south-korea.md"]:
        assert f"({target})" in source


def test_numbered_citations_with_publisher_date_and_link(project):
    event = pages_of(project)["events/loudspeaker-broadcasts-suspended-2025.md"].text
    assert "Sources: [^1][^2]" in event
    assert ("[^1]: KBS World, 11 June 2025, [Pres. Lee Orders Loudspeaker Broadcasts Near Border to be Suspended "
            "from 2 PM Wed.](http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=193724)") in event
    assert "[^2]: Lokmat Times (via IANS), 11 June 2025, " in event
    assert "[Source record](../sources/kbs-2025-06-11-loudspeakers-suspended.md)" in event


def test_each_citation_number_is_reused_for_the_same_source(project):
    actor = pages_of(project)["actors/lee-jae-myung.md"].text
    # The summary cites sources 1 and 2; the role cites the first again and must reuse [^1].
    assert "Sources for this summary: [^1][^2]" in actor
    assert "| 4 June 2025 |  | [^1] |" in actor
    assert actor.count("[^1]:") == 1


def test_dates_are_shown_at_their_precision(project):
    pages = pages_of(project)
    assert "(June 2025)" in pages["analyses/sangsoo-lee-2025-engagement-limits.md"].text
    assert "1 June 2025" not in pages["analyses/sangsoo-lee-2025-engagement-limits.md"].text


def test_record_pages_know_their_yaml_file(project):
    pages = pages_of(project)
    assert pages["events/loudspeaker-broadcasts-suspended-2025.md"].data_path == "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    assert pages["events/index.md"].data_path is None


def test_home_page_markers_are_filled(project):
    home = pages_of(project)["index.md"].text
    assert "<!-- kb:" not in home
    assert "    - 11 June 2025: [South Korea suspends loudspeaker broadcasts toward the North](events/loudspeaker-broadcasts-suspended-2025.md)" in home


def test_state_of_play_figures_come_from_the_data(project):
    """Each Lee-era policy with its current status, the unanswered offers and the counts, as the data holds them."""
    from kb.site import glance

    dataset = load(project)
    home = pages_of(project)["index.md"].text
    state = glance.glance(dataset)
    assert [p.id for p, _ in state.policies] == ["loudspeaker-halt-2025"]
    assert "    - [Halt of loudspeaker broadcasts toward North Korea](policies/loudspeaker-halt-2025.md): In effect since 11 June 2025" in home
    assert f"{len(state.unanswered)} of the Lee period's offers have had no public answer" in home
    for kind, records in dataset.records.items():
        assert f"[{len(records)} " in home
    assert f"[{len(dataset.records['event'])} events](events/index.md)" in home


def test_rendering_is_deterministic(project):
    first = render_site(load(project), project / "docs").revealed()
    second = render_site(load(project), project / "docs").revealed()
    assert first == second


def test_md_escape_neutralises_markdown_and_html():
    escaped = md_escape('<script>x</script> [a](javascript:b) {: onclick=c } *d* |e')
    assert "<" not in escaped
    assert "\\[a\\](javascript:b)" in escaped
    assert "\\{: onclick=c \\}" in escaped
    assert "\\*d\\*" in escaped and "\\|e" in escaped


def test_markdown_fields_escape_html_and_keep_only_http_links():
    html = markdown_html('<script>alert(1)</script> [ok](https://example.org) [bad](javascript:alert(2)) ![i](https://x/y.png) <img src=x onerror=alert(3)>')
    assert "<script>" not in html and "<img" not in html
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html
    assert "javascript:" not in html.split("<span>bad</span>")[0] and "<span>bad</span>" in html


def test_safe_url_refuses_other_schemes():
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,x") is None
    assert safe_url(" https://example.org/a(b) ") == "https://example.org/a%28b%29"


def test_render_command_writes_markdown(project, tmp_path):
    out = tmp_path / "md"
    result = subprocess.run([sys.executable, "-m", "kb", "render", str(out), "--with-docs"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (out / "events" / "loudspeaker-broadcasts-suspended-2025.md").is_file()
    assert (out / "about.md").is_file()
    assert "<!-- kb:" not in (out / "index.md").read_text()


from hypothesis import given, settings
from hypothesis import strategies as st


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("abc XYZ.,;:'\"()%$@?-+0123456789\t\n*_[]<>&#!|~=`\\/") + ["http://", "이", "é", "    "]), max_size=30).map("".join))
def test_plain_text_shortcut_renders_like_markdown(text):
    from kb.site.text import _md, markdown_html

    _md.reset()
    assert markdown_html(text) == _md.convert(text)


def test_home_page_says_how_far_coverage_reaches(project):
    home = pages_of(project)["index.md"].text
    assert "**Covers events reported through 30 June 2025.** The fixture's editors." in home
    (project / "data" / "coverage.yaml").unlink()
    assert "No coverage date is recorded" in pages_of(project)["index.md"].text


def test_quality_page_marks_months_below_target(project):
    quality = pages_of(project)["quality.md"].text
    assert '<tr class="kb-below-target"><th scope="row">June 2025</th><td>1 (below target)</td>' in quality


def test_months_declared_thin_are_named_with_their_reason(project):
    coverage = project / "data" / "coverage.yaml"
    coverage.write_text(coverage.read_text(encoding="utf-8") + "thin_months:\n  - month: 2025-06\n    reason: Only weak sites.\n", encoding="utf-8")
    pages = pages_of(project)
    assert "- **June 2025:** Only weak sites." in pages["quality.md"].text
    assert "Known to be thin: June 2025 ([why](quality.md#events-per-month-since-the-inauguration))." in pages["index.md"].text


def test_backlinks_carry_the_date_of_the_relation_not_of_the_referring_record(project):
    # The policy changes again later; the event's page must still date the change it made.
    policy = project / "data" / "policies" / "loudspeaker-halt-2025.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("tags:", "  - date: '2025-08-04'\n    status: in-effect\n"
                                                                  "    sources: [kbs-2025-06-11-loudspeakers-suspended]\ntags:"), encoding="utf-8")
    event = pages_of(project)["events/loudspeaker-broadcasts-suspended-2025.md"].text
    section = event.split("## Policy status changes", 1)[1].split("\n## ", 1)[0]
    assert "11 June 2025 · [Halt of loudspeaker broadcasts toward North Korea]" in section
    assert "4 August 2025" not in section


def test_role_backlinks_are_dated_by_the_role(project):
    lee = project / "data" / "actors" / "lee-jae-myung.yaml"
    lee.write_text(lee.read_text(encoding="utf-8").replace("sources: [kbs-2025-06-11-loudspeakers-suspended, ians", "  - title: A later role\n"
                   "    organization: sangsoo-lee\n    start: '2025-09-01'\n    sources: [kbs-2025-06-11-loudspeakers-suspended]\n"
                   "sources: [kbs-2025-06-11-loudspeakers-suspended, ians"), encoding="utf-8")
    actor = pages_of(project)["actors/south-korea.md"].text
    section = actor.split("## People who held roles here", 1)[1].split("\n## ", 1)[0]
    assert "4 June 2025 · [Lee Jae-myung]" in section


def test_tracker_since_is_the_start_of_the_current_run_of_the_same_status(project):
    policy = project / "data" / "policies" / "loudspeaker-halt-2025.yaml"
    policy.write_text(policy.read_text(encoding="utf-8").replace("tags:", "  - date: '2025-08-04'\n    status: in-effect\n"
                                                                  "    sources: [kbs-2025-06-11-loudspeakers-suspended]\ntags:"), encoding="utf-8")
    pages = pages_of(project)
    assert "| [Halt of loudspeaker broadcasts toward North Korea](policies/loudspeaker-halt-2025.md) | 11 June 2025 |" in pages["tracker.md"].text
    assert "**Current status:** In effect since 11 June 2025" in pages["policies/loudspeaker-halt-2025.md"].text
    csv_row = next(line for line in pages["data/policies.csv"].text.splitlines() if line.startswith("loudspeaker-halt-2025,"))
    assert ",in-effect,2025-06-11," in csv_row


def test_generator_refuses_a_record_page_that_replaces_another_page(project):
    """An id 'index' would turn events/index.md (the section index) into a record page, silently."""
    from kb.site.render import PageClash

    event = project / "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    (project / "data/events/index.yaml").write_text(event.read_text(encoding="utf-8").replace(
        "id: loudspeaker-broadcasts-suspended-2025", "id: index"), encoding="utf-8")
    with pytest.raises(PageClash) as clash:
        render_site(load(project), project / "docs")
    assert clash.value.path == "data/events/index.yaml"
    assert "events/index.md" in str(clash.value)
