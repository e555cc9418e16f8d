"""Contributor tools: `new`, `fmt`, `diff`, GitHub annotations, and the workflows' shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_project
from kb.tools.fmt import format_text

KB = [sys.executable, "-m", "kb"]


def kb(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*KB, *args], cwd=project, capture_output=True, text=True, input=stdin)


# --- new ------------------------------------------------------------------------------------

def test_new_event_writes_a_valid_file_with_a_free_id(project):
    args = ["new", "event", "--date", "2025-06-12", "--title", "North Korea halts its noise broadcasts",
            "--type", "announcement", "--summary", "The North stopped its own broadcasts.",
            "--actors", "lee-jae-myung", "--sources", "kbs-2025-06-11-loudspeakers-suspended"]
    first = kb(project, *args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "data/events/north-korea-halts-its-noise-broadcasts-2025.yaml"
    second = kb(project, *args)
    assert second.stdout.strip() == "data/events/north-korea-halts-its-noise-broadcasts-2025-2.yaml"
    text = (project / first.stdout.strip()).read_text()
    assert text.startswith("# yaml-language-server: $schema=../schemas/event.schema.json\n")
    assert "date: '2025-06-12'" in text
    assert kb(project, "check").returncode == 0
    assert kb(project, "fmt", "--check").returncode in (0, 1)  # the fixture itself may not be canonical
    assert kb(project, "fmt", "--check", first.stdout.strip()).returncode == 0


@pytest.mark.parametrize("kind, args", [
    ("source", ["--url", "https://world.kbs.co.kr/a", "--title", "A: headline", "--publisher", "kbs-world", "--published", "2025-06",
                "--language", "en", "--kind", "news"]),
    ("publisher", ["--name", "Test Agency", "--hosts", "test-agency.example", "--kind", "wire-agency", "--reliability", "reliable",
                   "--reason", "A test."]),
    ("actor", ["--name", "Test Person", "--summary", "A test.", "--sources", "kbs-2025-06-11-loudspeakers-suspended"]),
    ("policy", ["--title", "A test policy", "--owners", "lee-jae-myung", "--summary", "A test.", "--status", "announced",
                "--date", "2025-06", "--sources", "kbs-2025-06-11-loudspeakers-suspended"]),
    ("analysis", ["--title", "A test analysis", "--authors", "sangsoo-lee", "--date", "2025", "--summary", "A test.",
                  "--claims", "One claim.", "--claims", "Another.", "--sources", "sangsoo-lee-2025-lee-engagement"]),
])
def test_new_record_of_each_kind_is_valid(project, kind, args):
    result = kb(project, "new", kind, *args)
    assert result.returncode == 0, result.stderr
    assert (project / result.stdout.strip()).is_file()
    check = kb(project, "check")
    assert check.returncode == 0, check.stderr


def test_new_names_missing_fields_and_bad_dates(project):
    result = kb(project, "new", "event", "--title", "x", stdin="")
    assert result.returncode == 2
    assert "missing --date: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source" in result.stderr
    result = kb(project, "new", "event", "--title", "x", "--date", "2025-02-30", "--type", "other",
                "--summary", "s", "--sources", "x", stdin="")
    assert result.returncode == 2
    assert "--date: '2025-02-30' is not a real day: February 2025 has 28 days" in result.stderr


# --- fmt ------------------------------------------------------------------------------------

def test_fmt_orders_keys_quotes_dates_and_keeps_comments():
    text = "title: T  # from the headline\nid: x\ndate: 2025-06-11\ntype: other\nsummary: S\nsources:\n  - a  # first\n  - b\ntags: [a,\n  b]\n"
    out = format_text(text, "event", ROOT)
    assert out.splitlines()[:4] == ["# yaml-language-server: $schema=../schemas/event.schema.json",
                                    "id: x", "date: '2025-06-11'", "title: T  # from the headline"]
    assert "tags: [a, b]\n" in out
    assert "  - a  # first\n" in out
    assert format_text(out, "event", ROOT) == out


def test_fmt_check_names_files_and_fmt_fixes_them(project):
    result = kb(project, "fmt", "--check")
    assert result.returncode == 1
    assert "data/events/loudspeaker-broadcasts-suspended-2025.yaml:1:1: not in canonical form" in result.stderr
    files = sorted(p for p in (project / "data").rglob("*.yaml") if "schemas" not in p.parts)
    before = [_plain(yaml.safe_load(p.read_text())) for p in files]
    assert kb(project, "fmt").returncode == 0
    assert kb(project, "fmt", "--check").returncode == 0
    assert [_plain(yaml.safe_load(p.read_text())) for p in files] == before  # same meaning
    assert kb(project, "check").returncode == 0


def test_every_real_data_file_round_trips_through_fmt():
    for kind, folder in [("actor", "actors"), ("policy", "policies"), ("event", "events"), ("source", "sources"), ("analysis", "analyses")]:
        for file in sorted((ROOT / "data" / folder).glob("*.yaml")):
            text = file.read_text(encoding="utf-8")
            out = format_text(text, kind, ROOT)
            assert _plain(yaml.load(out, Loader=yaml.CSafeLoader)) == _plain(yaml.load(text, Loader=yaml.CSafeLoader)), file
            assert format_text(out, kind, ROOT) == out, file


def _plain(value):
    """Dates as text, as the build reads them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# --- annotations ------------------------------------------------------------------------------

