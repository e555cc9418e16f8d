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

import gzip
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

BUNDLE = "pagefind"  # the folder inside the site; overrides/partials/header.html loads its UI from there
# Permalink signs ('¶') would end up in every heading and title of the index, and each record's
# numbered sources would make every page that cites a source match its title (the source has its
# own page): both are left out.
EXCLUDED = ".headerlink, .footnote"


_one_at_a_time = threading.Lock()  # each run swaps site/pagefind/ in whole


class IndexFailed(Exception):
    """Pagefind failed; its last lines of output say why."""


def index_site_later(site: Path) -> threading.Thread:
    """``index_site`` in the background, for a server that should not wait for it (`make serve`):
    a failure is printed as one line and the previous index stays."""
    def run() -> None:
        try:
            index_site(site)
        except (IndexFailed, OSError) as error:
            print(f"search index not rebuilt: {error}", file=sys.stderr)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def index_site(site: Path) -> str:
    """Index the built ``site`` and put the bundle at ``site/pagefind``. Returns Pagefind's summary line."""
    with _one_at_a_time:
        return _index(site)


def _index(site: Path) -> str:
    work = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(work / BUNDLE),
             "--exclude-selectors", EXCLUDED],
            capture_output=True, text=True, errors="backslashreplace")
        if result.returncode != 0 or not (work / BUNDLE / "pagefind-entry.json").is_file():
            tail = " ".join((result.stderr or result.stdout).split()[-40:])
            raise IndexFailed(f"pagefind exited with status {result.returncode}: {tail}")
        canonical_filters(work / BUNDLE)
        target = site / BUNDLE
        if target.exists():
            target.rename(work / "old")
        (work / BUNDLE).rename(target)
        return next((line.strip() for line in result.stdout.splitlines() if "Indexed" in line and "pages" in line), "indexed")
    finally:
        shutil.rmtree(work, ignore_errors=True)


# Pagefind 1.5.2 writes each filter's values in hash-map order, which changes from run to run, and
# names files after their bytes: two builds of one commit would differ. The filter files are put
# in one order here (values sorted, pages ascending), renamed after their new bytes, and the
# language's metadata file, which names them, with them. The files are gzip-compressed CBOR
# (arrays, strings and integers) after Pagefind's signature.
SIGNATURE = b"pagefind_dcd"


def canonical_filters(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        prefix = info["hash"].split("_")[0]
        filters = []
        for name, old in meta[3]:
            data = _read(bundle / "filter" / f"{old}.pf_filter")
            data[1] = sorted([value, sorted(pages)] for value, pages in data[1])
            (bundle / "filter" / f"{old}.pf_filter").unlink()
            filters.append([name, _write(bundle / "filter", prefix, 7, ".pf_filter", data)])
        meta[3] = sorted(filters)
        meta_path.unlink()
        info["hash"] = _write(bundle, f"pagefind.{prefix}", 10, ".pf_meta", meta).removeprefix("pagefind.")
    # Sorted keys: Pagefind lists the languages in hash-map order too (en, ko or ko, en).
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":"), sort_keys=True), encoding="utf-8")


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise IndexFailed(f"{path.name}: not a Pagefind file")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise IndexFailed(f"{path.name}: trailing bytes")
    return value


def _write(folder: Path, prefix: str, digits: int, suffix: str, value) -> str:
    data = SIGNATURE + _encode(value)
    name = f"{prefix}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def _decode(data: bytes, i: int):
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info >= 24:
        if info > 27:
            raise IndexFailed("unexpected CBOR item in Pagefind's output")
        size = 1 << (info - 24)
        info, i = int.from_bytes(data[i:i + size], "big"), i + size
    if major == 0:
        return info, i
    if major == 3:
        return data[i:i + info].decode("utf-8"), i + info
    if major == 4:
        items = []
        for _ in range(info):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise IndexFailed(f"unexpected CBOR type {major} in Pagefind's output")


def _encode(value) -> bytes:
    def head(major: int, n: int) -> bytes:
        if n < 24:
            return bytes([major << 5 | n])
        size = next(s for s in (1, 2, 4, 8) if n < 1 << (8 * s))
        return bytes([major << 5 | (24 + size.bit_length() - 1)]) + n.to_bytes(size, "big")

    if isinstance(value, int):
        return head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return head(3, len(raw)) + raw
    return head(4, len(value)) + b"".join(_encode(item) for item in value)
