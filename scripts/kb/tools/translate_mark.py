"""``python -m kb translate-mark FILES``: an editor confirms that a record's Korean is current.

Writes the fingerprint of the English (``kb.model.translation.fingerprint``) into the record's
``ko.of``, keeping the file's comments and canonical form.
"""

from __future__ import annotations

import io
from pathlib import Path

from kb.model import discover
from kb.tools.fmt import _yaml, checked_text, data_files, format_text
from kb.model.load import read_file
from kb.model.problems import Problem, report
from kb.model.translation import FIELDS, fingerprint


def run(root: Path, paths: list[str]) -> int:
    """``python -m kb translate-mark FILES``: confirm that each file's Korean block is current."""
    files, problems = data_files(root, paths)  # the files kb check reads, never through a link
    marked = 0
    for file in files:
        kind, rel = file.kind, file.rel
        record = read_file(file.path, kind, rel, problems)
        if record is None:
            continue
        if kind not in FIELDS or not isinstance(record.data.get("ko"), dict):
            problems.append(Problem(rel, 1, 1, "no 'ko:' block to confirm; write the Korean text first"))
            continue
        yaml = _yaml()
        try:
            data = yaml.load(checked_text(file))
            data["ko"]["of"] = fingerprint(record)
            out = io.StringIO()
            yaml.dump(data, out)
            discover.write_text(file.path, format_text(out.getvalue(), kind, root), rel)
        except discover.Unreadable as error:
            problems.append(error.problem)
            continue
        marked += 1
    report(problems)
    print(f"confirmed {marked} translation(s)")
    return 1 if problems else 0
