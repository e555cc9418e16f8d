"""The machinery behind tests/test_hostile.py: reading the corpus, building a project for some cases,
running the CI commands under resource limits, and judging what they print and build.

The corpus format is described in SECURITY.md ("How the corpus tests it"); in short, each
``tests/hostile/<case>/`` holds a ``case.yaml``, a ``data/`` folder overlaid on the mini fixture and
optionally a ``make.py`` that creates what git cannot hold.
"""

from __future__ import annotations

import atexit
import csv
import functools
import importlib.util
import io
import json
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import yaml

from conftest import ROOT, make_project

CORPUS = Path(__file__).parent / "hostile"
CLASSES = ("script", "reserved", "outside", "size", "traceback", "mislead")
CASE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
REQUIRED_KEYS = {"class", "about", "expect"}
# 'shows' and 'hides' are additions to the shared format: text a safe page must show literally
# (a Jinja expression, a snippet line) and text that must appear nowhere in the page's HTML.
OPTIONAL_KEYS = {"message", "command", "pages", "shows", "hides"}

# The pull-request workflow's commands in its order, then the Zensical path's render. Each value is
# the argument list after ``python -m kb``; BASE stands for the throw-away base commit.
BASE = "hostile-base"
COMMANDS = {
    "check": ["check", "--github"],
    "fmt-check": ["fmt", "--check", "--github"],
    "build": ["build"],
    "diff": ["diff", BASE],
    "render": ["render", "build/markdown", "--with-docs"],
}

# Limits for every command (inherited by what it starts: MkDocs, git). Address space: a blow-up
# (a billion laughs, a huge file read whole) ends in MemoryError or a kill instead of swapping the
# machine; MkDocs on the mini fixture needs far less (see build/hostile-report.json).
ADDRESS_SPACE = 1 << 30
CPU_SECONDS = 120
FILE_SIZE = 256 << 20  # no command has a reason to write a file this large
# The alarm: wall-clock seconds before the command's process group is killed. Generous, so that
# only a hang or a runaway reaches it, on a machine shared with other work.
TIMEOUT = {"check": 90, "fmt-check": 90, "build": 240, "diff": 90, "render": 120}
OUTPUT_CAP = 4 << 20  # bytes kept per stream; more is itself a finding

LOCATED = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<column>\d+): \S")
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
INTERNAL_ERROR = re.compile(r"internal error", re.IGNORECASE)


# --- the case files -------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    folder: Path
    cls: str
    about: str
    expect: str
    message: str = ""
    command: str = ""
    pages: list[str] = field(default_factory=list)
    shows: list[str] = field(default_factory=list)
    hides: list[str] = field(default_factory=list)

    @property
    def make(self) -> Path | None:
        path = self.folder / "make.py"
        return path if path.is_file() else None


def case_folders() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if (p / "case.yaml").is_file()) if CORPUS.is_dir() else []


def case_file_problems(folder: Path) -> list[str]:
    """What is wrong with a case's own case.yaml (not with the hostile data it carries)."""
    try:
        spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return [f"case.yaml does not parse: {error}"]
    if not isinstance(spec, dict):
        return ["case.yaml is not a mapping"]
    out = []
    unknown = set(spec) - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        out.append(f"unknown keys {sorted(unknown)}")
    if REQUIRED_KEYS - set(spec):
        out.append(f"missing keys {sorted(REQUIRED_KEYS - set(spec))}")
    if spec.get("class") not in CLASSES:
        out.append(f"class {spec.get('class')!r} is not one of {CLASSES}")
    elif not folder.name.startswith(spec["class"] + "-"):
        out.append(f"the name does not start with the class: {spec['class']}-")
    if not CASE_NAME.match(folder.name):
        out.append("the name is not lower-case words joined by hyphens")
    if spec.get("expect") == "problem":
        if spec.get("command") not in COMMANDS:
            out.append(f"command {spec.get('command')!r} is not one of {list(COMMANDS)}")
        try:
            re.compile(spec.get("message") or "")
        except re.error as error:
            out.append(f"message is not a regular expression: {error}")
        if not spec.get("message"):
            out.append("expect: problem needs a message")
        if spec.get("pages"):
            out.append("pages are for expect: safe")
    elif spec.get("expect") == "safe":
        if spec.get("message") or spec.get("command"):
            out.append("message and command are for expect: problem")
        pages = spec.get("pages")
        if not isinstance(pages, list) or not pages or not all(isinstance(p, str) and p.endswith("/") for p in pages):
            out.append("expect: safe needs pages, a list of site URLs ending in '/'")
    else:
        out.append(f"expect {spec.get('expect')!r} is not problem or safe")
    for key in ("shows", "hides"):
        if key in spec and not (isinstance(spec[key], list) and all(isinstance(s, str) and s for s in spec[key])):
            out.append(f"{key} is not a list of strings")
    if not (folder / "data").is_dir() and not (folder / "make.py").is_file():
        out.append("neither data/ nor make.py: the case changes nothing")
    return out