def test_check_github_prints_annotations(project):
    (project / "data" / "events" / "broken.yaml").write_text("id: broken\ndate: '2025-02-30'\n")
    result = kb(project, "check", "--github")
    assert result.returncode == 1
    assert "::error file=data/events/broken.yaml,line=2,col=7::date: '2025-02-30' is not a real day: February 2025 has 28 days" in result.stdout.splitlines()


# --- diff -------------------------------------------------------------------------------------

def git(project: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)


def first_commit(project: Path) -> None:
    """A git repository whose one commit holds the project's data, as the base of a change."""
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "data")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")


def test_diff_on_a_two_commit_history(tmp_path):
    project = make_project(tmp_path)
    first_commit(project)
    # Second commit: one event re-dated, one policy status added, one source added, one actor removed.
    event = project / "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    event.write_text(event.read_text().replace("date: '2025-06-11'", "date: '2025-06'"))
    policy = project / "data/policies/loudspeaker-halt-2025.yaml"
    policy.write_text(policy.read_text().replace("tags:", "  - date: '2025-08-04'\n    status: ended\n    sources: [kbs-2025-06-11-loudspeakers-suspended]\ntags:"))
    assert kb(project, "new", "source", "--url", "https://world.kbs.co.kr/n", "--title", "New report",
              "--publisher", "kbs-world", "--published", "2025-08-04", "--language", "en", "--kind", "news").returncode == 0
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A", "data")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "second")
    result = kb(project, "diff", "HEAD~1")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "**1 added, 2 changed, 0 removed**" in out
    # Values from the data are code spans: no title can add markup to the summary.
    assert "- source `kbs-world-2025-08-04-new-report`: `New report` (`2025-08-04`)" in out
    assert "- event `loudspeaker-broadcasts-suspended-2025`: date `2025-06-11` → `2025-06`" in out
    assert "- policy `loudspeaker-halt-2025`: status `in-effect` since `2025-06-11` → `ended` since `2025-08-04`" in out
    assert "### New sources" in out and "`https://world.kbs.co.kr/n`" in out
    assert "Schemas changed" not in out
    assert "No record was added" in kb(project, "diff", "HEAD").stdout
    bad = kb(project, "diff", "no-such-ref")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


# --- workflows ------------------------------------------------------------------------------

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_least_privilege_and_pinned(path):
    text = path.read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow.get(True) or workflow.get("on")  # YAML 1.1 reads the key `on` as true
    assert "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        assert "runs-on" in job and job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), (name, step)
            if "uses" in step:
                action, _, ref = step["uses"].partition("@")
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), f"{action} is not pinned to a commit"
            if "run" in step:
                assert "${{" not in step["run"], f"{name}: expressions in run: go through env: instead"
    assert text.count("${{") == text.count("}}")


def test_new_event_can_answer_an_earlier_one(project):
    base = ["new", "event", "--date", "2025-06-20", "--title", "North Korea rejects the halt", "--type", "statement",
            "--summary", "A test.", "--sources", "kbs-2025-06-11-loudspeakers-suspended",
            "--responds_to", "loudspeaker-broadcasts-suspended-2025"]
    missing = kb(project, *base)
    assert missing.returncode == 2 and "missing --answer_kind: how it answers (with --responds_to): accepts, rejects" in missing.stderr
    made = kb(project, *base, "--answer_kind", "rejects")
    assert made.returncode == 0, made.stderr
    text = (project / made.stdout.strip()).read_text()
    assert "responds_to:\n  - event: loudspeaker-broadcasts-suspended-2025\n    kind: rejects\n" in text
    assert kb(project, "check").returncode == 0


