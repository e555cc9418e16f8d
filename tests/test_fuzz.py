"""Property-based tests: whatever the YAML, the validator and the renderer either succeed or
report `path:line:column: message` lines; never a traceback, never a hang.

Over 2,000 examples per run (1,200 mutated files + 800 generated records).
"""

from __future__ import annotations

import re
import shutil
import signal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINI, make_project
from kb.load import load
from kb.render import render_site
from kb.validate import validate

LINE = re.compile(r"^data/([a-z]+/)?[^:/]+:\d+:\d+: \S.*$")  # a record file, or data/coverage.yaml
SEED_FILES = sorted(MINI.rglob("*.yaml"))
# No per-example deadline (a slow CI machine would make it flaky); a hang is caught by the alarm below.
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
HANG_SECONDS = 60

# Characters that YAML gives meaning to, plus a few that break encodings and layouts.
ALPHABET = st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \t\n") + ["\x00", "\x85", "\ufeff", "é", "이", "<", "\\"])


@st.composite
def mutated(draw):
    """A real data file with random characters inserted, deleted or replaced, and lines shuffled."""
    seed = draw(st.sampled_from(SEED_FILES))
    text = seed.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "dup-line", "drop-line", "indent"]))
        pos = draw(st.integers(0, max(0, len(text) - 1)))
        if op == "insert":
            text = text[:pos] + draw(st.text(ALPHABET, min_size=1, max_size=4)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 8)):]
        elif op == "replace":
            text = text[:pos] + draw(ALPHABET) + text[pos + 1:]
        else:
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(i, lines[i])
            elif op == "drop-line":
                del lines[i]
            else:
                lines[i] = draw(st.sampled_from(["  ", "\t", "- ", "    "])) + lines[i]
            text = "\n".join(lines)
    return seed.relative_to(MINI), text


def _hung(signum, frame):
    raise AssertionError(f"no answer within {HANG_SECONDS} s: the validator or renderer hangs")


def check_outcome(project: Path) -> None:
    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(HANG_SECONDS)
    try:
        _check_outcome(project)
    finally:
        signal.alarm(0)


def _check_outcome(project: Path) -> None:
    dataset = load(project)
    problems = validate(dataset, project)
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1
        assert LINE.match(str(problem)), str(problem)
        assert "\n" not in str(problem)
    if not problems:
        pages = render_site(dataset, project / "docs")
        assert pages


@settings(max_examples=1200, **SETTINGS)
@given(case=mutated())
def test_mutated_files_never_crash(tmp_path_factory, case):
    project = make_project(tmp_path_factory.mktemp("fuzz"))
    rel, text = case
    (project / "data" / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    check_outcome(project)
    shutil.rmtree(project.parent)


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 3000), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30), st.sampled_from(["2025", "2025-06", "2025-02-30", "2025-13", "lee-jae-myung",
                                                           "kbs-2025-06-11-loudspeakers-suspended", "https://example.org", "javascript:x"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4), max_leaves=12)
FIELDS = ["id", "date", "end_date", "title", "type", "summary", "actors", "policies", "place", "tags", "notes", "sources",
          "name", "kind", "hangul", "aliases", "roles", "links", "owners", "status", "related", "url", "publisher",
          "language", "authors", "claims", "published"]


@st.composite
def records(draw):
    kind = draw(st.sampled_from(["events", "actors", "policies", "sources", "analyses"]))
    data = draw(st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values, max_size=10))
    if draw(st.booleans()):
        data["id"] = "fuzzed"
    return kind, data


@settings(max_examples=800, **SETTINGS)
@given(case=records())
def test_generated_records_never_crash(tmp_path_factory, case):
    project = make_project(tmp_path_factory.mktemp("fuzz"))
    kind, data = case
    (project / "data" / kind / "fuzzed.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    check_outcome(project)
    shutil.rmtree(project.parent)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated())
def test_build_of_mutated_data_is_all_or_nothing(tmp_path_factory, case):
    """A whole `kb build`: either a complete new site, or lines on stderr and the old site untouched."""
    import subprocess
    import sys

    project = make_project(tmp_path_factory.mktemp("fuzzbuild"))
    site = project / "site"
    site.mkdir()
    (site / "previous.html").write_text("previous")
    rel, text = case
    (project / "data" / rel).write_bytes(text.encode("utf-8", "surrogatepass"))
    result = subprocess.run([sys.executable, "-m", "kb", "build"], cwd=project, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        assert (site / "index.html").is_file() and not (site / "previous.html").exists()
    else:
        assert result.returncode == 1
        assert sorted(p.name for p in site.iterdir()) == ["previous.html"]
        lines = [line for line in result.stderr.splitlines() if line.startswith("data/")]
        assert lines and all(LINE.match(line) for line in lines), result.stderr[-1000:]
    shutil.rmtree(project.parent)
