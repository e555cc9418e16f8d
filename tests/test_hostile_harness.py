"""The hostile-corpus harness catches what it claims to: a hang, a blow-up, the canary, writes
outside the project, and output no command may print. Without these, a green corpus could mean
a blind harness."""

from __future__ import annotations

import sys
from pathlib import Path

from hostile_harness import Outside, Run, files_holding, output_problems, page_problems, run_limited, snapshot


def python(code: str, tmp_path: Path, timeout: float = 30) -> Run:
    return run_limited("check", [sys.executable, "-c", code], tmp_path, Outside(tmp_path / "o").env(), timeout)


def test_a_hang_is_killed_at_the_alarm(tmp_path):
    run = python("import time; time.sleep(60)", tmp_path, timeout=1)
    assert run.timed_out and run.seconds < 10
    assert output_problems(run, "CANARY-x")[0].startswith("kb check was still running")


def test_a_blow_up_meets_the_address_space_limit(tmp_path):
    run = python("x = bytearray(3 << 30)", tmp_path)
    assert run.returncode == 1 and "MemoryError" in run.stderr


def test_peak_memory_is_measured(tmp_path):
    run = python("x = bytearray(200 << 20); x[::4096] = b'1' * len(x[::4096])", tmp_path)
    assert run.returncode == 0 and run.max_rss_kb > 200 * 1024


def test_output_rules(tmp_path):
    run = python(r"print('x\x1b[31m'); print('::set-output name=x::y'); print('::error file=a,line=1,col=1::ok');"
                 r"import sys; print('Traceback (most recent call last):', file=sys.stderr); print('CANARY-abc')",
                 tmp_path)
    problems = output_problems(run, "CANARY-abc")
    assert len(problems) == 4, problems  # control character, workflow command, traceback, canary


def test_canary_in_a_written_file_and_writes_outside_are_found(tmp_path):
    outside = Outside(tmp_path)
    project = tmp_path / "project"
    (project / "site").mkdir(parents=True)
    before = snapshot(project)
    (project / "site" / "page.html").write_text("<p>" + outside.text + "</p>")
    (outside.root / "home" / ".cache").write_text("x")
    assert files_holding(project, outside.text, before) == ["site/page.html"]
    assert outside.problems() == ["written outside the project: home/.cache"]


def test_page_rules_see_handlers_boxes_and_moved_footnotes():
    page = ("<html><body><article class='md-content__inner'><h1>T</h1><p>Date: 2025</p>"
            "<div class='kb-text'><div class='highlight' tabindex='1' onfocus='x()'><pre><span>x</span></pre></div></div>"
            "<div class='admonition danger'><p>RETRACTED</p></div>"
            "<div class='footnote'><ol><li>s</li></ol></div><h2 id='sources'>Sources</h2></article></body></html>")
    problems = " | ".join(page_problems(page, "events/x/", set()))
    for expected in ("event handler", "inside a data fragment", "boxes (admonition or details)", "highlighted code block",
                     "footnote list"):
        assert expected in problems, expected
