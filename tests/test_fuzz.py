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
from kb.model.load import load
from kb.site.render import render_site
from kb.model.validate import validate

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


# --- structure: nesting, anchors, sizes, file types and names --------------------------------------
#
# Hostile pull requests attack structure rather than characters: deep nesting, anchors and aliases
# (alias bombs), files at and over the size limit, entries that are not regular files, and names
# made of random bytes. Whatever they hold: no exception, every problem a located line, and an
# answer well within the time budget.

import os  # noqa: E402
import time  # noqa: E402

from kb.tools import fmt  # noqa: E402
from kb.model import discover

BUDGET_SECONDS = 10
STRUCT_LINE = re.compile(r"^data(/[a-z]+)?(/[^:/\n]+)?:\d+:\d+: \S[^\n]*$")


def nested(draw, depth: int) -> str:
    """A value nested ``depth`` levels, mixing block and flow collections."""
    text = draw(st.sampled_from(["x", "'2025'", "lee-jae-myung", "[]", "{}"]))
    flow = True
    for level in range(depth):
        style = draw(st.sampled_from(["[", "{", "-", "key"]))
        if style in "[{" and flow:
            text = f"[{text}]" if style == "[" else f"{{k{level}: {text}}}"
        else:
            flow = False  # a block collection cannot sit inside a flow one
            pad = "  " * 1
            text = "- " + text.replace("\n", "\n  ") if style == "-" else f"k{level}:\n" + pad + text.replace("\n", "\n" + pad)
    return text


@st.composite
def structured(draw):
    """A real record with a deeply nested value, anchors and aliases, and padding around the size limit."""
    seed = draw(st.sampled_from([f for f in SEED_FILES if f.parent != MINI]))
    lines = seed.read_text(encoding="utf-8").rstrip("\n").split("\n")
    value = nested(draw, draw(st.integers(0, 60)))
    lines.append("extra:\n  " + value.replace("\n", "\n  ") if "\n" in value else f"extra: {value}")
    for _ in range(draw(st.integers(0, 3))):  # anchors and aliases anywhere a value starts
        i = draw(st.integers(1, len(lines) - 1))
        if ": " in lines[i]:
            key, _, rest = lines[i].partition(": ")
            mark = draw(st.sampled_from(["&a ", "*a", "&b ", "*b", "<<: *a\n"]))
            lines[i] = f"{key}: {mark}" + ("" if mark.startswith("*") else rest)
    text = "\n".join(lines) + "\n"
    pad = draw(st.sampled_from([0, 0, 0, discover.MAX_BYTES - len(text.encode()) - 2, discover.MAX_BYTES - len(text.encode()) + 3]))
    if pad > 0:
        text += "#" + "x" * pad + "\n"
    return seed.relative_to(MINI), text


def check_bounded(project: Path) -> list[str]:
    """check's and fmt's in-process work: no exception, located lines, within the time budget."""
    from kb.cli import load_checked

    signal.signal(signal.SIGALRM, _hung)
    signal.alarm(HANG_SECONDS)
    start = time.monotonic()
    try:
        dataset, found = load_checked(project)  # broken schemas are problems here, as in kb check
        if not found:
            assert render_site(dataset, project / "docs")
        assert fmt.run(project, None, check=True) in (0, 1)  # prints its lines; must not raise
    finally:
        signal.alarm(0)
    assert time.monotonic() - start < BUDGET_SECONDS
    problems = [str(p) for p in found]
    for line in problems:
        assert STRUCT_LINE.match(line), line
    return problems


@settings(max_examples=60, **SETTINGS)
@given(case=structured())
def test_structure_never_crashes_and_stays_bounded(tmp_path_factory, case):
    project = make_project(tmp_path_factory.mktemp("fuzz"))
    rel, text = case
    (project / "data" / rel).write_text(text, encoding="utf-8")
    problems = check_bounded(project)
    if "&" in text or "*" in text:
        assert problems  # every anchor and alias is refused (mini data has neither)
    shutil.rmtree(project.parent)


ENTRY_TYPES = ["file", "link-canary", "link-dev-zero", "link-dangling", "link-folder", "folder", "fifo"]


@st.composite
def entries(draw):
    """Up to four entries of random type and random byte names in random kind folders (or replacing one)."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        folder = draw(st.sampled_from(sorted(set(p.parent.name for p in SEED_FILES if p.parent != MINI)) + ["schemas", ""]))
        name = draw(st.one_of(st.binary(min_size=1, max_size=12), st.sampled_from([b"x.yaml", b"lee-jae-myung.yaml", b".x.yaml",
                                                                                    b"event.schema.json", b"coverage.yaml", b"a\n.yaml"])))
        name = name.replace(b"/", b"_").replace(b"\0", b"_")
        if name in (b".", b".."):
            name = b"_"
        out.append((folder, name, draw(st.sampled_from(ENTRY_TYPES))))
    return out


@settings(max_examples=60, **SETTINGS)
@given(case=entries())
def test_file_types_and_names_never_crash_and_are_never_read(tmp_path_factory, case):
    where = tmp_path_factory.mktemp("fuzz")
    project = make_project(where)
    canary = where / "canary.yaml"
    canary.write_text("id: canary\ntitle: CANARY-fuzz\n")
    for folder, name, kind in case:
        path = os.fsencode(project / "data" / folder) + b"/" + name
        if os.path.lexists(path):
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        if kind == "file":
            with open(path, "wb") as f:
                f.write(b"id: x\n")
        elif kind == "folder":
            os.mkdir(path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            target = {"link-canary": canary, "link-dev-zero": "/dev/zero", "link-dangling": where / "nothing",
                      "link-folder": project / "data" / "events"}[kind]
            os.symlink(target, path)
    problems = check_bounded(project)
    assert all("CANARY" not in line for line in problems)
    assert canary.read_text() == "id: canary\ntitle: CANARY-fuzz\n"
    shutil.rmtree(where)