def load_case(folder: Path) -> Case:
    spec = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    return Case(name=folder.name, folder=folder, cls=spec["class"], about=spec["about"], expect=spec["expect"],
                message=spec.get("message") or "", command=spec.get("command") or "", pages=spec.get("pages") or [],
                shows=spec.get("shows") or [], hides=spec.get("hides") or [])


# --- the canary and the world outside the project -------------------------------------------------

class Outside:
    """The folder next to the project: the canary file, and the HOME and TMPDIR the commands get.

    A command that reads the canary and prints or writes it, or that writes anywhere here, is
    caught: the canary's text is random, so it cannot appear by chance.
    """

    def __init__(self, where: Path):
        self.root = where / "outside"
        (self.root / "home").mkdir(parents=True)
        (self.root / "tmp").mkdir()
        self.canary = self.root / "canary.txt"
        self.text = "CANARY-" + secrets.token_hex(16)
        self.canary.write_text(self.text + "\n", encoding="utf-8")
        self.before = snapshot(self.root)

    def env(self) -> dict[str, str]:
        """What CI gives a command, and no more: no secrets, a private HOME and TMPDIR."""
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.root / "home"),
                "TMPDIR": str(self.root / "tmp"), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                "NO_MKDOCS_2_WARNING": "1", "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
                "SOURCE_DATE_EPOCH": "1750000000"}

    def problems(self) -> list[str]:
        """Anything changed here (the canary itself, or a file left in HOME or TMPDIR)."""
        after = snapshot(self.root)
        changed = sorted(set(self.before.items()) ^ set(after.items()))
        out = [f"written outside the project: {path}" for path in sorted({p for p, _ in changed})]
        # Size and mtime can be put back; the bytes are compared as well.
        if not self.canary.is_file() or self.canary.read_bytes() != (self.text + "\n").encode():
            out.append("the canary's content changed")
        return out


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path under root with its type, size and modification time (links not followed)."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder, name)
            st = path.lstat()
            # A folder counts by its presence only: a temporary file made and removed inside
            # it changes its mtime and leaves nothing behind.
            out[str(path.relative_to(root))] = (st.st_mode,) if path.is_dir() and not path.is_symlink() \
                else (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def files_holding(root: Path, text: str, unchanged: dict[str, tuple]) -> list[str]:
    """Regular files under root (links not followed, .git skipped) that contain text.

    Files exactly as they were before the commands ran (``unchanged``) are skipped: they are the
    case's own input, which a size case may make huge.
    """
    needle = text.encode("utf-8")
    out = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not (folder == str(root) and d == ".git")]
        for name in files:
            path = Path(folder, name)
            st = path.lstat()
            rel = str(path.relative_to(root))
            if not path.is_file() or path.is_symlink() or unchanged.get(rel) == (st.st_mode, st.st_size, st.st_mtime_ns):
                continue
            if _file_contains(path, needle):
                out.append(rel)
    return out


def _file_contains(path: Path, needle: bytes) -> bool:
    with open(path, "rb") as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle):]
    return False


# --- building the project -------------------------------------------------------------------------

def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Hostile corpus", "-c", "user.email=corpus@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=project, check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_DATE="2025-07-01T00:00:00Z", GIT_COMMITTER_DATE="2025-07-01T00:00:00Z"))


