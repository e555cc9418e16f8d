"""``make bench``: how build time, memory and page weight grow with the data.

Generates synthetic data sets shaped like the real data (same fields, references and text lengths,
measured from data/ in November 2026) at 1,000, 5,000 and 20,000 events, then measures for each:
the YAML parse floor, the build code alone, the full `mkdocs build` (both language editions and Pagefind
included, and the English one alone, KB_EDITIONS=en: the Korean edition's cost), the same
build with Material's lunr search instead, Pagefind's step alone, a bare MkDocs + Material build
of the same Markdown without the hook, peak memory, site size, HTML size of key pages; the bytes
a first search transfers (Pagefind in Chromium; lunr: its whole search_index.json); the
edit-to-reload time under `mkdocs serve --dirty`; the timeline's filter time in Chromium; and
Zensical's cold and cached build times on the same pages.
Prints a table of figures and ratios. Numbers belong here and in BENCHMARKS.md, never in tests.

    python -m kb.tools.bench [--sizes 1000 5000] [--out build/bench] [--no-serve] [--no-browser]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from kb import COVERAGE_FILE, FOLDERS
from kb.engines import editions
from kb.model import translation
from kb.model.load import Record
from kb.site import search_index

ROOT = Path(__file__).resolve().parents[3]
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

# Shape of the real data (data/, 196 events): per event 2 actors, 0.7 policies, 2.6 sources,
# 2.3 tags; titles ~62 characters, summaries ~310. Records per event below keep the page count
# within the 15-minute budget on 2 cores: each source is cited by ~13 events here (1.1 in the real
# data, where nearly every citation is a distinct article), so there are fewer source pages.
PER_EVENT = {"actor": 0.08, "policy": 0.04, "source": 0.2}
WORDS = ("north korea south seoul pyongyang talks military border policy unification minister statement "
         "summit agreement dialogue missile leaflet broadcast ministry president envoy sanctions alliance").split()
TYPES = ["statement", "meeting", "announcement", "weapons-test", "appointment", "speech", "summit", "military"]
# Material's lunr search as the site configured it before Pagefind (for the comparison only).
LUNR_SEPARATOR = '[\\s\\-,:;!?=\\[\\]()"\'’‘“”/·]+|\\.(?!\\d)'
QUERY_WORDS = {"real": "loudspeaker", "synthetic": "summit"}  # a typical word: in a few percent of the pages
TAGS = ["border", "dialogue", "military", "missiles", "nuclear", "leaflets", "humanitarian", "alliance", "unification"]


def sentence(rng: random.Random, length: int) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize() + "."


def day(rng: random.Random, i: int, n: int) -> str:
    year = 2018 + (8 * i) // n
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


SYNTHETIC_PUBLISHERS = {"yonhap": "yna.co.kr", "kbs-world": "world.kbs.co.kr", "joongang": "joongang.co.kr", "reuters": "reuters.com", "nk-news": "nknews.org"}


def generate(folder: Path, events: int, seed: int = 20261127) -> None:
    """A project folder with the real configuration and synthetic data."""
    rng = random.Random(seed)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "data").mkdir(parents=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("docs", "docs-ko", "overrides"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copytree(ROOT / "data" / "schemas", folder / "data" / "schemas")
    (folder / "scripts").symlink_to(ROOT / "scripts")
    counts = {kind: max(3, int(events * share)) for kind, share in PER_EVENT.items()}
    def write(kind, folder_name, data):
        if kind in translation.FIELDS:  # Korean of the same length, confirmed current: a fair figure for the Korean edition
            data["ko"] = korean(kind, data)
        (folder / "data" / folder_name / f"{data['id']}.yaml").write_text(
            f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
            encoding="utf-8")
    for sub in FOLDERS.values():
        (folder / "data" / sub).mkdir()
    for pid, host in SYNTHETIC_PUBLISHERS.items():
        write("publisher", "publishers", {"id": pid, "name": pid.replace("-", " ").title(), "hosts": [host], "kind": "newspaper",
                                          "reliability": "reliable", "reason": "A synthetic publisher for the benchmark."})
    sources = [f"source-{i}" for i in range(counts["source"])]
    actors = [f"actor-{i}" for i in range(counts["actor"])]
    policies = [f"policy-{i}" for i in range(counts["policy"])]
    for i, sid in enumerate(sources):
        publisher = rng.choice(sorted(SYNTHETIC_PUBLISHERS))
        write("source", "sources", {"id": sid, "title": sentence(rng, 74), "publisher": publisher,
                                    "url": f"https://{SYNTHETIC_PUBLISHERS[publisher]}/news/{i}", "published": day(rng, i, len(sources)), "language": "en", "kind": "news"})
    for i, aid in enumerate(actors):
        data = {"id": aid, "name": f"Actor {i} {rng.choice(WORDS).title()}", "kind": rng.choice(["person", "organization", "government-body"]),
                "hangul": "이재명", "aliases": [f"Actor {i}"], "summary": sentence(rng, 180), "sources": rng.sample(sources, 1)}
        if i % 2 == 0:
            data["roles"] = [{"title": sentence(rng, 30)[:-1], "organization": actors[0] if i else actors[1], "start": day(rng, i, len(actors)), "sources": rng.sample(sources, 1)}]
        write("actor", "actors", data)
    for i, pid in enumerate(policies):
        start = 2018 + (8 * i) // len(policies)
        write("policy", "policies", {"id": pid, "title": sentence(rng, 50)[:-1], "owners": rng.sample(actors, 1), "summary": sentence(rng, 330),
                                     "status": [{"date": f"{start}-0{k + 1}", "status": s, "sources": rng.sample(sources, 1)}
                                                for k, s in enumerate(["proposed", "announced", "in-effect", "suspended"])],
                                     "tags": rng.sample(TAGS, 2), "sources": rng.sample(sources, 1)})
    for i in range(events):
        data = {"id": f"event-{i}", "date": day(rng, i, events), "title": sentence(rng, 62)[:-1], "type": rng.choice(TYPES),
                "summary": sentence(rng, 310), "actors": [{"actor": a, "role": rng.choice(["host", "speaker", "target"])} for a in rng.sample(actors, 2)],
                "tags": rng.sample(TAGS, 2), "sources": rng.sample(sources, 3 if i % 3 == 0 else 2)}
        if rng.random() < 0.7:
            data["policies"] = [{"policy": rng.choice(policies), "effect": "affected"}]
        write("event", "events", data)
    write("analysis", "analyses", {"id": "analysis-0", "title": "Synthetic analysis", "authors": [actors[0]], "date": "2025",
                                    "summary": sentence(rng, 300), "claims": [{"claim": sentence(rng, 200), "events": ["event-0"]}], "sources": [sources[0]]})


HANGUL_WORDS = "북한 남한 서울 평양 회담 군사 접경 정책 통일 장관 성명 정상 합의 대화 미사일 전단 방송 부처 대통령 특사 제재 동맹".split()


def korean(kind: str, data: dict) -> dict:
    """A ko block for a synthetic record: every translated field, Hangul of about the English length."""
    rng = random.Random(data["id"])
    say = lambda text: " ".join(rng.choice(HANGUL_WORDS) for _ in range(max(1, len(str(text)) // 6))) + "."
    out = {"of": translation.fingerprint(Record(kind, data["id"], "", data))}
    for name, (field, key) in {**translation.FIELDS[kind], "notes": translation.NOTES}.items():
        value = data.get(field)
        if isinstance(value, str):
            out[name] = say(value)
        elif isinstance(value, list) and key:
            out[name] = [say(item.get(key, "")) for item in value]
    return out


def measured(args: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a Python module in a child process: (seconds, peak memory in MB, result)."""
    wrapper = ("import resource, runpy, sys, atexit, json\n"
               "atexit.register(lambda: print('KB-BENCH-RSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))\n"
               "sys.argv = sys.argv[1:]\n"
               "if sys.argv[0].endswith('.py'):\n"
               "    runpy.run_path(sys.argv[0], run_name='__main__')\n"
               "else:\n"
               "    runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)\n")
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, env=env or ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU seconds of the child: on a machine shared with other work, a fairer comparison than wall time.
    measured.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss = [line.split()[1] for line in result.stderr.splitlines() if line.startswith("KB-BENCH-RSS")]
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    return seconds, int(rss[-1]) / 1024 if rss else 0.0, result


