"""Which files under ``data/`` are data, and how they are read and written: one answer for every command.

A data file is a regular file directly in ``data/<kind folder>/`` whose name is an id plus
``.yaml``, or ``data/coverage.yaml``, or ``data/schemas/*.schema.json``. Pull requests are
untrusted, so anything else there (a symbolic link, also ``data/`` or a kind folder being one, a
device, FIFO, socket or folder, a hidden file, a name that is not an id) is reported once as
``path:1:1: message`` and never opened: a link could point outside the repository (its content
would be published) or at ``/dev/zero`` (endless input).

Files are listed with ``os.scandir``/``lstat`` (links are not followed), opened with
``O_NOFOLLOW``, checked again with ``fstat`` (a file swapped for a link or FIFO after listing is
refused) and read up to ``MAX_BYTES`` + 1 bytes, so no file can make a command read without end.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kb import COVERAGE_FILE, FOLDERS, KINDS
from kb.model.problems import Problem

ID_FILE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\.yaml")
MAX_BYTES = 256 * 1024  # the largest real data file is about 20 KB
SCHEMA_SUFFIX = ".schema.json"

LINK = "is a symbolic link; data must be regular files inside the repository: replace the link with the file itself"
FOLDER = "is a folder, not a data file; records are files directly in their kind's folder: remove or move it"
SPECIAL = "is not a regular file (a device, FIFO or socket); remove it"
TOO_BIG = f"file is larger than {MAX_BYTES // 1024} KB, the limit for one data file; shorten or split it"


class Unreadable(Exception):
    """A file that must not or cannot be read; carries the located problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class DataFile:
    kind: str  # a record kind, or "coverage"
    path: Path
    rel: str  # relative to the project root, forward slashes, as shown in messages


def shown(name: str) -> str:
    """A file name safe to print on one line: control characters and undecodable bytes written as
    text (\\n, \\x1b, \\xff); ':' as \\x3a, so that 'path:line:column: ' stays unambiguous."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
                   else "\\x3a" if ch == ":" else ch for ch in text)


def _clean_name(name: str) -> bool:
    """No control characters and nothing that is not UTF-8 (os.scandir keeps such bytes as surrogates)."""
    return shown(name.replace(":", "")) == name.replace(":", "")


def _type_problem(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return FOLDER
    if not stat.S_ISREG(mode):
        return SPECIAL
    return None


def _folder_problem(path: Path, rel: str) -> Problem | None | bool:
    """None when ``path`` is a real folder, False when it does not exist, else the problem."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode):
        return Problem(rel, 1, 1, LINK)
    if not stat.S_ISDIR(mode):
        return Problem(rel, 1, 1, "should be a folder; remove this file")
    return None


def _name_problem(name: str) -> str | None:
    if not _clean_name(name):
        return "file name holds control characters or bytes that are not UTF-8; rename it to the record's id plus '.yaml'"
    if name.startswith("."):
        return "hidden file (the name starts with '.'); remove it, or rename it to the record's id plus '.yaml'"
    if name.endswith(".yml"):
        return "not a data file: records end in '.yaml' (rename it to .yaml)"
    if not name.endswith(".yaml"):
        return "not a data file: records end in '.yaml'"
    if not ID_FILE.fullmatch(name):
        return "file name is not an id: lower-case letters and digits joined by single hyphens, like 'lee-jae-myung.yaml'"
    return None


def data_root(root: Path, data_dir: str = "data") -> tuple[Path | None, list[Problem]]:
    """The data folder, or None with a problem when it is a link or not a folder (or no problem when missing)."""
    base = root / data_dir
    problem = _folder_problem(base, data_dir)
    if problem is False:
        return None, []
    return (None, [problem]) if problem else (base, [])


