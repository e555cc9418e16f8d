"""Whole builds with MkDocs: strict on the real data, safe with hostile data, atomic on failure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from htmlscan import Scan
from pagefind_index import indexed_pages, languages

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def mkdocs_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=project, capture_output=True, text=True, env=ENV)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    """The real data/ built strictly once for this module."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "WARNING" not in result.stderr, result.stderr[-3000:]
    return site


def test_strict_build_of_the_real_data(real_site):
    assert (real_site / "index.html").is_file()
    assert (real_site / "events" / "index.html").is_file()
    assert (real_site / "actors" / "lee-jae-myung" / "index.html").is_file()


def test_every_record_has_a_page(real_site):
    for kind in ["actors", "policies", "events", "sources", "analyses"]:
        for file in (ROOT / "data" / kind).glob("*.yaml"):
            assert (real_site / kind / file.stem / "index.html").is_file(), file


def test_navigation_lists_sections_not_records(real_site):
    home = (real_site / "index.html").read_text(encoding="utf-8")
    nav_links = [href for href in Scan(home).links() if href.startswith(("actors/", "events/", "policies/", "sources/", "analyses/"))]
    assert "events/" in nav_links
    # Record pages are linked from the home page's "latest events" list, never from the menu:
    # the menu stays the same size however many records there are.
    event_page = (real_site / "events" / "index.html").read_text(encoding="utf-8")
    menu = event_page.split('<nav class="md-nav md-nav--primary')[1].split('<div class="md-content"')[0]
    assert "about/" in menu  # the menu is there...
    assert "lee-jae-myung" not in menu  # ...and holds no record


def test_edit_link_opens_the_yaml_file(real_site):
    page = (real_site / "actors" / "lee-jae-myung" / "index.html").read_text(encoding="utf-8")
    edits = [href for tag, attrs in Scan(page).tags if tag == "a" and attrs.get("title") == "Edit this page" for href in [attrs["href"]]]
    assert edits and edits[0].endswith("/edit/main/data/actors/lee-jae-myung.yaml")
    about = (real_site / "about" / "index.html").read_text(encoding="utf-8")
    assert any(href.endswith("/edit/main/docs/about.md") for href in Scan(about).links())


def test_no_request_to_other_hosts_for_fonts_or_scripts(real_site):
    page = Scan((real_site / "index.html").read_text(encoding="utf-8"))
    for tag, attrs in page.tags:
        if tag in ("script", "link", "img"):
            url = attrs.get("src") or (attrs.get("href") if tag == "link" else "") or ""
            assert not url.startswith(("http://", "https://", "//")), (tag, url)


HOSTILE = """\
id: hostile
date: '2025-06'
title: '<script>alert("t")</script> <img src=x onerror=alert(1)> [a](javascript:alert(2)) {: onclick=alert(3) }'
type: other
summary: |
  <script>alert("s")</script> [b](javascript:alert(4)) <svg onload=alert(5)>
  [c]: javascript:alert(8)
  <a href="javascript:alert(9)">d</a> ![e](javascript:alert(10))
place: '<b onmouseover=alert(6)>x</b>'
actors:
  - actor: lee-jae-myung
    role: '"><script>alert(7)</script>'
tags: ['border']
notes:
  - text: '<iframe src="javascript:alert(11)"></iframe>'
    sources: [kbs-2025-06-11-loudspeakers-suspended]
sources: [kbs-2025-06-11-loudspeakers-suspended]
"""


def test_html_and_script_in_data_are_never_executable(tmp_path):
    project = make_project(tmp_path)
    (project / "data" / "events" / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in ["events/hostile/index.html", "actors/lee-jae-myung/index.html", "events/index.html", "index.html"]:
        scan = Scan((site / page).read_text(encoding="utf-8"))
        assert scan.event_handlers() == [], page
        assert scan.unsafe_urls() == [], page
        assert not any("alert(" in body for body in scan.scripts), page
        assert not any(tag in ("iframe", "object", "embed") for tag, _ in scan.tags), page
    text = (site / "events" / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&quot;t&quot;)" in text.split("</title>")[0]  # shown as text in the title


def test_failed_build_leaves_previous_site_untouched(tmp_path):
    project = make_project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "marker.html").write_text("previous build")
    (project / "data" / "events" / "broken.yaml").write_text("id: broken\ndate: '2025-02-30'\n", encoding="utf-8")
    for command in ([sys.executable, "-m", "kb", "build"], [sys.executable, "-m", "mkdocs", "build", "--strict"]):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=ENV)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr
        assert "data/events/broken.yaml:2:7: date: '2025-02-30' is not a real day: February 2025 has 28 days" in result.stderr
        assert sorted(p.name for p in site.iterdir()) == ["marker.html"]
        assert (site / "marker.html").read_text() == "previous build"