# --- hostile input: no traceback from any command -----------------------------------------------

import os  # noqa: E402
import re  # noqa: E402

from kb import cli  # noqa: E402
from kb.tools import diff  # noqa: E402
from kb.model.load import Dataset, Record  # noqa: E402

EVENT = "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
LOCATED = re.compile(r"^data(/[^:]*)?:\d+:\d+: \S")


def assert_clean(result: subprocess.CompletedProcess, status: int = 1) -> list[str]:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == status, result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if LOCATED.match(line)]


@pytest.mark.parametrize("make, words", [
    (lambda p: (p / EVENT).write_text("id: x\ntags: " + "[" * 3000 + "]" * 3000 + "\n"), "nested more than 24 levels"),
    (lambda p: (p / EVENT).write_text("id: x\ntags: " + "[" * 200 + "]" * 200 + "\n"), "nested more than 24 levels"),
    (lambda p: (p / EVENT).write_bytes("id: caf\xe9\n".encode("latin-1")), "not valid UTF-8"),
    (lambda p: (p / "data/events/x.yaml").mkdir(), "is a folder"),
    (lambda p: (p / "data/events/gone.yaml").symlink_to(p / "nothing"), "is a symbolic link"),
    (lambda p: (p / "data/events/zero.yaml").symlink_to("/dev/zero"), "is a symbolic link"),
    (lambda p: (p / EVENT).write_text("id: x\ntitle: &t a\nsummary: *t\n"), "anchors and aliases"),
    (lambda p: (p / EVENT).write_text("id: [x\n"), "YAML syntax error"),
])
def test_fmt_check_reports_hostile_files_as_located_lines(project, make, words):
    make(project)
    lines = assert_clean(kb(project, "fmt", "--check", "--github"))
    assert any(words in line for line in lines), lines


def test_fmt_and_translate_mark_never_write_through_a_link(project, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text((project / EVENT).read_text().replace("date: '2025-06-11'", "date: 2025-06-11"))  # not canonical
    before = outside.read_text()
    (project / "data/events/linked.yaml").symlink_to(outside)
    for args in (("fmt",), ("fmt", "data/events/linked.yaml"), ("translate-mark", "data/events/linked.yaml")):
        lines = assert_clean(kb(project, *args))
        assert any(line.startswith("data/events/linked.yaml:1:1: is a symbolic link") for line in lines), (args, lines)
    assert outside.read_text() == before


@pytest.mark.parametrize("link", ["data", "data/events"])
def test_new_never_writes_through_a_linked_folder(project, tmp_path, link):
    elsewhere = tmp_path / "elsewhere"
    os.rename(project / link, elsewhere)
    (project / link).symlink_to(elsewhere)
    before = sorted(p.name for p in elsewhere.rglob("*"))
    result = kb(project, "new", "event", "--date", "2025-06-12", "--title", "Halt", "--type", "statement",
                "--summary", "x", "--sources", "kbs-2025-06-11-loudspeakers-suspended")
    assert [line for line in assert_clean(result) if line.startswith(f"{link}:1:1: is a symbolic link")]
    assert sorted(p.name for p in elsewhere.rglob("*")) == before


def test_new_does_not_write_through_a_dangling_link(project, tmp_path):
    target = tmp_path / "target.yaml"
    (project / "data/events/halt-2025.yaml").symlink_to(target)
    result = kb(project, "new", "event", "--date", "2025-06-12", "--title", "Halt", "--type", "statement",
                "--summary", "x", "--sources", "kbs-2025-06-11-loudspeakers-suspended")
    assert result.returncode == 0 and result.stdout.strip() == "data/events/halt-2025-2.yaml"
    assert not target.exists()


def record(kind: str, record_id: str, data: dict) -> Record:
    return Record(kind=kind, id=record_id, path=f"data/x/{record_id}.yaml", data=data)


def dataset(*records: Record) -> Dataset:
    out = Dataset({k: {} for k in ("actor", "policy", "event", "source", "publisher", "analysis")}, [])
    for r in records:
        out.records[r.kind][r.id] = r
    return out


WRONG = [None, 3, "President", ["a", 1, None], {"title": ["x"]}, [{"title": ["unhashable"], "start": {"a": 1}}], True]


@pytest.mark.parametrize("value", WRONG, ids=repr)
def test_diff_tolerates_records_that_failed_validation(value):
    fields = {"roles": value, "status": value, "title": value, "date": value, "name": value}
    for kind in ("actor", "policy", "event", "source"):
        before = dataset(record(kind, "a", {"roles": [{"title": "x", "start": "2025"}], "status": [{"status": "s", "date": "2025"}]}))
        after = dataset(record(kind, "a", fields), record(kind, "b", fields))
        out = diff.summarise(before, after, "main")
        assert out.startswith("## Knowledge base changes since `main`")


def test_diff_summary_escapes_everything_from_the_data():
    hostile = "x\n## Heading\n<!-- c -->[link](https://evil.example) `tick`` | a | b |\x1b[31m\u202e#"
    after = dataset(record("event", "e", {"title": hostile, "date": "2025\n# h"}),
                    record("source", "s", {"title": hostile, "publisher": "[p](https://evil.example)", "url": "https://evil.example/<x>"}))
    out = diff.summarise(dataset(), after, "main\n# ref", ["data/schemas/a`b.schema.json"])
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("#")] == ["## Knowledge base changes since `main # ref`", "### Added", "### New sources"]
    assert lines[2] == "**Schemas changed**: ``data/schemas/a`b.schema.json``"
    assert "\x1b" not in out and "\u202e" not in out
    for line in lines:
        if line.startswith("- "):
            # Outside code spans nothing but our own words: strip the spans and look at what is left.
            rest = re.sub(r"(`+)(.*?[^`])\1(?!`)", "", line)
            assert not re.search(r"[<>\[\]|#]", rest), (line, rest)


