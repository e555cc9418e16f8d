"""The hostile corpus: pull requests that try to put script into the site, take reserved names,
reach files outside data/, exhaust resources, crash a command or mislead a reader (SECURITY.md).

Every case in tests/hostile/ goes through the pull-request workflow's commands in CI order, each a
subprocess under resource limits. A case that expects a problem gets its own project and stops at
the command that must refuse it; the cases that expect a safe site are merged into one project,
built once and judged page by page (and in Chromium, when it is installed). Wall time and peak
memory of every command go to build/hostile-report.json.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import MINI, ROOT
from hostile_harness import (CLASSES, COMMANDS, RECORD_FOLDERS, Case, Outside, Run, article_text, case_file_problems,
                             case_folders, csv_problems, feed_problems, files_holding, load_case, located_match,
                             output_problems, page_problems, prepare, report_row, run_command, snapshot, theme_scripts)

FOLDERS = case_folders()
CASES = [load_case(f) for f in FOLDERS if not case_file_problems(f)]
PROBLEM_CASES = [c for c in CASES if c.expect == "problem"]
SAFE_CASES = [c for c in CASES if c.expect == "safe"]
REPORT: list[dict] = []  # one row per command run, written out when the module is done
REPORT_FILE = ROOT / "build" / "hostile-report.json"
CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
# Markup in kb diff's summary: an HTML tag or comment, a Markdown link or image. Taken out first:
# code spans (GitHub shows their content as written, so quoting data in one is safe as long as it
# cannot close the span; a value that does leaves markup outside) and the summary's own autolinks
# to a source's (validated) address, <https://...>.
DIFF_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")
DIFF_AUTOLINK = re.compile(r"<https?://[^\s<>]*>")
DIFF_MARKUP = re.compile(r"<[A-Za-z!/?]|\]\(|!\[")


@pytest.fixture(scope="module", autouse=True)
def resource_report():
    """Write every command's wall time and peak memory, and print the worst (seen with -s)."""
    yield
    if not REPORT:
        return
    REPORT_FILE.parent.mkdir(exist_ok=True)
    slowest = max(REPORT, key=lambda r: r["seconds"])
    largest = max(REPORT, key=lambda r: r["max_rss_mb"])
    REPORT_FILE.write_text(json.dumps({"slowest": slowest, "largest": largest, "runs": REPORT}, indent=1) + "\n")
    print(f"\nhostile corpus: {len(REPORT)} commands; slowest {slowest['seconds']} s ({slowest['case']}: kb "
          f"{slowest['command']}); largest {largest['max_rss_mb']} MB ({largest['case']}: kb {largest['command']})")


def run_and_record(case: str, name: str, project: Path, outside: Outside) -> Run:
    run = run_command(name, project, outside.env())
    REPORT.append(report_row(case, run))
    return run


def leak_problems(project: Path, outside: Outside, runs: list[Run], inputs: dict) -> list[str]:
    """The canary printed or copied into the project, or anything written outside it."""
    out = [f"the canary is in {path}" for path in files_holding(project, outside.text, inputs)]
    return out + outside.problems() + [p for run in runs for p in output_problems(run, outside.text)]


# --- the corpus itself ----------------------------------------------------------------------------

@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_case_file_is_valid(folder):
    assert case_file_problems(folder) == []


def test_corpus_covers_the_six_classes_with_sixty_cases():
    by_class = {cls: [c.name for c in CASES if c.cls == cls] for cls in CLASSES}
    assert len(CASES) >= 60 and all(by_class.values()), {cls: len(names) for cls, names in by_class.items()}


def test_safe_cases_do_not_share_pages():
    seen: dict[str, str] = {}
    for case in SAFE_CASES:
        for page in case.pages:
            assert page not in seen, f"{case.name} and {seen[page]} both list {page}"
            seen[page] = case.name


# --- cases a command must refuse ------------------------------------------------------------------

