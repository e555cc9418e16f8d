"""Command line: ``python -m kb check | fmt | build | render OUT | new KIND | diff REF | linkcheck | zensical-config | search-index SITE``.

Every command reports data problems one per line (``path:line:column: message``) on stderr and
exits with status 1; it never prints a traceback for bad data.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.engines import editions, zensical_config
from kb.site import changelog, search_index
from kb.tools import diff, fmt, linkcheck, new, translate_mark
from kb.site.history import commit_time, last_changed
from kb.model.load import Dataset, load
from kb.model.problems import Problem
from kb.model.problems import report as print_problems
from kb.site.fragments import Fragments
from kb.site.render import PageClash, Site, render_site
from kb.model.schemas import SCHEMA_DIR, SchemaProblems
from kb.site.stats import measure, summary_lines
from kb.model.validate import validate

SECURITY_NOTE = "please report it; see SECURITY.md"


def project_root() -> Path:
    """The folder holding mkdocs.yml: the current one, or the nearest parent that has it."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").is_file():
            return folder
    return here


def load_checked(root: Path, schema_roots: tuple[Path, ...] = ()) -> tuple[Dataset, list[Problem]]:
    """The data and its problems, validated against the project's schemas (and those under each of
    ``schema_roots``); broken schemas are problems like any other, and stop validation."""
    dataset = load(root)
    try:
        problems = validate(dataset, root)
        for other in schema_roots:
            problems = sorted(set(problems) | set(validate(dataset, other)))
    except SchemaProblems as error:
        return dataset, sorted(set(dataset.problems) | set(error.problems))
    return dataset, problems


def report(problems: list[Problem], github: bool = False) -> None:
    print_problems(problems, github)
    noun = "problem" if len(problems) == 1 else "problems"
    print(f"{len(problems)} {noun} found in data/; nothing was built", file=sys.stderr)


def cmd_check(args, root: Path) -> int:
    if args.schemas_from:
        # A pull request that changes data/schemas/ must still pass the base branch's schemas: a
        # loosened schema cannot wave hostile data through by itself.
        with tempfile.TemporaryDirectory() as base:
            try:
                diff.extract(root, args.schemas_from, SCHEMA_DIR, Path(base))
            except (ValueError, OSError) as error:
                print(f"check: {error}", file=sys.stderr)
                return 2
            return _check(args, *load_checked(root, (Path(base),)))
    return _check(args, *load_checked(root))


def _check(args, dataset: Dataset, problems: list[Problem]) -> int:
    if args.strict_translations:  # a stale translation fails the check, as CI may require one day
        problems = sorted(problems + [p for p in dataset.warnings if "ko:" in p.message])
    if problems:
        report(problems, args.github)
        return 1
    print_problems(dataset.warnings)
    print("data/ is valid" + (f" ({len(dataset.warnings)} warnings)" if dataset.warnings else ""))
    for line in summary_lines(measure(dataset)):
        print(f"  {line}")
    return 0


def write_tree(pages, out: Path) -> int:
    """Write pages under ``out``; only files whose bytes change are touched. Returns files written."""
    written = 0
    for page in pages:
        target = out / page.path
        data = page.text if isinstance(page.text, bytes) else page.text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    return written


def cmd_render(args, root: Path) -> int:
    return render_to(root, {args.language: Path(args.out)}, args.with_docs)


def cmd_zensical(args, root: Path) -> int:
    """Pages on disk plus an overlay of mkdocs.yml per edition, for a Zensical build of the same site."""
    out = Path(args.out)
    status = render_to(root, {language: zensical_config.edition_folder(out, language) for language in editions.EDITIONS}, with_docs=True)
    if status != 0:
        return status
    for language in editions.EDITIONS:
        print(f"Zensical configuration: {zensical_config.write_overlay(root, out, language)}")
    return 0