def test_diff_says_when_the_schemas_changed(tmp_path):
    project = make_project(tmp_path)
    first_commit(project)
    schema = project / "data/schemas/event.schema.json"
    schema.write_text(schema.read_text().replace('"title"', '"title" ', 1))
    out = kb(project, "diff", "HEAD").stdout
    assert out.splitlines()[2] == "**Schemas changed**: `data/schemas/event.schema.json`"


def test_check_with_the_base_branch_schemas(tmp_path):
    project = make_project(tmp_path)
    first_commit(project)
    # The pull request loosens the event schema (any field allowed) and adds an unknown field.
    schema = project / "data/schemas/event.schema.json"
    loose = yaml.safe_load(schema.read_text())
    loose["additionalProperties"] = True
    schema.write_text(__import__("json").dumps(loose))
    event = project / EVENT
    event.write_text(event.read_text() + "script: <script>alert(1)</script>\n")
    assert kb(project, "check").returncode == 0
    result = kb(project, "check", "--github", "--schemas-from", "HEAD")
    assert any("script" in line for line in assert_clean(result)), result.stderr
    bad = kb(project, "check", "--schemas-from", "no-such-ref")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_last_resort_is_one_line_and_status_2(monkeypatch, capsys):
    def broken(args, root):
        raise KeyError("CANARY value from the data")

    monkeypatch.setattr(cli, "cmd_check", broken)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert err == "internal error in 'kb check': KeyError (please report it; see SECURITY.md)\n"


def test_output_survives_a_strict_ascii_stdout(project):
    (project / "data/events/이름.yaml").write_text("id: x\n")
    fd = os.open(os.fsencode(project / "data/events") + b"/bad\xff.yaml", os.O_WRONLY | os.O_CREAT, 0o644)
    os.close(fd)
    env = {**os.environ, "PYTHONIOENCODING": "ascii:strict"}
    result = subprocess.run([*KB, "check", "--github"], cwd=project, capture_output=True, text=True, env=env)
    lines = assert_clean(result)
    assert "data/events/\\uc774\\ub984.yaml:1:1: file name is not an id" in "\n".join(lines)
    assert "data/events/bad\\xff.yaml:1:1:" in result.stderr and "::error file=data/events/bad\\xff.yaml" in result.stdout


def test_diff_against_a_ref_holding_links(tmp_path):
    project = make_project(tmp_path)
    (project / "data/events/etc.yaml").symlink_to("/etc/passwd")
    (project / "data/actors").rename(project / "data/actors-real")
    (project / "data/actors").symlink_to("/etc")
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "data")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "links")
    result = kb(project, "diff", "HEAD")
    assert result.returncode == 0 and "Traceback" not in result.stderr and "root:" not in result.stdout


def test_the_real_data_is_in_canonical_form():
    """CI's `kb fmt --check` step on the data as committed: merged branches once left three files unformatted."""
    result = subprocess.run([sys.executable, "-m", "kb", "fmt", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
