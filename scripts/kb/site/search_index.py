"""The site's search index: Pagefind, run on the built HTML of either engine.

Pagefind reads what the pages mark (``data-pagefind-body`` on the content of pages worth finding,
``data-pagefind-filter`` and ``data-pagefind-meta`` on record pages; see overrides/partials/ and
the record templates) and writes a bundle of small files that the reader's browser fetches piecewise:
a first query loads the index metadata, the WebAssembly searcher and the chunks and fragments for
its words, not the whole index (measured by ``make bench``; BENCHMARKS.md). It indexes each
language by the page's ``<html lang>``, so an edition in another language gets its own index.

The bundle is written beside the site and then swapped in as one folder, so a server that is
serving the site (``make serve``) never hands out a half-written index.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BUNDLE = "pagefind"  # the folder inside the site; overrides/partials/header.html loads its UI from there
# Permalink signs ('¶') would end up in every heading and title of the index, and each record's
# numbered sources would make every page that cites a source match its title (the source has its
# own page): both are left out.
EXCLUDED = ".headerlink, .footnote"


class IndexFailed(Exception):
    """Pagefind failed; its last lines of output say why."""


def index_site(site: Path) -> str:
    """Index the built ``site`` and put the bundle at ``site/pagefind``. Returns Pagefind's summary line."""
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(work / BUNDLE),
             "--exclude-selectors", EXCLUDED],
            capture_output=True, text=True, errors="backslashreplace")
        if result.returncode != 0 or not (work / BUNDLE / "pagefind-entry.json").is_file():
            tail = " ".join((result.stderr or result.stdout).split()[-40:])
            raise IndexFailed(f"pagefind exited with status {result.returncode}: {tail}")
        target = site / BUNDLE
        if target.exists():
            target.rename(work / "old")
        (work / BUNDLE).rename(target)
        return next((line.strip() for line in result.stdout.splitlines() if "Indexed" in line and "pages" in line), "indexed")
    finally:
        shutil.rmtree(work, ignore_errors=True)