@functools.cache
def base_template() -> Path:
    """The base project, made once per test session and copied for each case: the mini fixture
    in canonical form, with a README.md as in a CI checkout, committed and tagged BASE."""
    where = Path(tempfile.mkdtemp(prefix="hostile-base-"))
    atexit.register(shutil.rmtree, where, ignore_errors=True)
    project = make_project(where)
    # As in a CI checkout, README.md is there for a snippet line in data to reach for.
    shutil.copy(ROOT / "README.md", project / "README.md")
    # The mini fixture predates kb fmt's canonical form; put it in that form, or every case
    # would fail `kb fmt --check` on files it never touched.
    subprocess.run([sys.executable, "-m", "kb", "fmt"], cwd=project, check=True, capture_output=True)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base: the mini fixture")
    git(project, "tag", BASE)
    return project


def prepare(where: Path, cases: list[Case], outside: Outside) -> Path:
    """A copy of the base project with the cases' data/ committed on top, as a pull request
    would be, then each case's make.py run for what git cannot hold.

    Fails when two cases write the same file: merged cases must not hide each other.
    """
    project = where / "project"
    shutil.copytree(base_template(), project, symlinks=True)
    owners: dict[str, str] = {}
    for case in cases:
        for source in sorted((case.folder / "data").rglob("*")) if (case.folder / "data").is_dir() else []:
            if source.is_dir():
                continue
            rel = str(source.relative_to(case.folder))
            if rel in owners:
                raise AssertionError(f"{case.name} and {owners[rel]} both write {rel}")
            owners[rel] = case.name
            target = project / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    git(project, "add", "-A", "data")
    git(project, "commit", "-q", "--allow-empty", "-m", "the hostile pull request")
    for case in cases:
        if case.make:
            before = snapshot(project / "data")
            _load_make(case)(project, outside.canary)
            after = snapshot(project / "data")
            clash = {f"data/{p}" for p in before if before[p] != after.get(p)} & set(owners)
            if clash:
                raise AssertionError(f"{case.name}/make.py changes files of other cases: {sorted(clash)}")
            owners.update({f"data/{p}": case.name for p in after.keys() - before.keys()})
    return project


def _load_make(case: Case):
    spec = importlib.util.spec_from_file_location(f"hostile_make_{case.name.replace('-', '_')}", case.make)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make


# --- running a command ----------------------------------------------------------------------------

@dataclass
class Run:
    command: str
    returncode: int  # negative: killed by that signal (a limit, or the alarm)
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int
    timed_out: bool = False
    truncated: bool = False
    undecodable: bool = False

    def lines(self) -> list[str]:
        return self.stdout.splitlines() + self.stderr.splitlines()

    def describe(self) -> str:
        tail = "\n".join(self.lines()[-15:])
        return f"kb {self.command} exited {self.returncode} after {self.seconds:.1f} s:\n{tail}"


def _limits() -> None:
    """In the child, before exec: the resource limits (inherited by everything it starts)."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE, FILE_SIZE))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _drain(stream, into: list) -> None:
    """Read a pipe to its end, keeping the first OUTPUT_CAP bytes (so a flood cannot fill memory)."""
    kept, total = bytearray(), 0
    while chunk := stream.read(65536):
        total += len(chunk)
        if len(kept) < OUTPUT_CAP:
            kept += chunk[:OUTPUT_CAP - len(kept)]
    into.extend([bytes(kept), total > OUTPUT_CAP])


def run_command(name: str, project: Path, env: dict[str, str]) -> Run:
    """``python -m kb <name's arguments>`` in project, limited, with its wall time and peak memory."""
    return run_limited(name, [sys.executable, "-m", "kb", *COMMANDS[name]], project, env, TIMEOUT[name])