PARSE_FLOOR = ("import sys, pathlib, yaml\n"
               "for f in sorted(pathlib.Path('data').glob('*/*.yaml')):\n"
               "    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n")
BUILD_CODE = ("import pathlib\n"
              "from kb.model.load import load\nfrom kb.model.validate import validate\nfrom kb.site.render import render_site\n"
              "root = pathlib.Path('.')\nd = load(root)\nassert not validate(d, root)\nrender_site(d, root / 'docs')\n")


def timed_python(code: str, cwd: Path) -> tuple[float, float]:
    path = cwd / "_bench_step.py"
    path.write_text(code)
    try:
        seconds, rss, _ = measured([str(path)], cwd)
    finally:
        path.unlink()
    return seconds, rss


def site_stats(site: Path) -> dict:
    pages = list(site.rglob("*.html"))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"pages": len(pages), "bytes": size, "bytes_per_page": size / max(1, len(pages))}


def html_kb(site: Path, path: str) -> float:
    file = site / path / "index.html"
    return file.stat().st_size / 1024 if file.is_file() else float("nan")


def bare_build(project: Path, out: Path) -> tuple[float, float]:
    """The same Markdown, built by MkDocs + Material with the same configuration but no hook."""
    docs = project / "_bare_docs"
    if docs.exists():
        shutil.rmtree(docs)
    subprocess.run([sys.executable, "-m", "kb", "render", str(docs), "--with-docs"], cwd=project, env=ENV, check=True, capture_output=True)
    config = editions.read_config(project)  # !ENV resolved as MkDocs does
    config.pop("hooks", None)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(out)
    config["not_in_nav"] = "/actors/*/\n/events/*\n/policies/*\n/sources/*\n/analyses/*\n"
    (project / "_bare.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    seconds, rss, _ = measured(["mkdocs", "build", "-q", "-f", "_bare.yml"], project)
    return seconds, rss


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def edit_to_reload(project: Path, event_id: str) -> tuple[float, float]:
    """Seconds from saving one event's YAML to the served page showing the change (serve --dirty),
    in the English edition and in the Korean one (its notice that the translation is now older)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/events/{event_id}/"
    korean_url = f"http://127.0.0.1:{port}/ko/events/{event_id}/"

    def page(address: str = url) -> str:
        try:
            with urllib.request.urlopen(address, timeout=30) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 900
        # The first build is done, and so is its search index (Pagefind runs in the background
        # after it, lunr within it): the edit's rebuild does not share the machine with either.
        index = [f"http://127.0.0.1:{port}/{path}" for path in ("pagefind/pagefind-entry.json", "search/search_index.json")]
        while "<h1" not in page() or not any(page(i).startswith("{") for i in index):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("mkdocs serve did not start")
            time.sleep(0.5)
        time.sleep(2)  # let the watcher settle
        file = project / "data" / "events" / f"{event_id}.yaml"
        text = file.read_text(encoding="utf-8")
        start = time.perf_counter()
        file.write_text(text.replace("title: ", "title: Edited ", 1), encoding="utf-8")
        while "Edited " not in page():
            if time.perf_counter() - start > 300:
                raise RuntimeError("edit never showed")
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        while "영어 원문의 최근 변경" not in page(korean_url):
            if time.perf_counter() - start > 300:
                raise RuntimeError("edit never showed in the Korean edition")
            time.sleep(0.05)
        korean_seconds = time.perf_counter() - start
        file.write_text(text, encoding="utf-8")
        return seconds, korean_seconds
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextlib.contextmanager
def chromium_page(site: Path):
    """A Chromium page and the address of ``site`` served by a plain static server; None without a browser."""
    chromium = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None, ""
        return
    if not Path(chromium).exists():
        yield None, ""
        return
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            yield browser.new_page(), f"http://127.0.0.1:{server.server_address[1]}/"
            browser.close()
    finally:
        server.shutdown()


def timeline_filter_ms(site: Path) -> tuple[float, float] | None:
    """Median and worst milliseconds per keystroke in the timeline's title filter, in Chromium."""
    with chromium_page(site) as (page, base):
        if page is None:
            return None
        page.goto(base + "timeline/", wait_until="networkidle")
        page.wait_for_selector("#kb-timeline li", timeout=60000)
        times = page.evaluate("""() => {
            const input = document.querySelector('#kb-q'); const out = [];
            for (const text of ['n', 'no', 'nor', 'nort', 'north', 'north ', 'north k', 'north ko', 'north kor', 'north kore', 'north korea']) {
                const t0 = performance.now(); input.value = text;
                input.dispatchEvent(new Event('input', {bubbles: true})); out.push(performance.now() - t0);
            }
            return out; }""")
    times.sort()
    return times[len(times) // 2], times[-1]


def first_query_kb(site: Path, word: str) -> tuple[float, float, int] | None:
    """What a reader's first search for ``word`` transfers, in Chromium, as Pagefind's UI does it:
    (KB of Pagefind's files fetched by the query and its first page of 5 results, KB of the UI's
    script and style, number of results)."""
    with chromium_page(site) as (page, base):
        if page is None:
            return None
        fetched: dict[str, int] = {}

        def count(response) -> None:
            try:
                if "/pagefind/" in response.url:
                    fetched[response.url] = len(response.body())
            except Exception:  # noqa: BLE001 - a response still arriving as the page closes
                pass

        page.on("response", count)
        page.goto(base, wait_until="networkidle")
        count = page.evaluate("""async (word) => {
            const pagefind = await import('./pagefind/pagefind.js'); await pagefind.init();
            const search = await pagefind.search(word);
            await Promise.all(search.results.slice(0, 5).map(r => r.data()));
            return search.results.length; }""", word)
        page.wait_for_load_state("networkidle")
    query = sum(fetched.values())
    ui = sum((site / "pagefind" / name).stat().st_size for name in ("pagefind-ui.js", "pagefind-ui.css"))
    return query / 1024, ui / 1024, count


def lunr_build(project: Path, out: Path) -> tuple[float, int]:
    """For comparison: the same build with Material's lunr search plugin on, as before Pagefind
    (the hook then writes no Pagefind index). Seconds, and bytes of the search_index.json that
    a reader's first query downloads whole."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text().replace("!ENV", ""))
    config["plugins"] = [{"search": {"lang": "en", "separator": LUNR_SEPARATOR, "pipeline": ["stemmer", "stopWordFilter"]}}] + \
        [p for p in config.get("plugins", []) if p != "search"]
    (project / "_lunr.yml").write_text(yaml.safe_dump(config, allow_unicode=True))
    seconds, _, _ = measured(["mkdocs", "build", "-q", "-f", "_lunr.yml", "-d", str(out)], project)
    return seconds, (out / "search" / "search_index.json").stat().st_size


def zensical_times(project: Path) -> tuple[float, float] | None:
    """Zensical on the same pages: a cold build (cache cleaned) and a second, cached one."""
    zensical = Path(sys.executable).with_name("zensical")
    if not zensical.exists():
        return None
    out = project / "_zensical"
    subprocess.run([sys.executable, "-m", "kb", "zensical-config", str(out)], cwd=project, env=ENV, check=True, capture_output=True)
    times = []
    for extra in (["--clean"], []):
        start = time.perf_counter()
        subprocess.run([str(zensical), "build", *extra, "-f", "mkdocs.yml"], cwd=out, env=ENV, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times[0], times[1]


def measure_size(label: str, project: Path, event_id: str, serve: bool, browser: bool, zensical: bool = False) -> dict:
    row: dict = {"label": label}
    row["events"] = len(list((project / "data" / "events").glob("*.yaml")))
    row["parse_s"], _ = timed_python(PARSE_FLOOR, project)
    row["code_s"], row["code_mb"] = timed_python(BUILD_CODE, project)
    site = project / "_site"
    row["english_s"], _, _ = measured(["mkdocs", "build", "-q", "--strict", "-d", str(project / "_site_en")], project, dict(ENV, KB_EDITIONS="en"))
    row["english_cpu"] = measured.cpu
    row["full_s"], row["full_mb"], _ = measured(["mkdocs", "build", "-q", "--strict", "-d", str(site)], project)
    row["full_cpu"] = measured.cpu
    # Right after, so that both builds meet the same load on a shared machine.
    row["lunr_s"], row["lunr_bytes"] = lunr_build(project, project / "_lunr_site")
    started = time.perf_counter()
    search_index.index_site(site)  # the Pagefind step alone, as the hook runs it after each build
    row["pagefind_s"] = time.perf_counter() - started
    row.update(site_stats(site))
    row["home_kb"], row["actor_kb"] = html_kb(site, ""), html_kb(site, "actors/" + sorted(p.stem for p in (project / "data/actors").glob("*.yaml"))[0])
    row["event_kb"] = html_kb(site, f"events/{event_id}")
    row["bare_s"], row["bare_mb"] = bare_build(project, project / "_bare_site")
    row["reload_s"] = edit_to_reload(project, event_id) if serve else None
    row["filter_ms"] = timeline_filter_ms(site) if browser else None
    row["zensical_s"] = zensical_times(project) if zensical else None
    row["query"] = first_query_kb(site, QUERY_WORDS["real" if label == "real" else "synthetic"])
    return row


def citation_cost(items: int = 30) -> str:
    """citeproc-py per page (three styles) formatting the whole item, against the cached shapes that
    kb.site.cite uses (first call per date formats the shape; the rest fill it in)."""
    from kb.site import cite

    entries = [cite.item(f"events:e-{i}", f"Synthetic event number {i} on the road to talks", "KB", "2026-11-27",
                         f"https://example.org/events/e-{i}/") for i in range(items)]
    for style in cite.STYLES:  # load the styles first: they are loaded once per build either way
        cite.citeproc_html(entries[0], style)
    start = time.perf_counter()
    for entry in entries:
        for style in cite.STYLES:
            cite.citeproc_html(cite._escaped(entry), style)
    whole = (time.perf_counter() - start) / items * 1000
    start = time.perf_counter()
    formatter = cite.Formatter()
    for entry in entries:
        formatter.all_styles(entry)
    cached = (time.perf_counter() - start) / items * 1000
    return (f"citations (3 styles per page): citeproc-py on the whole item {whole:.1f} ms per page; "
            f"cached shapes {cached:.2f} ms per page (shape formatting included, one date)")


def report(rows: list[dict]) -> str:
    head = ("| data | events | pages | parse floor | build code | code / floor | mkdocs build | code share | bare build | hook adds "
            "| peak MB | site MB | bytes/page | home / actor / event KB | edit-to-reload | filter ms (median, worst) |")
    lines = [head, "|" + "---|" * 16]
    for r in rows:
        filt = f"{r['filter_ms'][0]:.1f}, {r['filter_ms'][1]:.1f}" if r.get("filter_ms") else "-"
        reload_s = f"{r['reload_s'][0]:.1f} s (ko {r['reload_s'][1]:.1f} s)" if r.get("reload_s") else "-"
        lines.append(
            f"| {r['label']} | {r['events']:,} | {r['pages']:,} | {r['parse_s']:.2f} s | {r['code_s']:.2f} s | {r['code_s'] / r['parse_s']:.1f}x "
            f"| {r['full_s']:.1f} s | {100 * r['code_s'] / r['full_s']:.0f} % | {r['bare_s']:.1f} s | {100 * (r['full_s'] - r['bare_s']) / r['bare_s']:+.0f} % "
            f"| {max(r['full_mb'], r['code_mb']):.0f} | {r['bytes'] / 1e6:.0f} | {r['bytes_per_page'] / 1024:.1f} K "
            f"| {r['home_kb']:.0f} / {r['actor_kb']:.0f} / {r['event_kb']:.0f} | {reload_s} | {filt} |")
    lines += ["", "| data | English edition alone | both editions (English + Korean) | both / English, wall | CPU: English, both, both / English |",
              "|---|---|---|---|---|"]
    lines += [f"| {r['label']} | {r['english_s']:.1f} s | {r['full_s']:.1f} s | {r['full_s'] / r['english_s']:.2f}x "
              f"| {r['english_cpu']:.1f} s, {r['full_cpu']:.1f} s, {r['full_cpu'] / r['english_cpu']:.2f}x |" for r in rows]
    engines = [r for r in rows if r.get("zensical_s")]
    if engines:
        lines += ["", "| data | pages | mkdocs build | Zensical 0.0.73, cold | Zensical, cached |", "|---|---|---|---|---|"]
        lines += [f"| {r['label']} | {r['pages']:,} | {r['full_s']:.1f} s | {r['zensical_s'][0]:.1f} s | {r['zensical_s'][1]:.1f} s |" for r in engines]
    lines += ["", "| data | pages | build with Pagefind | of which Pagefind | build with lunr | Pagefind / lunr "
              "| first query, Pagefind KB (results) | Pagefind UI KB | lunr index KB |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        query = f"{r['query'][0]:,.0f} ({r['query'][2]:,})" if r.get("query") else "-"
        ui = f"{r['query'][1]:,.0f}" if r.get("query") else "-"
        lines.append(f"| {r['label']} | {r['pages']:,} | {r['full_s']:.1f} s | {r['pagefind_s']:.1f} s | {r['lunr_s']:.1f} s | {r['full_s'] / r['lunr_s']:.2f}x "
                     f"| {query} | {ui} | {r['lunr_bytes'] / 1024:,.0f} |")
    synthetic = [r for r in rows if r["label"] != "real"]
    if len(synthetic) >= 2:
        a, b = synthetic[0], synthetic[-1]
        scale = b["events"] / a["events"]
        lines += ["", f"Growth from {a['events']:,} to {b['events']:,} events ({scale:.0f}x the events): "
                  f"mkdocs build {b['full_s'] / a['full_s']:.1f}x, build code {b['code_s'] / a['code_s']:.1f}x, "
                  f"pages {b['pages'] / a['pages']:.1f}x, bytes per page {b['bytes_per_page'] / a['bytes_per_page']:.2f}x "
                  f"(linear growth would be {scale:.0f}x for times and 1.00x per page)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kb.tools.bench")
    # 20,000 events (--sizes 1000 5000 20000) builds two editions twice more: about 25 minutes.
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--no-serve", action="store_true", help="skip the edit-to-reload measurement")
    parser.add_argument("--no-browser", action="store_true", help="skip the timeline measurement in Chromium")
    parser.add_argument("--serve-max", type=int, default=1000, help="measure edit-to-reload up to this many events (default 1000)")
    parser.add_argument("--zensical-max", type=int, default=1000,
                        help="build with Zensical up to this many events (default 1000: at 5,000 it adds ~3 minutes)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()  # child processes run in other folders
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}", flush=True)
    rows = []
    real = out / "real"
    generate(real, 0)  # configuration only; then the real records
    for sub in FOLDERS.values():  # publishers too: sources name them
        shutil.rmtree(real / "data" / sub)
        shutil.copytree(ROOT / "data" / sub, real / "data" / sub)
    if (ROOT / "data" / COVERAGE_FILE).is_file():
        shutil.copy(ROOT / "data" / COVERAGE_FILE, real / "data" / COVERAGE_FILE)
    print("measuring the real data...", flush=True)
    rows.append(measure_size("real", real, "lee-unga-end-initiative-2025", not args.no_serve, False, zensical=True))
    for n in args.sizes:
        print(f"generating and measuring {n:,} events...", flush=True)
        project = out / f"events-{n}"
        generate(project, n)
        biggest = n == max(args.sizes)
        rows.append(measure_size(f"{n:,}", project, "event-1", not args.no_serve and n <= args.serve_max,
                                 biggest and not args.no_browser, zensical=n <= args.zensical_max))
        print(report(rows), flush=True)
    print()
    print(report(rows))
    print(citation_cost())
    print(f"\nbench finished in {time.perf_counter() - started:.0f} s")
    (out / "results.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
