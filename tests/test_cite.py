"""Cite this page (kb.site.cite): CSL-JSON, BibTeX and RIS for every kind of page, the formatted
citations against citeproc-py itself, head metadata in real builds, and the sitemap with and
without a site URL."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, make_project
from kb.cli import load_checked
from kb.site import cite
from kb.site.render import Renderer, Site, label, render_site

SITE = "Lee Jae-myung's North Korea Policy"
HOSTILE = 'Kim & "Lee" <script>alert(1)</script> "><b> {x}_100% #1 \\ ~^$ 이재명'
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


@pytest.mark.parametrize("kind", ["actors", "policies", "events", "sources", "publishers", "analyses"])
@pytest.mark.parametrize("changed, parts", [("2026-11-03", [2026, 11, 3]), ("2026-11", [2026, 11]), ("2026", [2026])])
def test_csl_item_bibtex_and_ris_of_each_kind(kind, changed, parts):
    entry = cite.item(f"{kind}:x-1", HOSTILE, SITE, changed, f"https://example.org/kb/{kind}/x-1/")
    assert entry["title"] == HOSTILE and entry["type"] == "webpage" and entry["container-title"] == SITE
    assert entry["issued"] == {"date-parts": [parts]}  # the date at its precision, never padded
    assert json.loads(cite.csl_json([entry])) == [entry]

    bib = cite.bibtex(entry)
    assert bib.startswith(f"@online{{{kind}:x-1,\n")
    title = re.search(r"^  title = \{\{(.*)\}\},$", bib, re.MULTILINE).group(1)
    assert title == r'Kim \& "Lee" <script>alert(1)</script> "><b> \{x\}\_100\% \#1 \textbackslash{} \textasciitilde{}\textasciicircum{}\$ 이재명'
    assert f"  date = {{{'-'.join(f'{p:02d}' for p in parts)}}}" in bib
    assert ("  month = {11}" in bib) == (len(parts) > 1)
    assert "  url = {https://example.org/kb/" in bib
    # Every brace that is not an escape is balanced: the entry cannot be closed early by a title.
    unescaped = re.sub(r"\\[{}]", "", bib)
    assert unescaped.count("{") == unescaped.count("}")

    ris = cite.ris(entry).splitlines()
    assert ris[0] == "TY  - ELEC" and ris[-1] == "ER  - "
    assert f"TI  - {HOSTILE}" in ris
    assert f"DA  - {'/'.join([f'{parts[0]:04d}'] + [f'{p:02d}' for p in parts[1:]] + [''] * (3 - len(parts)))}/" in ris
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in ris)


def test_newlines_cannot_forge_a_ris_tag_or_break_a_bibtex_field():
    entry = cite.item("events:x", "one\nER  - \nTY  - JOUR", SITE, "2026-01-02")
    assert sum(line.startswith("ER  -") for line in cite.ris(entry).splitlines()) == 1
    assert "\n  title = {{one ER - TY - JOUR}},\n" in cite.bibtex(entry)


def test_without_a_date_or_url_the_item_leaves_them_out():
    entry = cite.item("timeline", "Timeline", SITE)
    assert "issued" not in entry and "URL" not in entry
    assert "date =" not in cite.bibtex(entry) and "UR  -" not in cite.ris(entry)
    assert "(n.d.)" in cite.Formatter().html(entry, "apa")


@pytest.mark.parametrize("title", [HOSTILE, "Loudspeakers off: the road to talks?", "이재명 and the end of the day.", "an of the"])
@pytest.mark.parametrize("url", ["", "https://example.org/kb/events/x/"])
def test_formatted_citation_is_what_citeproc_gives_for_the_whole_item(title, url):
    """The cached shapes with the title and URL put in give citeproc's own text, escaped."""
    entry = cite.item("events:x", title, SITE, "2026-11-03", url)
    for style in cite.STYLES:
        ours = cite.Formatter().html(entry, style)
        assert ours == cite.citeproc_html(cite._escaped(entry), style), style
        assert "<script>" not in ours and "kbcite" not in ours


@pytest.fixture(scope="module")
def real_renderer():
    dataset, problems = load_checked(ROOT)
    assert problems == []
    renderer = Renderer(dataset, ROOT / "docs", Site(name=SITE, url="https://example.org/kb/", last_changed={"data/events/x.yaml": "2026-01-01"}))
    return renderer, renderer.pages()


def test_every_record_and_view_has_a_citation_and_the_open_data_holds_them(real_renderer):
    renderer, pages = real_renderer
    dataset = renderer.dataset
    for kind, records in dataset.records.items():
        for record in records.values():
            path = f"{record.path.split('/')[1]}/{record.id}.md"
            entry = renderer.citations[path]
            assert entry["title"] == " ".join(label(record).split())
            assert entry["URL"] == f"https://example.org/kb/{path.removesuffix('.md')}/"
    for view in ["timeline.md", "tracker.md", "offers.md", "graph.md", "quality.md", "data.md", "changes.md", "events/index.md"]:
        assert view in renderer.citations, view
    files = pages.revealed()
    assert json.loads(files["data/csl.json"]) == [renderer.citations[p] for p in sorted(renderer.citations)]
    assert files["data/citations.bib"].count("@online{") == len(renderer.citations)
    assert files["data/citations.ris"].count("TY  - ELEC") == len(renderer.citations)
    package = json.loads(files["data/datapackage.json"])
    assert next(r for r in package["resources"] if r["name"] == "page-citations")["path"] == "csl.json"