def run_limited(name: str, argv: list[str], cwd: Path, env: dict[str, str], timeout: float) -> Run:
    """Run argv under the resource limits and the alarm, keeping its output, time and memory.

    Not subprocess.run: its wait discards the child's resource usage. os.wait4 returns it, and
    for a child that waited for its own children (kb build runs MkDocs) it covers them too. The
    deadline does what run(timeout=) does: past it the whole process group is killed.
    """
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=_limits, start_new_session=True)
    streams = {"out": [], "err": []}
    readers = [threading.Thread(target=_drain, args=(proc.stdout, streams["out"])),
               threading.Thread(target=_drain, args=(proc.stderr, streams["err"]))]
    for reader in readers:
        reader.start()
    deadline = start + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.01)
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
    try:  # a grandchild left running would hold the pipes open
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for reader in readers:
        reader.join()
    proc.stdout.close()
    proc.stderr.close()
    texts, undecodable = [], False
    for raw, _ in (streams["out"], streams["err"]):
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            undecodable = True
            texts.append(raw.decode("utf-8", errors="backslashreplace"))
    return Run(name, proc.returncode, texts[0], texts[1], time.monotonic() - start, usage.ru_maxrss,
               timed_out=timed_out, truncated=streams["out"][1] or streams["err"][1], undecodable=undecodable)


def output_problems(run: Run, canary: str) -> list[str]:
    """What no command may ever print, whatever the data: tracebacks, the last-resort handler's
    line, the canary, raw control characters, workflow commands other than error annotations."""
    out = []
    if run.timed_out:
        out.append(f"kb {run.command} was still running after {run.seconds:.0f} s and was killed")
    elif run.returncode < 0:
        out.append(f"kb {run.command} was killed by signal {-run.returncode} (a resource limit)")
    elif run.returncode not in (0, 1):
        out.append(f"kb {run.command} exited {run.returncode} (2 is the last-resort internal error handler)")
    if run.truncated:
        out.append(f"kb {run.command} printed more than {OUTPUT_CAP} bytes")
    if run.undecodable:
        out.append(f"kb {run.command} printed bytes that are not UTF-8")
    for line in run.lines():
        if "Traceback" in line:
            out.append(f"kb {run.command} printed a traceback: {line[:200]!r}")
        if INTERNAL_ERROR.search(line):
            out.append(f"kb {run.command} reached the last-resort handler: {line[:200]!r}")
        if canary in line:
            out.append(f"kb {run.command} printed the canary: {line[:200]!r}")
        if CONTROL.search(line):
            out.append(f"kb {run.command} printed a raw control character: {line[:200]!r}")
        if line.startswith("::") and not line.startswith("::error file="):
            out.append(f"kb {run.command} printed a workflow command: {line[:200]!r}")
    return out


def located_match(run: Run, message: str) -> str | None:
    """The first line that is located (path:line:column: ...) and matches the case's message."""
    for line in run.lines():
        if LOCATED.match(line) and not line.startswith("::") and re.search(message, line):
            return line
    return None


def report_row(case: str, run: Run) -> dict:
    return {"case": case, "command": run.command, "returncode": run.returncode,
            "seconds": round(run.seconds, 3), "max_rss_mb": round(run.max_rss_kb / 1024, 1)}


# --- judging built pages --------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "data", "ping",
                  "cite", "longdesc", "srcset", "manifest", "codebase"}
# The one style attribute a template writes: the quality page's bar length, a count it computed.
TEMPLATE_STYLE = re.compile(r"^--n: \d+$")
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):")
# Never in an article: they run code, style the page or take input.
ARTICLE_FORBIDDEN = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
                     "textarea", "button", "select", "meta", "link", "base", "template", "math"}
# What a data fragment (div.kb-text) may hold: the sanitizer's allowlist (kb.fragments, once the
# renderer change lands) or, before it, the same list written out here.
FRAGMENT_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "hr", "del", "sup", "sub"}
FRAGMENT_ATTRIBUTES = {"a": {"href", "rel"}, "ol": {"start"}}
try:
    from kb.fragments import ALLOWED_ATTRIBUTES as _ATTRS, ALLOWED_TAGS as _TAGS  # noqa: E402
    FRAGMENT_TAGS = set(_TAGS)
    FRAGMENT_ATTRIBUTES = {tag: set(names) | ({"rel"} if tag == "a" else set()) for tag, names in _ATTRS.items()}
except ImportError:
    pass
