"""``python -m kb translate-mark FILES``: an editor confirms that a record's Korean is current.

Writes the fingerprint of the English (``kb.translation.fingerprint``) into the record's
``ko.of``, keeping the file's comments and canonical form.
"""

from __future__ import annotations

import io
from pathlib import Path

from kb.fmt import _yaml, data_files, format_text
from kb.load import read_file
from kb.problems import Problem, report
from kb.translation import FIELDS, fingerprint


def run(root: Path, paths: list[str]) -> int:
    """``python -m kb translate-mark FILES``: confirm that each file's Korean block is current."""
    problems, marked = [], 0
    for file, kind in data_files(root, paths):
        rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        record = read_file(file, kind, rel, problems)
        if record is None:
            continue
        if kind not in FIELDS or not isinstance(record.data.get("ko"), dict):
            problems.append(Problem(rel, 1, 1, "no 'ko:' block to confirm; write the Korean text first"))
            continue
        yaml = _yaml()
        text = file.read_text(encoding="utf-8")
        data = yaml.load(text)
        data["ko"]["of"] = fingerprint(record)
        out = io.StringIO()
        yaml.dump(data, out)
        file.write_text(format_text(out.getvalue(), kind, root), encoding="utf-8")
        marked += 1
    report(problems)
    print(f"confirmed {marked} translation(s)")
    return 1 if problems else 0
