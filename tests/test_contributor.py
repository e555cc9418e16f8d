"""Contributor tools: `new`, `fmt`, `diff`, GitHub annotations, and the workflows' shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, make_project
from kb.fmt import format_text

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


def test_diff_on_a_two_commit_history(tmp_path):
    project = make_project(tmp_path)
    git(project, "init", "-q", "-b", "main")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "data")
    git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first")
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