def test_cite_box_of_a_sample_of_real_pages_matches_citeproc(real_renderer):
    renderer, pages = real_renderer
    files = pages.revealed()
    sample = [next(iter(records.values())) for records in renderer.dataset.records.values() if records]
    for record in sample:
        path = f"{record.path.split('/')[1]}/{record.id}.md"
        entry = renderer.citations[path]
        for style in cite.STYLES:
            expected = cite.citeproc_html(cite._escaped(entry), style).replace('"', "&quot;")
            assert f'id="kb-cite-{style}" data-kb-copy="' in files[path]
            assert expected in files[path], (path, style)


def _build(project: Path, site: Path, url: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in ENV.items() if k != "SITE_URL"}
    if url:
        env["SITE_URL"] = url
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], cwd=project,
                          capture_output=True, text=True, env=env)


def _meta(page: str, name: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"', page)]


HOSTILE_EVENT = """\
id: hostile-title
date: '2025-06'
title: 'Quote " and <script>alert(1)</script> and "><img src=x onerror=alert(2)> 이재명'
type: statement
summary: 'A summary with "quotes" and <b>markup</b>.'
sources: [kbs-2025-06-11-loudspeakers-suspended]
"""


@pytest.fixture(scope="module")
def url_site(tmp_path_factory):
    where = tmp_path_factory.mktemp("cite")
    project = make_project(where)
    (project / "data" / "events" / "hostile-title.yaml").write_text(HOSTILE_EVENT, encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], cwd=project, check=True, env=dict(os.environ, GIT_COMMITTER_DATE="2026-01-02T03:04:05Z"))
    site = where / "site"
    result = _build(project, site, "https://example.org/kb/")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "no site URL" not in result.stderr
    return project, site


def test_every_record_page_has_canonical_citation_and_og_tags_escaped(url_site):
    project, site = url_site
    dataset, _ = load_checked(project)
    for records in dataset.records.values():
        for record in records.values():
            folder = record.path.split("/")[1]
            page = (site / folder / record.id / "index.html").read_text(encoding="utf-8")
            head = page.split("</head>")[0]
            url = f"https://example.org/kb/{folder}/{record.id}/"
            title = " ".join(label(record).split())
            assert f'<link rel="canonical" href="{url}">' in head
            for name in ("citation_title", "DC.title", "og:title"):
                assert _meta(head, name) == [title], (record.path, name)
            assert _meta(head, "citation_public_url") == [url] and _meta(head, "og:url") == [url]
            assert _meta(head, "og:image") == ["https://example.org/kb/assets/kb-card.png"]
            assert _meta(head, "twitter:card") == ["summary_large_image"]
            assert len(_meta(head, "citation_publisher")) == 1 and _meta(head, "DC.language") == ["en"]
    head = (site / "events" / "hostile-title" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "<script>alert" not in head and "<img" not in head and "onerror=alert(2)>" not in head
    assert _meta(head, "og:description") == ['A summary with "quotes" and <b>markup</b>.']


def test_hand_written_pages_get_the_sites_values(url_site):
    _, site = url_site
    head = (site / "about" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert _meta(head, "og:site_name") == [SITE] and _meta(head, "og:type") == ["website"]
    assert _meta(head, "og:url") == ["https://example.org/kb/about/"]
    assert _meta(head, "og:description")[0].startswith("A sourced, cross-linked reference")


def test_sitemap_lists_every_page_with_its_records_date(url_site):
    project, site = url_site
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = dict(re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap))
    # Each edition's sitemap lists its own pages (the Korean edition's is ko/sitemap.xml; each entry
    # names the other edition's page as an hreflang alternate, tested in test_korean.py).
    pages = {p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")} - {"404"}
    english = {p for p in pages if p != "ko" and not p.startswith("ko/")}
    expected = {f"https://example.org/kb/{p}/" if p != "." else "https://example.org/kb/" for p in english}
    assert set(listed) == expected
    korean = dict(re.findall(r"<loc>([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", (site / "ko" / "sitemap.xml").read_text(encoding="utf-8")))
    assert set(korean) == {f"https://example.org/kb/{p}/" for p in pages - english}
    # A record's page and a view are dated by the commit that last changed the data, not the build.
    assert listed["https://example.org/kb/events/hostile-title/"] == "2026-01-02"
    assert listed["https://example.org/kb/timeline/"] == "2026-01-02"
    head = (site / "events" / "hostile-title" / "index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert _meta(head, "citation_date") == ["2026/01/02"] and _meta(head, "DC.date") == ["2026-01-02"]


def test_build_without_a_site_url_passes_and_says_so(tmp_path):
    project = make_project(tmp_path)
    result = _build(project, tmp_path / "site", None)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("kb: no site URL (SITE_URL unset): sitemap.xml lists no pages") == 1
    assert "<url>" not in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    page = (tmp_path / "site" / "events" / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in page and "citation_public_url" not in page
    assert "This build has no site URL" in page


def test_cite_box_links_to_the_open_data_files(url_site):
    _, site = url_site
    for page in ["events/hostile-title/index.html", "timeline/index.html", "events/index.html"]:
        text = (site / page).read_text(encoding="utf-8")
        box = text.split('class="kb-cite"')[1].split("</div>")[0]
        for href in re.findall(r'href="([^"]+)"', box):
            assert (site / Path(page).parent / href).resolve().is_file(), (page, href)
