"""The Korean edition: every page in Korean under ko/, linked both ways, with translations that
cannot go stale unnoticed and English shown under a notice where the Korean is missing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from test_build import mkdocs_build
from kb.engines import editions
from kb.model import dates
from kb.model.load import load
from kb.site.messages import FOLDER, LANGUAGES, Messages
from kb.site.render import render_site, Site

EVENT = "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
EVENT_PAGE = "events/loudspeaker-broadcasts-suspended-2025.md"
# Pages whose text is mostly what the data or git holds in English on purpose: source titles as
# published, commit subjects, the schemas' field descriptions, publishers' names.
ENGLISH_BY_NATURE = ("sources/", "publishers/", "changes/", "data/", "tags/", "contributing/")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def run_kb(project, *args):
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=project, capture_output=True, text=True)


def flat(tree, prefix=""):
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


# The catalogues ---------------------------------------------------------------------------------

def test_catalogues_have_the_same_keys_and_placeholders():
    trees = {lang: flat(yaml.safe_load((FOLDER / f"{lang}.yaml").read_text(encoding="utf-8"))) for lang in LANGUAGES}
    assert trees["en"].keys() == trees["ko"].keys()
    for key, english in trees["en"].items():
        if isinstance(english, str) and not key.startswith("dates."):  # date forms choose their own parts
            assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", trees["ko"][key])), key


def test_every_value_the_schemas_allow_has_a_label_in_every_language():
    sections = {("event", "type"): "event_type", ("policy", "status"): "status", ("actor", "kind"): "actor_kind",
                ("actor", "country"): "country", ("publisher", "kind"): "publisher_kind", ("source", "kind"): "source_kind",
                ("publisher", "reliability"): "reliability", ("source", "title_status"): "title_status"}
    schemas = {kind: json.loads((ROOT / "data" / "schemas" / f"{kind}.schema.json").read_text()) for kind, _ in sections}
    nested = {"status": schemas["policy"]["properties"]["status"]["items"]["properties"]["status"]["enum"]}
    for lang in LANGUAGES:
        messages = Messages(lang)
        for (kind, field), section in sections.items():
            spec = schemas[kind]["properties"][field]
            values = nested.get(section) if "enum" not in spec else spec["enum"]
            assert all(messages.word(section, v) for v in values), (lang, section)


def test_dates_are_written_the_korean_way():
    ko, en = Messages("ko"), Messages("en")
    assert ko.date(dates.parse("2025-06-11")) == "2025년 6월 11일"
    assert ko.date(dates.parse("2025-06")) == "2025년 6월"
    assert ko.date(dates.parse("2025")) == "2025년"
    assert en.date(dates.parse("2025-06-11")) == "11 June 2025"


# The built site ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("real-ko") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def english_pages(site: Path) -> list[str]:
    out = []
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if not rel.startswith(("ko/", "assets/", "search/")):
            out.append(rel)
    return out


def article_text(html: str) -> str:
    body = re.search(r"<article[^>]*>(.*)</article>", html, re.S)
    body = body.group(1) if body else html
    body = re.sub(r'<div class="footnote">.*', "", body, flags=re.S)  # source titles stay as published
    body = re.sub(r"<(script|code|pre)[^>]*>.*?</\1>", "", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate\s*" hreflang="([\w-]+)" href="([^"]*)"', html))


def test_every_english_page_has_a_korean_page_linked_both_ways(real_site):
    pages = english_pages(real_site)
    assert len(pages) > 1000 and "404.html" in pages
    for rel in pages:
        english = (real_site / rel).read_text(encoding="utf-8")
        korean_file = real_site / "ko" / rel
        assert korean_file.is_file(), rel
        korean = korean_file.read_text(encoding="utf-8")
        assert '<html lang="ko"' in korean and '<html lang="en"' in english, rel
        if rel == "404.html":
            continue  # served at any address: its links cannot be relative to one page
        here = (real_site / rel).parent
        there = korean_file.parent
        # hreflang both ways, each pointing at the other edition's copy of this very page
        assert (here / alternates(english)["ko"]).resolve() == there.resolve(), rel
        assert (there / alternates(korean)["en"]).resolve() == here.resolve(), rel
        assert alternates(korean)["x-default"] == alternates(korean)["en"], rel
        assert 'class="kb-language"' in korean and 'hreflang="en" lang="en">English</a>' in korean, rel


def test_korean_pages_are_mostly_hangul(real_site):
    thin = []
    for rel in english_pages(real_site):
        if rel.startswith(ENGLISH_BY_NATURE) or rel == "404.html":
            continue
        words = re.findall(r"\w+", article_text((real_site / "ko" / rel).read_text(encoding="utf-8")))
        hangul = sum(1 for w in words if HANGUL.search(w))
        latin = sum(1 for w in words if re.fullmatch(r"[A-Za-z]+", w))
        if hangul <= latin:
            thin.append((rel, hangul, latin))
    assert thin == []
    korean_404 = (real_site / "ko" / "404.html").read_text(encoding="utf-8")
    assert "페이지를 찾을 수 없습니다" in korean_404


def test_korean_interface_title_and_navigation(real_site):
    home = (real_site / "ko" / "index.html").read_text(encoding="utf-8")
    assert "<title>홈 - 이재명 정부의 대북정책</title>" in home
    assert ">연표<" in home and ">정책 추적<" in home  # the navigation in Korean
    assert 'class="kb-search__label">검색<' in home  # Material's own interface strings, from theme.language: ko
    event = (real_site / "ko" / "events" / "loudspeaker-broadcasts-suspended-2025" / "index.html").read_text(encoding="utf-8")
    assert "2025년 6월 11일" in event and "June" not in article_text(event)


def test_the_english_edition_is_unchanged_in_english(real_site):
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in home and re.search(r"<title>[^<]*Lee Jae-myung", home)
    assert 'hreflang="ko" lang="ko">한국어</a>' in home
    # open data and feeds are published once, by the first edition; the Korean data page links there
    assert (real_site / "data" / "events.json").is_file() and not (real_site / "ko" / "data" / "events.json").exists()
    korean_data = (real_site / "ko" / "data" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../data/events.json"' in korean_data


# Translations that go stale, and records without Korean -------------------------------------------

def korean_page(project) -> str:
    return render_site(load(project), project / "docs-ko", Site(last_changed=_last_changed(project)), "ko").revealed()[EVENT_PAGE]


def _last_changed(project):
    from kb.site.history import last_changed
    return last_changed(project)


def git(project, *args):
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
                        "GIT_AUTHOR_DATE": "2026-03-04T12:00:00", "GIT_COMMITTER_DATE": "2026-03-04T12:00:00", "PATH": "/usr/bin:/bin"})


def test_a_record_without_korean_shows_its_english_under_a_notice(project):
    page = korean_page(project)
    assert "아직 한국어 번역이 없습니다" in page
    english = yaml.safe_load((project / EVENT).read_text(encoding="utf-8"))
    assert english["title"] in page and english["summary"].split(".")[0] in page  # never an empty page
    assert "**날짜:** 2025년 6월 11일" in page  # the labels are Korean all the same


def test_a_stale_translation_is_warned_and_noticed_until_marked_current(project):
    path = project / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace(
        "sources: [kbs", "ko:\n  title: 한국, 대북 확성기 방송 중단\n  summary: 이 대통령의 지시로 군이 오후 2시부터 확성기 방송을 멈췄다.\n  place: 접경 지역\nsources: [kbs"),
        encoding="utf-8")
    assert run_kb(project, "translate-mark", EVENT).returncode == 0
    page = korean_page(project)
    assert "# 한국, 대북 확성기 방송 중단" in page and "이 대통령의 지시로" in page
    assert "번역" not in page.split("**날짜:**")[0]  # current: no notice above the text
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "data")
    # The English changes after the translation was confirmed.
    path.write_text(path.read_text(encoding="utf-8").replace("from 2 p.m.", "from 2 p.m. on 11 June"), encoding="utf-8")
    git(project, "commit", "-qam", "correct the time")
    check = run_kb(project, "check")
    assert check.returncode == 0 and f"{EVENT}:" in check.stderr + check.stdout and "warning: ko:" in check.stderr + check.stdout
    assert run_kb(project, "check", "--strict-translations").returncode == 1
    page = korean_page(project)
    assert "이 번역은 영어 원문의 최근 변경(2026년 3월 4일) 이전에 작성되었습니다" in page
    quality = render_site(load(project), project / "docs-ko", Site(), "ko").revealed()["quality.md"]
    assert "낡은 번역(사건): [한국, 대북 확성기 방송 중단]" in quality
    english_quality = render_site(load(project), project / "docs", Site()).revealed()["quality.md"]
    assert "Out of date (Events): [South Korea" in english_quality or "Out of date (Events): [" in english_quality
    assert "Missing (Actors):" in english_quality  # the mini data's actors have no Korean
    # An editor updates or confirms the Korean: the warning and the notice go.
    assert run_kb(project, "translate-mark", EVENT).returncode == 0
    check = run_kb(project, "check")
    assert "warning: ko:" not in check.stderr + check.stdout
    assert "이 번역은 영어 원문의 최근 변경" not in korean_page(project)


def test_edition_settings_translate_the_navigation_only():
    config = editions.read_config(ROOT)
    korean = editions.settings("ko", config, "https://example.org/kb/")
    assert korean["theme"]["language"] == "ko" and korean["site_url"] == "https://example.org/kb/ko/"
    assert korean["nav"][0] == {"홈": "index.md"} and korean["docs_dir"] == "docs-ko"
    assert editions.settings("en", config) == {}
    assert sorted(p.name for p in (ROOT / "docs-ko").glob("*.md")) == sorted(p.name for p in (ROOT / "docs").glob("*.md"))


def test_with_a_site_url_each_sitemap_lists_both_editions(project, tmp_path):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url: !ENV SITE_URL", "site_url: https://example.org/kb/", 1), encoding="utf-8")
    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-2000:]
    english, korean = (site / "sitemap.xml").read_text(encoding="utf-8"), (site / "ko" / "sitemap.xml").read_text(encoding="utf-8")
    page = "events/loudspeaker-broadcasts-suspended-2025/"
    for sitemap in (english, korean):
        assert f'hreflang="en" href="https://example.org/kb/{page}"' in sitemap
        assert f'hreflang="ko" href="https://example.org/kb/ko/{page}"' in sitemap
    assert f"<loc>https://example.org/kb/{page}</loc>" in english and f"<loc>https://example.org/kb/ko/{page}</loc>" in korean
    html = (site / "ko" / page / "index.html").read_text(encoding="utf-8")
    assert alternates(html)["en"] == f"https://example.org/kb/{page}"