def test_kb_build_replaces_site_on_success(tmp_path):
    project = make_project(tmp_path)
    site = project / "site"
    site.mkdir()
    (site / "stale.html").write_text("old")
    result = subprocess.run([sys.executable, "-m", "kb", "build"], cwd=project, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not (site / "stale.html").exists()
    assert (site / "events" / "loudspeaker-broadcasts-suspended-2025" / "index.html").is_file()
    assert not list(project.glob(".site-*"))  # no staging folders left behind


EVENT_TYPE = "announcement"  # of the fixture's loudspeaker-broadcasts-suspended-2025, '-' shown as ' '


def test_kb_build_writes_the_pagefind_index_and_no_lunr_index(tmp_path):
    project = make_project(tmp_path)
    result = subprocess.run([sys.executable, "-m", "kb", "build"], cwd=project, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    assert not (site / "search").exists()  # Material's search plugin is off: no search_index.json
    assert languages(site) == {"en", "ko"}  # one index per edition, by <html lang>
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):  # served by the site, no CDN
        assert (site / "pagefind" / name).is_file(), name
    pages = indexed_pages(site)
    event = pages["/events/loudspeaker-broadcasts-suspended-2025/"]
    assert event["filters"] == {"kind": ["Event"], "year": ["2025"], "event type": [EVENT_TYPE]}
    assert event["meta"]["kind"] == "Event" and event["meta"]["date"].endswith("2025")
    assert "¶" not in event["meta"]["title"] and "¶" not in event["content"]  # permalinks left out
    # Record pages and hand-written pages are indexed; lists that repeat them are not.
    assert "/actors/lee-jae-myung/" in pages and "/about/" in pages
    assert not {"/events/", "/actors/", "/timeline/", "/tracker/", "/tags/"} & set(pages)
    assert "/ko/actors/lee-jae-myung/" in pages and not {"/ko/events/", "/ko/timeline/"} & set(pages)
    assert not list(project.glob(".pagefind-*")) and not list(project.glob(".site-*"))


def test_search_index_failure_is_one_line_and_leaves_the_site(tmp_path):
    from kb.site import search_index

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>no body tag: still HTML</p>")
    original = search_index.EXCLUDED
    try:
        search_index.EXCLUDED = "<<not a selector"  # Pagefind refuses it
        with pytest.raises(search_index.IndexFailed) as failure:
            search_index.index_site(site)
    finally:
        search_index.EXCLUDED = original
    assert "\n" not in str(failure.value)
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert not list(tmp_path.glob(".pagefind-*"))


# Material's lines that each override replaces: the first one, and the line after the last.
REPLACED = {"header.html": ('{% if "material/search" in config.plugins %}', "{% if config.repo_url %}"),
            "content.html": ("{{ page.content }}", '{% include "partials/source-file.html" %}')}


@pytest.mark.parametrize("name", sorted(REPLACED))
def test_template_overrides_are_materials_but_for_the_marked_lines(name):
    """overrides/partials/ copies two of Material's partials to change a few lines (marked "kb:");
    an upgrade of Material that changes the originals must be noticed here and merged by hand."""
    import material

    def without(text: str, first: str, after: str) -> list[str]:
        lines = [line.strip() for line in text.split("-#}\n", 1)[1].splitlines()]  # after the heading comment
        start = next(n for n, line in enumerate(lines) if line.startswith(first))
        return lines[:start] + lines[lines.index(after, start):]

    first, after = REPLACED[name]
    ours = (ROOT / "overrides" / "partials" / name).read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates" / "partials" / name).read_text(encoding="utf-8")
    assert without(ours, "{#- kb:", after) == without(theirs, first, after)
    assert ("kb-search" if name == "header.html" else "data-pagefind-body") in ours