RECORD_FOLDERS = ("actors", "policies", "events", "analyses", "sources", "publishers")
# Record pages whose template shows a Markdown summary, so they hold at least one data fragment.
SUMMARY_FOLDERS = ("actors", "policies", "events", "analyses")
# Boxes the record templates themselves draw (analysis.md.j2: "An analyst's view"); any more came from data.
TEMPLATE_BOXES = {"analyses": 1}
# The "Cite this page" box (_cite.md.j2) draws a <details> and <pre> elements of its own; data cannot
# make an element of this class (the sanitizer drops class attributes), so what is inside is the template's.
CITE_BOX = "kb-cite"


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: "Element | None"
    children: list = field(default_factory=list)  # Elements and strings

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def element_children(self) -> list["Element"]:
        return [c for c in self.children if isinstance(c, Element)]


class _TreeBuilder(HTMLParser):
    """Enough of an HTML tree for these checks: elements with parents, text, script bodies."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # a stray end tag is ignored, as a browser does
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def normalise_script(body: str) -> str:
    """A theme script with the page's relative path to the site root taken out."""
    return re.sub(r'"(\.\./)*\.\."|"\."|"/"', '".."', body.strip())


def theme_scripts(pages: list[Path]) -> set[str]:
    """The inline scripts of pages no case touched: what the theme puts on every page."""
    out = set()
    for page in pages:
        for node in parse(page.read_text(encoding="utf-8")).walk():
            if node.tag == "script" and "src" not in node.attrs and "json" not in node.attrs.get("type", ""):
                out.add(normalise_script(node.text()))
    return out


def page_problems(html: str, url: str, allowed_scripts: set[str], article_rules: bool = True) -> list[str]:
    """Everything on one built page that data could have put there and must not have.

    Without ``article_rules``, only what holds on every page of the site (the timeline's filter
    form, say, is the template's own): handlers, styles, script URLs, scripts, data fragments.
    """
    root = parse(html)
    out = []
    for node in root.walk():
        out += _attribute_problems(node)
        if node.tag == "script":
            out += _script_problems(node, allowed_scripts)
        if node.tag == "meta" and "http-equiv" in node.attrs:
            out.append(f"<meta http-equiv={node.attrs['http-equiv']!r}>")
        if node.tag == "base":
            out.append("<base> element")
    articles = [n for n in root.walk() if n.tag == "article"]
    if len(articles) != 1:
        return out + [f"{len(articles)} <article> elements, expected 1"]
    article = articles[0]
    for node in article.walk():
        if article_rules and node.tag in ARTICLE_FORBIDDEN and not (node.tag == "script" and "json" in node.attrs.get("type", "")):
            out.append(f"<{node.tag}> in the article")
        if "kb-text" in node.classes():
            out += _fragment_problems(node)
    if article_rules and url.split("/")[0] in RECORD_FOLDERS:
        # The page's content sits in the one element Pagefind indexes (overrides/partials/content.html),
        # a child of the article; its structure is checked there.
        bodies = [n for n in article.walk() if "data-pagefind-body" in n.attrs]
        if len(bodies) != 1 or bodies[0].parent is not article:
            out.append(f"{len(bodies)} data-pagefind-body elements, expected 1 right inside the article")
        out += _record_structure_problems(bodies[0] if len(bodies) == 1 else article, url)
    return out


def _attribute_problems(node: Element) -> list[str]:
    out = []
    for name, value in node.attrs.items():
        if name.startswith("on"):
            out.append(f"<{node.tag} {name}={value[:60]!r}>: an event handler")
        if name == "style" and not (TEMPLATE_STYLE.match(value) and "kb-bar" in node.classes()):
            out.append(f"<{node.tag} style={value[:60]!r}>: a style attribute")
        if name in URL_ATTRIBUTES:
            # What a browser sees: control characters and spaces inside a scheme are ignored.
            plain = re.sub(r"[\x00-\x20]", "", value).lower()
            if BAD_SCHEME.match(plain) or any(BAD_SCHEME.match(part.strip()) for part in plain.split(",")):
                out.append(f"<{node.tag} {name}={value[:60]!r}>: a script or data URL")
    return out


def _script_problems(node: Element, allowed: set[str]) -> list[str]:
    src = node.attrs.get("src")
    if src is not None:
        if re.match(r"^([a-z][a-z0-9+.-]*:|//)", src.strip().lower()):
            return [f"<script src={src!r}>: not from this site"]
        return []
    if "json" in node.attrs.get("type", ""):
        try:
            json.loads(node.text())
        except ValueError:
            return [f"a {node.attrs['type']} script that is not JSON (data broke out of it?): {node.text()[:80]!r}"]
        return []
    if normalise_script(node.text()) not in allowed:
        return [f"an inline script the theme does not write: {node.text()[:80]!r}"]
    return []


