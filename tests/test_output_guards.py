"""The last guards in the published files: CSV cells cannot run as spreadsheet formulas, and the
Atom feeds stay well-formed XML whatever characters reached the data (kb check refuses them first)."""

from __future__ import annotations

import csv
import io
from xml.dom import minidom
from xml.etree import ElementTree

from kb.site.changelog import Changelog, Commit
from kb.model.load import load
from kb.site.publish import FORMULA_START, _safe_cell, atom_feed, changes_feed, csv_text, xml_safe

HOSTILE = "A \ufffe\uffff\x00\x01\x08\x0b\x0c\x1b[2K\x7f\x85\x9b\ud800\U0001fffe\U0010ffff\ufdd0 title & <b>"


def test_csv_cells_that_would_be_formulas_get_an_apostrophe(project):
    dataset = load(project)
    event = next(iter(dataset.records["event"].values()))
    event.data["title"] = '=HYPERLINK("https://evil.example","click")'
    event.data["summary"] = "-2+3"
    event.data["place"] = "@SUM(A1)"
    rows = list(csv.DictReader(io.StringIO(csv_text(dataset, "event"))))
    assert rows[0]["title"] == "'" + event.data["title"]
    assert rows[0]["summary"] == "'-2+3" and rows[0]["place"] == "'@SUM(A1)"
    assert rows[0]["date"] == "2025-06-11"  # dates never start with a formula character
    for kind in ("actor", "policy", "event", "source", "publisher", "analysis"):
        for row in csv.reader(io.StringIO(csv_text(dataset, kind))):
            assert not any(cell.startswith(FORMULA_START) for cell in row)


def test_tab_and_carriage_return_starts_are_neutralised():
    assert _safe_cell("\t=1+1") == "'\t=1+1" and _safe_cell("\r=1") == "'\r=1"
    assert _safe_cell("2025-06-11") == "2025-06-11" and _safe_cell(3) == "3" and _safe_cell(None) == ""


def test_feeds_parse_with_noncharacters_and_control_characters_in_the_data(project):
    dataset = load(project)
    event = next(iter(dataset.records["event"].values()))
    event.data["title"] = HOSTILE
    event.data["summary"] = HOSTILE
    feed = atom_feed(dataset, "https://example.org/kb/", "KB \ufffe")
    root = ElementTree.fromstring(feed)
    minidom.parseString(feed.encode("utf-8"))
    title = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
    assert title == "A [2K title & <b>"


def test_changes_feed_parses_with_hostile_commit_subjects(project):
    log = Changelog(commits=[Commit(sha="a" * 40, date="2025-06-11", subject=HOSTILE, corrections=(HOSTILE,), records=())])
    feed = changes_feed(log, "", "KB")
    minidom.parseString(feed.encode("utf-8"))
    assert ElementTree.fromstring(feed).find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text == "A [2K title & <b>"
    assert xml_safe(HOSTILE) == "A [2K title & <b>"
