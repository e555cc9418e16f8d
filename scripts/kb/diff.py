"""``python -m kb diff <git-ref>``: what a change does to the knowledge base, for reviewers.

Loads the data as it was at the git ref and as it is in the working tree, and prints a Markdown
summary (records added, changed, removed; new sources; changed dates and statuses), suitable for a
pull request's job summary.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from kb import KINDS
from kb.load import Dataset, Record, load

DATE_FIELDS = ("date", "end_date", "published")


def dataset_at(root: Path, ref: str) -> Dataset:
    """The data/ folder of a git ref, loaded from a temporary copy."""
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "data"], cwd=root, capture_output=True)
    if archive.returncode != 0:
        raise ValueError(archive.stderr.decode(errors="replace").strip() or f"cannot read {ref}")
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(tmp, filter="data")
        return load(Path(tmp))


def label(record: Record) -> str:
    return str(record.data.get("name") or record.data.get("title") or record.id)


def current_status(record: Record) -> str:
    history = record.data.get("status") or []
    if not history or not isinstance(history[-1], dict):
        return ""
    return f"{history[-1].get('status')} since {history[-1].get('date')}"


def changes(before: Record, after: Record) -> list[str]:
    """Plain-words changes between two versions of one record."""
    out = []
    for name in DATE_FIELDS:
        if before.data.get(name) != after.data.get(name) and (name in before.data or name in after.data):
            out.append(f"{name} {before.data.get(name, '(none)')} → {after.data.get(name, '(none)')}")
    if before.kind == "actor":
        roles_before = {(r.get("title"), r.get("start"), r.get("end")) for r in before.data.get("roles", []) if isinstance(r, dict)}
        for role in after.data.get("roles", []):
            key = (role.get("title"), role.get("start"), role.get("end"))
            if isinstance(role, dict) and key not in roles_before:
                span = f"{role.get('start')}–{role.get('end', '')}"
                out.append(f"role {role.get('title')} ({span})")
    if before.kind == "policy" and current_status(before) != current_status(after):
        out.append(f"status {current_status(before)} → {current_status(after)}")
    fields = sorted(k for k in set(before.data) | set(after.data) if before.data.get(k) != after.data.get(k) and k not in DATE_FIELDS)
    if fields:
        out.append("fields changed: " + ", ".join(fields))
    return out


def summarise(old: Dataset, new: Dataset, ref: str) -> str:
    added, changed, removed, sources = [], [], [], []
    for kind in KINDS:
        before, after = old.records[kind], new.records[kind]
        for record_id in sorted(set(after) - set(before)):
            record = after[record_id]
            when = record.data.get("date") or record.data.get("published") or ""
            added.append(f"- {kind} `{record_id}`: {label(record)}" + (f" ({when})" if when else ""))
            if kind == "source":
                sources.append(f"- `{record_id}`: {record.data.get('publisher')}, {label(record)} <{record.data.get('url')}>")
        for record_id in sorted(set(before) - set(after)):
            removed.append(f"- {kind} `{record_id}`: {label(before[record_id])}")
        for record_id in sorted(set(before) & set(after)):
            if before[record_id].data != after[record_id].data:
                changed.append(f"- {kind} `{record_id}`: " + "; ".join(changes(before[record_id], after[record_id])))
    lines = [f"## Knowledge base changes since `{ref}`", ""]
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
    print(summarise(old, load(root), ref))
    return 0
