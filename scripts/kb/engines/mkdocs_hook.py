"""The only MkDocs-specific code: hand the generated pages to MkDocs in memory.

One function per build event, nothing else. The pages come from ``kb.site.render``, which knows
nothing about MkDocs; another engine can use ``python -m kb render --with-docs`` instead.
The first (English) build builds the later editions into its site when it is done
(``kb.engines.editions``), so ``mkdocs build``, ``kb build`` and ``mkdocs serve`` make them all.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from kb.engines import editions
from kb.site import build_errors, changelog, search_index
from kb.model.load import Dataset
from kb.cli import load_checked
from kb.site.history import last_changed
from kb.site.fragments import Fragments
from kb.site.render import PageClash, Site, render_site

_dataset: Dataset | None = None
_serving = False  # `mkdocs serve`: a broken edit is shown in the pages instead of stopping the build
_problems: list = []  # of the last saved edit, shown on every page while they last
_shown: set[str] = set()  # editions whose last build showed problems: rebuild every page once fixed
_fragments = Fragments()  # the data text each page's tokens stand for (kb.site.fragments)
# Each page's text in the previous build of this process, per edition. With `mkdocs serve --dirty`,
# pages whose text did not change are not rebuilt, so a saved edit reloads in about a second
# instead of a full rebuild (measured: BENCHMARKS.md). MkDocs loads this module once for all editions.
_previous: dict[tuple[str, str], str] = {}
_dirty = False  # `mkdocs serve --dirty`: later editions are rebuilt the same way
# The git history pages show (last-changed dates, corrections) of this build: read by the first
# edition (1.3 s on the real repository) and reused by the later ones, built inside its build.
_history: tuple | None = None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def on_startup(command: str, dirty: bool) -> None:
    global _dirty, _serving
    _dirty = dirty
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    config.extra.update(editions.links(editions.language_of(config.extra), config.site_url or ""))  # for overrides/
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    # Validate before MkDocs cleans site/: bad data stops the build with site/ untouched. Under
    # `serve`, once a good build exists, the pages are rebuilt from the last good data instead,
    # with the problems on every page (kb.site.build_errors). A later edition is built from inside
    # the first one's build, on the data (and problems) that build just found.
    global _dataset, _problems
    if editions.language_of(config.extra) != editions.FIRST and _dataset is not None:
        return
    dataset, problems = load_checked(_root(config))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems and not (_serving and _dataset is not None):
        raise PluginError(f"{len(problems)} problem(s) in data/; fix the lines above")
    _problems = problems
    if not problems:
        _dataset = dataset


def on_files(files: Files, config: MkDocsConfig) -> Files:
    root = _root(config)
    language = editions.language_of(config.extra)
    if not config.site_url and not _previous:  # once per process: `serve` rebuilds would repeat it
        print("kb: no site URL (SITE_URL unset): sitemap.xml lists no pages, no canonical links or citation URLs written",
              file=sys.stderr)
    global _history
    if language == editions.FIRST or _history is None:
        _history = (last_changed(root), changelog.read(root))
    changed, log = _history
    site = Site(name=config.site_name, url=config.site_url or "", last_changed=changed, changelog=log,
                schema_dir=root / "data" / "schemas")
    # edit_uri points at the repository root: hand-written pages live in docs/ (docs-ko/ ...), record pages in data/.
    docs = Path(os.path.relpath(config.docs_dir, root)).as_posix()
    for file in files:
        file.edit_uri = f"{docs}/{file.src_uri}"
    if language != editions.FIRST:  # the scripts, styles and vendored code are the first edition's
        shared = root / editions.EDITIONS[editions.FIRST][1]
        for path in sorted(shared.rglob("*")):
            if path.is_file() and path.suffix != ".md":
                files.append(File(path.relative_to(shared).as_posix(), str(shared), config.site_dir, config.use_directory_urls))
    global _fragments
    # Every page changes when the problems banner comes or goes, not only the pages whose text did.
    rebuild_all = bool(_problems) or language in _shown
    if _problems:
        _shown.add(language)
    else:
        _shown.discard(language)
    if rebuild_all:
        for file in files.documentation_pages():
            file.is_modified = lambda: True
    try:
        pages = render_site(_dataset, Path(config.docs_dir), site, language)
    except PageClash as clash:
        raise PluginError(f"{clash.path}:1:1: {clash}") from None
    _fragments = pages.fragments
    for page in pages:
        existing = files.get_file_from_path(page.path)
        if existing is not None:  # a hand-written page whose markers were filled in
            files.remove(existing)
        generated = File.generated(
            config, page.path, content=page.text,
            inclusion=InclusionLevel.NOT_IN_NAV if page.data_path else InclusionLevel.UNDEFINED,
        )
        # "Edit this page" opens the YAML behind a record page, or the hand-written page whose
        # markers were filled in; purely generated pages (indexes, timeline) have nothing to edit.
        generated.edit_uri = page.data_path or (f"{docs}/{page.path}" if existing is not None else None)
        if _previous.get((language, page.path)) == page.text and not rebuild_all:
            generated.is_modified = lambda: False  # only consulted by dirty builds
        _previous[(language, page.path)] = page.text
        files.append(generated)
    return files


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:
    # sitemap.xml's <lastmod>: the day the page's record (or the data) last changed, from git, not
    # the build's date, so that two builds of a commit give the same bytes.
    changed = (page.meta.get("kb_head") or {}).get("date")
    if changed:
        page.update_date = changed
    return markdown


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:
    # After every Markdown extension has run.
    html = _fragments.fill(html)
    return build_errors.banner(_problems) + html if _problems else html


def on_post_build(config: MkDocsConfig) -> None:
    # The later editions, into their folders of this site, each with its own interface language;
    # then one search index of the whole site (Pagefind keeps one per <html lang>).
    if editions.language_of(config.extra) != editions.FIRST:
        return
    raw = editions.read_config(_root(config), Path(config.config_file_path).name)
    for language in editions.later():
        edition = load_config(config.config_file_path, strict=config.strict, **editions.settings(language, raw, config.site_url or ""),
                              site_dir=str(Path(config.site_dir) / editions.EDITIONS[language][0]))
        build(edition, dirty=_dirty)
    editions.link_sitemaps(Path(config.site_dir), config.site_url or "", int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0))
    # In `kb build`, the staged site is indexed before it is swapped in. Under `serve` the index is
    # rebuilt in the background: the browser reloads at once and search catches up a few seconds
    # later. Skipped when Material's own search plugin is on (make bench's lunr comparison).
    if "material/search" in config.plugins:
        return
    if _serving:
        search_index.index_site_later(Path(config.site_dir))
        return
    try:
        search_index.index_site(Path(config.site_dir))
    except (search_index.IndexFailed, OSError) as error:
        raise PluginError(f"search index: {error}") from None


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(_root(config) / "data"))
    for language in editions.later():
        server.watch(str(_root(config) / editions.EDITIONS[language][1]))
    server.watch(str(Path(__file__).parents[1]))  # templates and build code, for maintainers
    return server
