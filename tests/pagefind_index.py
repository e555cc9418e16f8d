"""Read a Pagefind bundle as the reader's browser gets it: each page's indexed text, meta and filters."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"  # what Pagefind 1.x puts before each decompressed fragment


def indexed_pages(site: Path) -> dict[str, dict]:
    """Each indexed page's fragment (url, content, meta, filters), by URL ('/actors/x/')."""
    out = {}
    for file in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(file.read_bytes())
        assert data.startswith(SIGNATURE), file
        fragment = json.loads(data[len(SIGNATURE):])
        out[fragment["url"]] = fragment
    return out


def languages(site: Path) -> set[str]:
    """The languages Pagefind indexed (one index each, chosen by the page's <html lang>)."""
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return set(entry["languages"])
