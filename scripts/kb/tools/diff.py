"""``python -m kb diff <git-ref>``: what a change does to the knowledge base, for reviewers.

Loads the data as it was at the git ref and as it is in the working tree, and prints a Markdown
summary (records added, changed, removed; new sources; changed dates and statuses), suitable for a
pull request's job summary.

Everything taken from the data (ids, titles, URLs, dates) is untrusted: it is printed inside code
spans with control characters removed, so that no value can add a heading, comment, link or table
row to the summary. Records that failed validation are summarised too, whatever their types.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kb import KINDS
from kb.model.load import Dataset, Record, load

DATE_FIELDS = ("date", "end_date", "published")


SCHEMAS = "data/schemas"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+")


def extract(root: Path, ref: str, folder: str, dest: Path) -> None:
    """Write ``folder`` as it is at the git ref under ``dest``: regular files and folders only (a link
    is not data, and must not point the extraction anywhere); raises ValueError."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, folder], cwd=root, capture_output=True)
    if archive.returncode != 0:
        raise ValueError(archive.stderr.decode(errors="replace").strip() or f"cannot read {ref}")

    def only_files(member: tarfile.TarInfo, path: str):
        return tarfile.data_filter(member, path) if member.isreg() or member.isdir() else None

    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(dest, filter=only_files)
    except tarfile.TarError as error:
        raise ValueError(f"cannot read {folder} at {ref}: {type(error).__name__}") from None


def dataset_at(root: Path, ref: str) -> Dataset:
    """The data/ folder of a git ref, loaded from a temporary copy."""
    with tempfile.TemporaryDirectory() as tmp:
        extract(root, ref, "data", Path(tmp))
        return load(Path(tmp))


def changed_schemas(root: Path, ref: str) -> list[str]:
    """Files under data/schemas/ that differ between the ref and the working tree."""
    result = subprocess.run(["git", "diff", "--name-only", "-z", ref, "--", SCHEMAS], cwd=root, capture_output=True)
    return sorted(name.decode("utf-8", "backslashreplace") for name in result.stdout.split(b"\0") if name)


def code(value) -> str:
    """A value from the data as a Markdown code span: nothing inside it is markup. Control and
    direction characters are removed; the fence is longer than any run of backticks inside."""
    text = " ".join(_CONTROL.sub(" ", str(value)).split())[:300]
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def label(record: Record) -> str:
    return code(record.data.get("name") or record.data.get("title") or record.id)


def _dicts(value) -> list[dict]:
    """The mappings in a list; a value of another type (a record that failed validation) gives none."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def current_status(record: Record) -> str:
    history = record.data.get("status")
    if not isinstance(history, list) or not history or not isinstance(history[-1], dict):
        return ""
    return f"{code(history[-1].get('status'))} since {code(history[-1].get('date'))}"


def changes(before: Record, after: Record) -> list[str]:
    """Plain-words changes between two versions of one record."""
    out = []
    for name in DATE_FIELDS:
        if before.data.get(name) != after.data.get(name) and (name in before.data or name in after.data):
            out.append(f"{name} {code(before.data.get(name, '(none)'))} → {code(after.data.get(name, '(none)'))}")
    if before.kind == "actor":
        def key(role: dict) -> tuple:  # repr: the values may be lists or mappings, which cannot be hashed
            return tuple(repr(role.get(k)) for k in ("title", "start", "end"))

        roles_before = {key(r) for r in _dicts(before.data.get("roles"))}
        for role in _dicts(after.data.get("roles")):
            if key(role) not in roles_before:
                span = f"{role.get('start')}–{role.get('end', '')}"
                out.append(f"role {code(role.get('title'))} ({code(span)})")
    if before.kind == "policy" and current_status(before) != current_status(after):
        out.append(f"status {current_status(before)} → {current_status(after)}")
    fields = sorted(k for k in set(before.data) | set(after.data) if before.data.get(k) != after.data.get(k) and k not in DATE_FIELDS)
    if fields:
        out.append("fields changed: " + ", ".join(code(f) for f in fields))
    return out


def summarise(old: Dataset, new: Dataset, ref: str, schemas: list[str] = ()) -> str:
    added, changed, removed, sources = [], [], [], []
    for kind in KINDS:
        before, after = old.records[kind], new.records[kind]
        for record_id in sorted(set(after) - set(before)):
            record = after[record_id]
            when = record.data.get("date") or record.data.get("published") or ""
            added.append(f"- {kind} {code(record_id)}: {label(record)}" + (f" ({code(when)})" if when else ""))
            if kind == "source":
                sources.append(f"- {code(record_id)}: {code(record.data.get('publisher'))}, {label(record)}, {code(record.data.get('url'))}")
        for record_id in sorted(set(before) - set(after)):
            removed.append(f"- {kind} {code(record_id)}: {label(before[record_id])}")
        for record_id in sorted(set(before) & set(after)):
            if before[record_id].data != after[record_id].data:
                changed.append(f"- {kind} {code(record_id)}: " + "; ".join(changes(before[record_id], after[record_id])))
    lines = [f"## Knowledge base changes since {code(ref)}", ""]
    if schemas:
        lines += ["**Schemas changed**: " + ", ".join(code(name) for name in schemas), ""]
    if not (added or changed or removed):
        return "\n".join(lines + ["No record was added, changed or removed.", ""])
    lines += [f"**{len(added)} added, {len(changed)} changed, {len(removed)} removed**", ""]
    for title, items in (("Added", added), ("Changed", changed), ("Removed", removed), ("New sources", sources)):
        if items:
            lines += [f"### {title}", "", *items, ""]
    return "\n".join(lines)


def run(root: Path, ref: str) -> int:
    try:
        old = dataset_at(root, ref)
    except (ValueError, OSError) as error:
        print(f"diff: {error}", file=sys.stderr)
        return 2
    print(summarise(old, load(root), ref, changed_schemas(root, ref)))
    return 0