def _fragment_problems(fragment: Element) -> list[str]:
    out = []
    for node in fragment.walk():
        if node.tag not in FRAGMENT_TAGS:
            out.append(f"<{node.tag}> inside a data fragment (not in the sanitizer's allowlist)")
        extra = set(node.attrs) - FRAGMENT_ATTRIBUTES.get(node.tag, set())
        if extra:
            out.append(f"<{node.tag} {' '.join(sorted(extra))}> inside a data fragment")
        if "kb-text" in node.classes():
            out.append("a data fragment inside a data fragment")
    return out


def _record_structure_problems(article: Element, url: str) -> list[str]:
    """A record page has the template's structure: no box, code block or heading from data, and
    the source list after the content, under its heading."""
    out = []
    def in_cite_box(node: Element) -> bool:
        return any(CITE_BOX in a.classes() for a in node.ancestors())

    boxes = [n for n in article.walk() if (n.tag == "details" or "admonition" in n.classes()) and not in_cite_box(n)]
    if len(boxes) > TEMPLATE_BOXES.get(url.split("/")[0], 0):
        out.append(f"{len(boxes)} boxes (admonition or details), the template draws "
                   f"{TEMPLATE_BOXES.get(url.split('/')[0], 0)}: {[b.text().split()[:4] for b in boxes]}")
    for node in article.walk():
        classes = node.classes()
        if "highlight" in classes or (node.tag in ("pre", "code") and classes):
            out.append(f"<{node.tag} class={node.attrs.get('class', '')!r}>: a highlighted code block")
        if node.tag == "pre" and not any("kb-text" in a.classes() for a in node.ancestors()) and not in_cite_box(node):
            out.append("<pre> outside a data fragment")
        if re.fullmatch(r"h[1-6]", node.tag) and node.parent is not article:
            out.append(f"<{node.tag}> {node.text()[:60]!r} nested inside {node.parent.tag}: not a template heading")
        if "toc" in classes:
            out.append("a table of contents in the article ([TOC] from data?)")
    if url.split("/")[0] in SUMMARY_FOLDERS and not any("kb-text" in n.classes() for n in article.walk()):
        out.append("no data fragment (div.kb-text) on a page with a summary: the fragment rules saw nothing")
    headings_1 = [n for n in article.element_children() if n.tag == "h1"]
    if len(headings_1) != 1:
        out.append(f"{len(headings_1)} top-level headings, expected 1")
    footnotes = [n for n in article.walk() if "footnote" in n.classes()]
    if len(footnotes) > 1:
        out.append(f"{len(footnotes)} footnote lists, expected at most 1")
    for box in footnotes:
        siblings = box.parent.element_children()
        before = siblings[siblings.index(box) - 1] if siblings.index(box) else None
        if box.parent is not article or before is None or before.tag != "h2" or before.attrs.get("id") != "sources":
            out.append("the footnote list is not right after the 'Sources' heading (moved by ///Footnotes Go Here///?)")
    if url.startswith("events/"):
        first = headings_1[0] if headings_1 else None
        siblings = article.element_children()
        after = siblings[siblings.index(first) + 1] if first and siblings.index(first) + 1 < len(siblings) else None
        if after is None or not after.text().strip().startswith("Date:"):
            out.append("the event's date line does not follow its title")
    return out


def article_text(html: str) -> str:
    articles = [n for n in parse(html).walk() if n.tag == "article"]
    return " ".join(articles[0].text().split()) if articles else ""


def feed_problems(path: Path) -> list[str]:
    try:
        ElementTree.parse(path)
    except (ElementTree.ParseError, OSError) as error:
        return [f"{path.name} is not well-formed XML: {error}"]
    return []


def csv_problems(path: Path) -> list[str]:
    """Cells a spreadsheet would run as a formula (CSV injection)."""
    out = []
    for number, row in enumerate(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))), 1):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                out.append(f"{path.name} row {number}: a cell starts with {cell[:1]!r}: {cell[:40]!r}")
    return out