def data_files(root: Path, data_dir: str = "data") -> tuple[list[DataFile], list[Problem]]:
    """Every data file (records by kind, then coverage), in name order, and a problem per refused entry."""
    base, problems = data_root(root, data_dir)
    if base is None:
        return [], problems
    files: list[DataFile] = []
    for kind in KINDS:
        folder_rel = f"{data_dir}/{FOLDERS[kind]}"
        problem = _folder_problem(base / FOLDERS[kind], folder_rel)
        if problem is not None:
            problems += [problem] if problem else []
            continue
        with os.scandir(base / FOLDERS[kind]) as entries:
            # Sorted so that messages and pages never depend on the order of files on disk.
            for entry in sorted(entries, key=lambda e: e.name):
                rel = f"{folder_rel}/{shown(entry.name)}"
                why = _type_problem(entry.stat(follow_symlinks=False).st_mode) or _name_problem(entry.name)
                if why:
                    problems.append(Problem(rel, 1, 1, why))
                else:
                    files.append(DataFile(kind, Path(entry.path), rel))
    coverage = base / COVERAGE_FILE
    try:
        why = _type_problem(os.lstat(coverage).st_mode)
    except FileNotFoundError:
        pass
    else:
        rel = f"{data_dir}/{COVERAGE_FILE}"
        if why:
            problems.append(Problem(rel, 1, 1, why))
        else:
            files.append(DataFile("coverage", coverage, rel))
    return files, problems


def schema_files(schema_dir: Path, rel_dir: str = "data/schemas") -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(path, shown path) of every ``*.schema.json`` regular file; other names there are not ours and left alone."""
    problem = _folder_problem(schema_dir, rel_dir)
    if problem is not None:
        return [], [problem or Problem(rel_dir, 1, 1, "the schemas folder is missing; restore it")]
    files, problems = [], []
    with os.scandir(schema_dir) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if not entry.name.endswith(SCHEMA_SUFFIX):
                continue
            rel = f"{rel_dir}/{shown(entry.name)}"
            why = _type_problem(entry.stat(follow_symlinks=False).st_mode)
            if why is None and not _clean_name(entry.name):
                why = "file name holds control characters or bytes that are not UTF-8; rename it"
            if why:
                problems.append(Problem(rel, 1, 1, why))
            else:
                files.append((Path(entry.path), rel))
    return files, problems


def read_bytes(path: Path, rel: str) -> bytes:
    """The file's bytes; raises Unreadable for a link, a non-regular file or more than MAX_BYTES."""
    try:
        # O_NONBLOCK: a FIFO swapped in after listing must not block the open; fstat refuses it below.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise Unreadable(Problem(rel, 1, 1, LINK if error.errno == errno.ELOOP else f"cannot read file: {error.strerror}")) from None
    try:
        info = os.fstat(fd)
        why = _type_problem(info.st_mode)
        if why:
            raise Unreadable(Problem(rel, 1, 1, why))
        if info.st_size > MAX_BYTES:
            raise Unreadable(Problem(rel, 1, 1, TOO_BIG))
        chunks, total = [], 0
        while total <= MAX_BYTES:  # the size may grow while we read: never take more than the limit + 1
            chunk = os.read(fd, MAX_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:
            raise Unreadable(Problem(rel, 1, 1, TOO_BIG))
        return b"".join(chunks)
    except OSError as error:
        raise Unreadable(Problem(rel, 1, 1, f"cannot read file: {error.strerror}")) from None
    finally:
        os.close(fd)


def read_text(path: Path, rel: str) -> str:
    """The file as UTF-8 text; raises Unreadable (also for bytes that are not UTF-8)."""
    data = read_bytes(path, rel)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Unreadable(Problem(rel, 1, 1, f"file is not valid UTF-8 (byte {error.start}); save it as UTF-8")) from None


def write_text(path: Path, text: str, rel: str, create: bool = False) -> None:
    """Write a data file without following a link; ``create`` refuses any existing entry. Raises Unreadable."""
    flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_CREAT | os.O_EXCL if create else 0)
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as error:
        raise Unreadable(Problem(rel, 1, 1, LINK if error.errno == errno.ELOOP else f"cannot write file: {error.strerror}")) from None
    try:
        why = _type_problem(os.fstat(fd).st_mode)
        if why:
            raise Unreadable(Problem(rel, 1, 1, why))
        os.ftruncate(fd, 0)  # only now: truncating at open could empty something that is not ours
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


def record_folder(root: Path, kind: str, data_dir: str = "data") -> Path:
    """The kind's folder, created when missing; raises Unreadable when it or data/ is a link or a file."""
    base = root / data_dir
    for path, rel in ((base, data_dir), (base / FOLDERS[kind], f"{data_dir}/{FOLDERS[kind]}")):
        problem = _folder_problem(path, rel)
        if problem is False:
            path.mkdir()
        elif problem:
            raise Unreadable(problem)
    return base / FOLDERS[kind]