@pytest.mark.parametrize("case", PROBLEM_CASES, ids=[c.name for c in PROBLEM_CASES])
def test_problem_case_is_refused_with_a_located_message(tmp_path, case: Case):
    outside = Outside(tmp_path)
    project = prepare(tmp_path, [case], outside)
    inputs = snapshot(project)
    runs = []
    for name in COMMANDS:
        run = run_and_record(case.name, name, project, outside)
        runs.append(run)
        if name == case.command or run.returncode != 0:
            break
    leaks = leak_problems(project, outside, runs, inputs)
    assert not leaks, "\n".join(leaks)
    last = runs[-1]
    assert last.command == case.command, f"refused by kb {last.command}, before kb {case.command}: {last.describe()}"
    assert last.returncode == 1, last.describe()
    assert located_match(last, case.message), f"no located line matches {case.message!r}: {last.describe()}"


# --- cases that must build a safe site ------------------------------------------------------------

@dataclass
class SafeSite:
    project: Path
    runs: list[Run]
    problems: list[str]  # from the commands: exit codes, output, the canary

    @property
    def site(self) -> Path:
        return self.project / "site"

    def failed(self) -> str:
        return "\n".join(self.problems + [r.describe() for r in self.runs if r.returncode != 0])

    @functools.cached_property
    def allowed_scripts(self) -> set[str]:
        """The theme's inline scripts, as found on pages no case touches."""
        return theme_scripts([self.site / url / "index.html" for url in clean_urls()])


def build_safe(where: Path, cases: list[Case], label: str) -> SafeSite:
    """These cases in one project, through every command once."""
    outside = Outside(where)
    project = prepare(where, cases, outside)
    inputs = snapshot(project)
    runs = [run_and_record(label, name, project, outside) for name in COMMANDS]
    problems = leak_problems(project, outside, runs, inputs)
    problems += [f"kb {r.command} exited {r.returncode}" for r in runs if r.returncode != 0]
    return SafeSite(project, runs, problems)


def clean_urls(one_per_kind: bool = False) -> list[str]:
    """The home page and the mini fixture's record pages, which no case touches."""
    files = [sorted((MINI / folder).glob("*.yaml"))[:1 if one_per_kind else None] for folder in RECORD_FOLDERS]
    return [""] + [f"{file.parent.name}/{file.stem}/" for group in files for file in group]


@pytest.fixture(scope="module")
def safe_site(tmp_path_factory) -> SafeSite:
    """Every safe case merged into one project: one build for all of them."""
    if not SAFE_CASES:
        pytest.skip("no expect: safe cases")
    return build_safe(tmp_path_factory.mktemp("hostile-safe"), SAFE_CASES, "(safe cases merged)")


@pytest.fixture(scope="module")
def site_of(safe_site, tmp_path_factory):
    """The site to judge a case by: the merged one, or, when a command failed on the merged
    project, the case's own project, so that one case that breaks the build is named as the
    culprit instead of failing every case (slower, but only on the way to a fix)."""
    alone: dict[str, SafeSite] = {}

    def site(case: Case) -> SafeSite:
        if not safe_site.problems:
            return safe_site
        if case.name not in alone:
            alone[case.name] = build_safe(tmp_path_factory.mktemp(case.name), [case], case.name)
        return alone[case.name]

    return site


def test_safe_corpus_passes_every_command(safe_site):
    assert safe_site.problems == [], safe_site.failed()


@pytest.mark.parametrize("case", SAFE_CASES, ids=[c.name for c in SAFE_CASES])
def test_safe_case_pages_hold_nothing_from_data_that_acts(site_of, case: Case):
    built = site_of(case)
    assert built.problems == [], built.failed()
    out, texts = [], []
    for page in case.pages:
        file = built.site / page / "index.html"
        if not file.is_file():
            out.append(f"{page}: not built")
            continue
        html = file.read_text(encoding="utf-8")
        out += [f"{page}: {p}" for p in page_problems(html, page, built.allowed_scripts)]
        out += [f"{page}: holds {s!r}" for s in case.hides if s in html]
        texts.append(article_text(html))
    out += [f"no page shows {s!r} literally" for s in case.shows if not any(s in text for text in texts)]
    assert not out, "\n".join(out)


def test_every_safe_site_page_is_free_of_handlers_and_script_urls(safe_site):
    if safe_site.problems:
        pytest.fail(safe_site.failed())
    out = []
    for file in sorted(safe_site.site.rglob("*.html")):
        url = str(file.parent.relative_to(safe_site.site)) + "/"
        # Structure rules are for the cases' pages; here only what holds on every page.
        problems = page_problems(file.read_text(encoding="utf-8"), url, safe_site.allowed_scripts, article_rules=False)
        out += [f"{url}: {p}" for p in problems]
    assert not out, "\n".join(out)


