"""The broken-input corpus: each case adds or replaces files in a small valid data set, and the
validator must print exactly the lines in the case's ``expected`` file, nothing more or less."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project
from kb.model.load import load
from kb.model.validate import validate

CORPUS = Path(__file__).parent / "broken"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def apply_case(project: Path, case: str) -> None:
    for file in sorted((CORPUS / case).rglob("*")):
        if file.is_file() and file.name != "expected":
            target = project / "data" / file.relative_to(CORPUS / case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)


def expected_lines(case: str) -> list[str]:
    return [line for line in (CORPUS / case / "expected").read_text(encoding="utf-8").splitlines() if line]


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def test_fixture_itself_is_valid(project):
    assert validate(load(project), project) == []


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exactly_its_lines(tmp_path, case):
    project = make_project(tmp_path)
    apply_case(project, case)
    problems = [str(p) for p in validate(load(project), project)]
    assert problems == expected_lines(case)


@pytest.mark.parametrize("case", ["yaml-tab-indentation", "several-problems-one-file", "invalid-utf8"])
def test_cli_check_prints_lines_and_exits_1_without_traceback(tmp_path, case):
    project = make_project(tmp_path)
    apply_case(project, case)
    result = subprocess.run([sys.executable, "-m", "kb", "check"], cwd=project, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:-1] == expected_lines(case)
    assert lines[-1].endswith("problems found in data/; nothing was built") or lines[-1].endswith("problem found in data/; nothing was built")