def cmd_zensical_fill(args, root: Path) -> int:
    """After `zensical build`: put the data fragments into the built pages and the search index."""
    out = Path(args.out)
    filled = 0
    for language, (folder, _) in editions.EDITIONS.items():
        fragments_path = fragments_file(zensical_config.edition_folder(out, language))
        others = [out / "site" / f for lang, (f, _) in editions.EDITIONS.items() if f and lang != language]
        filled += _fill(Fragments.loads(fragments_path.read_text(encoding="utf-8")), out / "site" / folder, others)
    print(f"data fragments filled into {filled} files of {out / 'site'}")
    return 0


def _fill(fragments: Fragments, site: Path, skip: list[Path]) -> int:
    """Fill one edition's built files (not those of the editions in folders inside it)."""
    filled = 0
    for file in sorted(site.rglob("*")):
        if file.suffix not in (".html", ".json") or not file.is_file() or any(file.is_relative_to(s) for s in skip):
            continue
        text = file.read_text(encoding="utf-8")
        new = fragments.fill(text) if file.suffix == ".html" else fragments.fill_text(text)
        if new != text:
            file.write_text(new, encoding="utf-8")
            filled += 1
    return filled


def cmd_search_index(args, root: Path) -> int:
    """Pagefind's index of a site built by another engine (`kb build` and `mkdocs` index their own)."""
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"search-index: {site} holds no built site (no index.html)", file=sys.stderr)
        return 1
    try:
        print(f"search index of {site}: {search_index.index_site(site)}")
    except search_index.IndexFailed as error:
        print(f"search-index: {error}", file=sys.stderr)
        return 1
    return 0


def fragments_file(out: Path) -> Path:
    """Where `kb render OUT` puts the fragments its pages' tokens stand for: beside OUT, not in it."""
    return out.parent / f"{out.name}.fragments.json"


def render_to(root: Path, targets: dict[str, Path], with_docs: bool) -> int:
    """Each edition's pages (language -> folder), from one load and check of the data."""
    dataset, problems = load_checked(root)
    if problems:
        report(problems)
        return 1
    config = editions.read_config(root)  # the site's name and URL, as MkDocs would read them
    changed, log = last_changed(root), changelog.read(root)  # git history, read once for every edition
    for language, out in targets.items():
        edition = {**config, **editions.settings(language, config, config.get("site_url") or "")}
        site = Site(name=edition.get("site_name") or Site.name, url=edition.get("site_url") or "", last_changed=changed,
                    schema_dir=root / "data" / "schemas", changelog=log)
        status = _render_edition(root, dataset, site, language, out, with_docs)
        if status != 0:
            return status
    return 0


def _render_edition(root: Path, dataset: Dataset, site: Site, language: str, out: Path, with_docs: bool) -> int:
    docs = root / editions.EDITIONS[language][1]
    try:
        pages = render_site(dataset, docs, site, language)
    except PageClash as clash:
        report([Problem(clash.path, 1, 1, str(clash))])
        return 1
    if with_docs:
        # A complete docs folder: hand-written pages first, generated pages over them. A later
        # edition has its own hand-written pages and shares the first one's scripts and styles.
        shared = root / editions.EDITIONS[editions.FIRST][1]
        copies = [(file, shared) for file in sorted(shared.rglob("*")) if file.is_file() and (docs == shared or file.suffix != ".md")]
        if docs != shared:
            copies += [(file, docs) for file in sorted(docs.rglob("*")) if file.is_file()]
        for file, base in copies:
            target = out / file.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    written = write_tree(pages, out)
    fragments_file(out).write_text(pages.fragments.dumps(), encoding="utf-8")
    print(f"{len(pages)} pages rendered into {out} ({written} written, {len(pages) - written} unchanged)")
    return 0


def cmd_build(args, root: Path) -> int:
    """Strict MkDocs build into a temporary folder, then swap it in: a failed build leaves site/ as it was.
    The hook's on_post_build writes the search index into the temporary folder, before the swap."""
    dataset, problems = load_checked(root)
    if problems:
        report(problems)
        return 1
    site = (root / args.site_dir).resolve()
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    # Reproducible output: MkDocs dates the sitemap (and the gzip header) from SOURCE_DATE_EPOCH
    # when it is set; take the last commit's time, so the same commit builds the same bytes any day.
    if "SOURCE_DATE_EPOCH" not in env:
        stamp = commit_time(root)
        if stamp:
            env["SOURCE_DATE_EPOCH"] = stamp
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed; {args.site_dir}/ was left as it was", file=sys.stderr)
        return 1
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=".site-old-", dir=site.parent))
        site.rename(old / "site")
    staging.rename(site)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"site built in {args.site_dir}/")
    return 0