def test_safe_site_feeds_are_well_formed_xml(safe_site):
    if safe_site.problems:
        pytest.fail(safe_site.failed())
    out = [p for feed in sorted(safe_site.site.glob("*.xml")) for p in feed_problems(feed)]
    assert not out, "\n".join(out)


def test_safe_site_csv_cells_cannot_run_as_formulas(safe_site):
    if safe_site.problems:
        pytest.fail(safe_site.failed())
    out = [p for table in sorted(safe_site.site.rglob("*.csv")) for p in csv_problems(table)]
    assert not out, "\n".join(out)


def test_safe_diff_summary_shows_data_as_text(safe_site):
    """The job summary is Markdown that GitHub renders: quoted data must not become a tag, a
    comment that hides the rest, a link or an image there."""
    if safe_site.problems:
        pytest.fail(safe_site.failed())
    diff = next(r for r in safe_site.runs if r.command == "diff")
    out = [line for line in diff.stdout.splitlines()
           if DIFF_MARKUP.search(DIFF_AUTOLINK.sub("", DIFF_CODE_SPAN.sub("", line)))]
    assert not out, "\n".join(out)


# --- the same pages in a browser ------------------------------------------------------------------

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(safe_site):
    """The safe-case site on a local static server, and Chromium driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    if safe_site.problems:
        pytest.fail(safe_site.failed())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(safe_site.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        tab = Tab(browser, base)
        for url in clean_urls(one_per_kind=True):  # the globals the site's own scripts set
            tab.baseline |= tab.visit(url)["globals"]
        yield tab
        tab.context.close()
        browser.close()
    server.shutdown()


class Tab:
    """One browser context for every visit (a new context per page costs a second on a busy
    machine); every request it makes to a host other than the local server is refused and noted."""

    def __init__(self, browser, base: str):
        self.base = base
        self.baseline: set[str] = set()
        self.foreign: list[str] = []
        self.context = browser.new_context()
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob") or url.netloc == urlparse(self.base).netloc:
            return route.continue_()
        self.foreign.append(route.request.url)
        return route.abort()

    def visit(self, url: str) -> dict:
        """Load one page, press Tab through it (focus handlers), and report what happened."""
        self.foreign.clear()
        seen = {"dialogs": []}
        page = self.context.new_page()
        page.on("dialog", lambda d: (seen["dialogs"].append(f"{d.type}: {d.message}"), d.dismiss()))
        try:
            # "load": the page's own scripts have run and autofocus has fired; waiting for the
            # network to go quiet as well (the search index) costs half a second a page for nothing.
            page.goto(self.base + url, wait_until="load")
            for _ in range(4):
                page.keyboard.press("Tab")
            page.wait_for_timeout(150)
            seen["pwned"] = page.evaluate("window.__pwned === undefined ? null : String(window.__pwned)")
            seen["globals"] = set(page.evaluate("Object.getOwnPropertyNames(window)"))
        finally:
            page.close()
        seen["foreign"] = list(self.foreign)
        return seen


@pytest.mark.parametrize("case", SAFE_CASES, ids=[c.name for c in SAFE_CASES])
def test_safe_case_pages_run_no_script_in_chromium(served, case: Case):
    out = []
    for url in case.pages:
        seen = served.visit(url)
        out += [f"{url}: dialog {d!r}" for d in seen["dialogs"]]
        out += [f"{url}: request to another host {u}" for u in seen["foreign"]]
        if seen["pwned"] is not None:
            out.append(f"{url}: window.__pwned = {seen['pwned']}")
        out += [f"{url}: new global {name!r}" for name in sorted(seen["globals"] - served.baseline)]
    assert not out, "\n".join(out)


# --- last ----------------------------------------------------------------------------------------

def test_no_case_reached_the_last_resort_handler():
    """Each case's own test fails on exit 2 or an 'internal error' line; this says it in one place."""
    if not REPORT:
        pytest.skip("no command ran (run with the cases)")
    assert [r for r in REPORT if r["returncode"] == 2] == []
