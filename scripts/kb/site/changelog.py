"""The change log of the data, from git history: which commit added, changed or removed which record.

A correction is marked in the commit message with a trailer line ``Correction: <what was wrong>``.
A convention in the commit message (rather than a list kept inside each record) because a
correction is an event in the history of the data: git already keeps its date, it covers removed
records too, and no editor can forget to update a list. The record pages list their corrections.

Read with two git processes whatever the size of the history (``git log`` and one
``git cat-file --batch`` for every file version needed), cached per commit, so `make serve`
rebuilds do not pay for it again. In a shallow clone the log stops where the clone does, and the
page says so.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from kb import FOLDERS

CORRECTION = re.compile(r"^Correction:\s*(.+)$", re.MULTILINE)
MAX_BLOB = 256 * 1024  # as for data files: larger versions are not compared field by field
_KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class RecordChange:
    kind: str
    id: str
    change: str  # 'added', 'changed' or 'removed'
    fields: tuple[str, ...] = ()  # top-level fields whose value changed, for 'changed'


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # 'YYYY-MM-DD', committer date
    subject: str
    corrections: tuple[str, ...]  # the commit's 'Correction:' lines
    records: tuple[RecordChange, ...]

    @property
    def is_correction(self) -> bool:
        return bool(self.corrections)


@dataclass
class Changelog:
    commits: list[Commit] = field(default_factory=list)  # newest first
    shallow: bool = False
    available: bool = True  # False outside a git checkout

    def corrections_of(self, kind: str, record_id: str) -> list[tuple[Commit, str]]:
        """(commit, what was corrected) for every correction commit that touched the record, newest first."""
        return [(c, text) for c in self.commits if c.is_correction
                for r in c.records if r.kind == kind and r.id == record_id for text in c.corrections]


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _record_of(path: str) -> tuple[str, str] | None:
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "data" and parts[1] in _KIND_OF_FOLDER and parts[2].endswith(".yaml"):
        return _KIND_OF_FOLDER[parts[1]], parts[2][: -len(".yaml")]
    return None


def _parse(text: bytes | None) -> dict | None:
    if text is None or len(text) > MAX_BLOB:
        return None
    try:
        value = yaml.load(text.decode("utf-8"), Loader=_Loader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _blobs(root: Path, specs: list[str]) -> dict[str, bytes | None]:
    """'<sha>:<path>' -> file content at that commit, in one ``git cat-file --batch``."""
    if not specs:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    blobs: dict[str, bytes | None] = dict.fromkeys(specs)
    if out is None:
        return blobs
    pos = 0
    for spec in specs:
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            blobs[spec] = out[end + 1 : end + 1 + size]
            pos = end + 1 + size + 1
        else:  # 'missing': the parent commit is outside a shallow clone
            blobs[spec] = None
            pos = end + 1
    return blobs


def _changed_fields(before: dict | None, after: dict | None) -> tuple[str, ...]:
    if before is None or after is None:
        return ()
    return tuple(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))


@lru_cache(maxsize=4)
def _read(root: Path, head: str) -> Changelog:
    log = _git(root, "log", "--format=%x1e%H%x00%cs%x00%s%x00%b%x00", "--name-status", "--no-renames", "--", "data/")
    if log is None:
        return Changelog(available=False)
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or b"").strip() == b"true"
    entries = []
    for chunk in log.decode("utf-8", "replace").split("\x1e")[1:]:
        sha, date, subject, body, files = chunk.split("\x00", 4)
        changed = []
        for line in files.strip().splitlines():
            status, _, path = line.partition("\t")
            record = _record_of(path)
            if record:
                changed.append((status[:1], path, record))
        entries.append((sha, date, subject, body, changed))
    specs = [spec for sha, _, _, _, changed in entries for status, path, _ in changed if status == "M"
             for spec in (f"{sha}^:{path}", f"{sha}:{path}")]
    blobs = _blobs(root, specs)
    commits = []
    for sha, date, subject, body, changed in entries:
        records = []
        for status, path, (kind, record_id) in changed:
            if status == "A":
                records.append(RecordChange(kind, record_id, "added"))
            elif status == "D":
                records.append(RecordChange(kind, record_id, "removed"))
            else:
                fields = _changed_fields(_parse(blobs.get(f"{sha}^:{path}")), _parse(blobs.get(f"{sha}:{path}")))
                records.append(RecordChange(kind, record_id, "changed", fields))
        records.sort(key=lambda r: ({"added": 0, "changed": 1, "removed": 2}[r.change], r.kind, r.id))
        corrections = tuple(m.strip() for m in CORRECTION.findall(body))
        commits.append(Commit(sha, date, subject, corrections, tuple(records)))
    return Changelog(commits, shallow)


def read(root: Path) -> Changelog:
    """The change log of ``root``'s data; empty and unavailable outside a git checkout."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        return Changelog(available=False)
    return _read(root.resolve(), head.strip().decode())