def main(argv: list[str] | None = None) -> int:
    # File names and values from the data may hold bytes that are not UTF-8 (kept as surrogates):
    # print them escaped rather than die with UnicodeEncodeError on a strict stdout.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="python -m kb", description="Validate and render the knowledge base.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every file in data/ and report all problems")
    check.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    check.add_argument("--strict-translations", action="store_true", help="fail on Korean text that predates its English")
    check.add_argument("--schemas-from", metavar="REF", help="also validate with the schemas of this git ref (git show)")
    render = sub.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("out", help="folder to write into (created if missing)")
    render.add_argument("--with-docs", action="store_true", help="also copy the hand-written docs/, for a complete docs folder")
    render.add_argument("--language", choices=list(editions.EDITIONS), default=editions.FIRST, help="the edition to render (default: en)")
    fmt_parser = sub.add_parser("fmt", help="put data files into canonical form (keeps comments)")
    fmt_parser.add_argument("files", nargs="*", help="files to format (default: every file in data/)")
    fmt_parser.add_argument("--check", action="store_true", help="change nothing; fail on files that are not canonical")
    fmt_parser.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    new.add_parser(sub)
    zensical = sub.add_parser("zensical-config", help="render the pages and write an overlay of mkdocs.yml for Zensical")
    zensical.add_argument("out", nargs="?", default="build/zensical", help="folder for the pages, the overlay and the site")
    fill = sub.add_parser("zensical-fill", help="after `zensical build`: put the data text into the built pages")
    fill.add_argument("out", nargs="?", default="build/zensical", help="the folder given to zensical-config")
    index = sub.add_parser("search-index", help="write Pagefind's search index into a built site (for `make build-zensical`)")
    index.add_argument("site", help="the built site, e.g. build/zensical/site")
    mark = sub.add_parser("translate-mark", help="confirm that the Korean text of these files matches their English")
    mark.add_argument("files", nargs="+", help="data files whose 'ko:' block is current")
    links = sub.add_parser("linkcheck", help="check that cited URLs still answer (needs the network; not part of builds)")
    links.add_argument("files", nargs="*", help="data files to check (default: all)")
    links.add_argument("--workers", type=int, default=8, help="requests at once (default 8)")
    links.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    diff_parser = sub.add_parser("diff", help="summarise what changed in data/ since a git ref (Markdown)")
    diff_parser.add_argument("ref", help="git ref to compare with, e.g. origin/main")
    build = sub.add_parser("build", help="validate, then build the site with a strict MkDocs build")
    build.add_argument("--site-dir", default="site", help="where the site goes (default: site)")
    args = parser.parse_args(argv)
    root = project_root()
    commands = {"check": cmd_check, "render": cmd_render, "build": cmd_build,
                "fmt": lambda a, r: fmt.run(r, a.files, a.check, a.github),
                "diff": lambda a, r: diff.run(r, a.ref),
                "zensical-config": cmd_zensical,
                "zensical-fill": cmd_zensical_fill,
                "search-index": cmd_search_index,
                "linkcheck": lambda a, r: linkcheck.run(r, a.files, a.workers, a.timeout),
                "translate-mark": lambda a, r: translate_mark.run(r, a.files),
                "new": lambda a, r: new.run(r, a.record_kind, vars(a), sys.stdin.isatty())}
    try:
        return commands[args.command](args, root)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except Exception as error:  # noqa: BLE001 - the last resort: one line, never a traceback that echoes data
        print(f"internal error in 'kb {args.command}': {type(error).__name__} ({SECURITY_NOTE})", file=sys.stderr)
        return 2
