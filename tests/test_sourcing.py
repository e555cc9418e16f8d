"""The publisher registry: hosts name the publisher, classes decide what may be cited, and the pages
show who published every source. The rules' exact messages are in tests/broken/ (source-*, publisher-*)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from kb.model import sourcing
from kb.model.load import load
from kb.site.render import render_site
from kb.model.validate import validate


def write(project, folder, name, text, kind):
    (project / "data" / folder).mkdir(exist_ok=True)
    (project / "data" / folder / f"{name}.yaml").write_text(
        f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n{text}\n", encoding="utf-8")


def pages_of(project):
    dataset = load(project)
    assert validate(dataset, project) == []
    return render_site(dataset, project / "docs").revealed()


def test_most_specific_host_names_the_publisher(project):
    write(project, "publishers", "kbs", "id: kbs\nname: KBS\nhosts: [kbs.co.kr]\nkind: broadcaster\nreliability: reliable\nreason: Test.", "publisher")
    dataset = load(project)
    owners = sourcing.host_index(dataset)
    assert sourcing.owner_of("https://world.kbs.co.kr/x", owners).id == "kbs-world"
    assert sourcing.owner_of("https://news.kbs.co.kr/x", owners).id == "kbs"
    assert sourcing.owner_of("https://kbs.co.kr.evil.example/x", owners) is None
    assert sourcing.owner_of("https://notkbs.co.kr/x", owners) is None


def test_role_start_equal_to_its_sources_date_is_a_warning_not_an_error(project):
    path = project / "data" / "actors" / "lee-jae-myung.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("start: '2025-06-04'", "start: '2025-06-11'"), encoding="utf-8")
    dataset = load(project)
    assert validate(dataset, project) == []
    assert [str(w) for w in dataset.warnings] == [
        "data/actors/lee-jae-myung.yaml:14:12: warning: roles[0].start: equals the publication date of "
        "kbs-2025-06-11-loudspeakers-suspended; if that article only mentions the role, write the date as 'attested' instead"]
    # Saying when the role is attested answers the warning.
    path.write_text(path.read_text(encoding="utf-8").replace("start: '2025-06-11'", "attested: '2025-06-11'"), encoding="utf-8")
    dataset = load(project)
    assert validate(dataset, project) == [] and dataset.warnings == []


def test_check_prints_warnings_and_still_passes(project):
    path = project / "data" / "actors" / "lee-jae-myung.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("start: '2025-06-04'", "start: '2025-06-11'"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kb", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0
    assert "warning: roles[0].start" in result.stderr and "data/ is valid (1 warnings)" in result.stdout


def test_publisher_page_lists_its_sources_with_the_records_citing_them(project):
    pages = pages_of(project)
    page = pages["publishers/kbs-world.md"]
    assert "# KBS World" in page and "**Class:** Reliable: cited for facts." in page
    assert "| 11 June 2025 | [Pres. Lee Orders Loudspeaker Broadcasts" in page
    assert "[South Korea suspends loudspeaker broadcasts toward the North](../events/loudspeaker-broadcasts-suspended-2025.md)" in page
    # The wire agency's page lists the copies of its reports.
    assert "## Copies of its reports published elsewhere" in pages["publishers/ians.md"]
    index = pages["publishers/index.md"]
    assert "| [KBS World](kbs-world.md) |" in index and "| reliable | 1 |" in index


def test_sources_index_is_grouped_by_publisher(project):
    index = pages_of(project)["sources/index.md"]
    groups = index.split("\n## Cite this page")[0]  # every generated page ends with its citation
    headings = [line for line in groups.splitlines() if line.startswith("## ")]
    assert headings == ["## KBS World", "## Lokmat Times", "## Right Leading Future"]
    assert "[About this publisher](../publishers/kbs-world.md)" in index


def test_footnotes_name_the_publisher_and_mark_attributed_only_sources(project):
    write(project, "publishers", "kcna", "id: kcna\nname: Korean Central News Agency\nhosts: [kcna.kp]\nkind: state-media\n"
          "reliability: attributed-only\nreason: State media.", "publisher")
    write(project, "sources", "kcna-statement", "id: kcna-statement\ntitle: Press statement of Kim Yo Jong\npublisher: kcna\n"
          "url: http://www.kcna.kp/en/article/1\npublished: '2025-06-12'\nlanguage: en\nkind: statement", "source")
    write(project, "events", "statement-2025", "id: statement-2025\ndate: '2025-06-12'\ntitle: Kim Yo-jong answers\ntype: statement\n"
          "summary: A test.\naccording_to: kcna\nsources: [kcna-statement]", "event")
    page = pages_of(project)["events/statement-2025.md"]
    assert "**According to [Korean Central News Agency](../publishers/kcna.md):** this event is known only from its reports" in page
    assert ("[^1]: Korean Central News Agency, 12 June 2025, [Press statement of Kim Yo Jong](http://www.kcna.kp/en/article/1)."
            " *Cited only as this publisher's own account*.") in page


def test_korean_headline_shows_its_translation(project):
    write(project, "sources", "kbs-korean", "id: kbs-korean\ntitle: 대북 확성기 방송 중단\ntitle_en: Loudspeaker broadcasts to the North halted\n"
          "publisher: kbs-world\nurl: https://world.kbs.co.kr/k/1\nlanguage: ko\nkind: news", "source")
    path = project / "data" / "events" / "loudspeaker-broadcasts-suspended-2025.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("ians-2025-06-11-loudspeakers-suspended]", "ians-2025-06-11-loudspeakers-suspended, kbs-korean]"), encoding="utf-8")
    pages = pages_of(project)
    assert "[대북 확성기 방송 중단](https://world.kbs.co.kr/k/1) (English: Loudspeaker broadcasts to the North halted)." in pages["events/loudspeaker-broadcasts-suspended-2025.md"]
    assert "| Headline in English | Loudspeaker broadcasts to the North halted |" in pages["sources/kbs-korean.md"]


@pytest.fixture(scope="module")
def real():
    dataset = load(ROOT)
    return dataset, validate(dataset, ROOT)


def test_real_data_passes_the_registry_rules(real):
    dataset, problems = real
    assert problems == []


def test_real_data_meets_the_sourcing_targets(real):
    dataset, _ = real
    sources = dataset.records["source"].values()
    classes = {s.id: sourcing.reliability(dataset, s.id) for s in sources}
    assert "not-a-source" not in classes.values()
    # Copies of a wire story (each with its reason) stay the exception: at most one source in twenty.
    assert sum(1 for s in sources if s.data.get("via")) <= len(sources) / 20
    for event in dataset.records["event"].values():
        reliable = [s for s in event.data["sources"] if classes.get(s) == "reliable"]
        assert reliable or event.data.get("according_to"), f"{event.path}: no reliable source"


def test_a_title_not_seen_on_the_page_says_so_wherever_it_is_cited(project):
    path = project / "data" / "sources" / "kbs-2025-06-11-loudspeakers-suspended.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("publisher: kbs-world", "title_status: from-url\npublisher: kbs-world"), encoding="utf-8")
    pages = pages_of(project)
    assert "to be Suspended from 2 PM Wed.](http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=193724) (headline as spelled in the page's address)." in pages["events/loudspeaker-broadcasts-suspended-2025.md"]
    assert "| About the title | Headline as spelled in the page's address: the stored copy of the page did not show the headline. |" in pages["sources/kbs-2025-06-11-loudspeakers-suspended.md"]
    assert "(headline as spelled in the page's address)" in pages["quality.md"].split("### Titles not seen on the page", 1)[1]
