"""Korean text beside the English in the same record, and the check that it has not gone stale.

A record's ``ko:`` block holds the Korean of the fields a page shows (which ones, per kind, is
``FIELDS`` below) plus ``of``: a fingerprint of the English it translates. ``kb translate-mark``
sets the fingerprint when an editor confirms the Korean is current; when the English changes
afterwards, the fingerprint no longer matches and ``kb check`` reports the block as out of date.
Kept in the same file (not in a separate Korean file) so that a correction and its translation
are one diff, and an editor changing the English sees the Korean right below it.
"""

from __future__ import annotations

import hashlib
import json

from kb.model.load import Dataset, Record
from kb.model.problems import Problem

# Per kind: the English fields a ko block translates. A list field is translated item by item
# (the same order); for lists of mappings, the named key of each item.
FIELDS: dict[str, dict[str, tuple[str, str | None]]] = {
    "actor": {"summary": ("summary", None), "roles": ("roles", "title")},
    "policy": {"title": ("title", None), "summary": ("summary", None), "status": ("status", "note")},
    "event": {"title": ("title", None), "summary": ("summary", None), "place": ("place", None)},
    "analysis": {"title": ("title", None), "summary": ("summary", None), "claims": ("claims", "claim")},
    "publisher": {"reason": ("reason", None)},
}
NOTES = ("notes", "text")  # every kind's notes are translated as a list too


def english(record: Record) -> dict:
    """The English text a ko block of this record translates, as one JSON-able value."""
    out = {}
    for name, (field, key) in {**FIELDS.get(record.kind, {}), "notes": NOTES}.items():
        value = record.data.get(field)
        if key is not None and isinstance(value, list):
            value = [item.get(key) if isinstance(item, dict) else None for item in value]
        if value is not None:
            out[name] = value
    return out


def fingerprint(record: Record) -> str:
    text = json.dumps(english(record), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def state(record: Record) -> str:
    """'current', 'stale', 'missing', or 'none' for kinds without Korean text."""
    if record.kind not in FIELDS:
        return "none"
    ko = record.data.get("ko")
    if not isinstance(ko, dict):
        return "missing"
    return "current" if ko.get("of") == fingerprint(record) else "stale"


def problems(dataset: Dataset) -> list[Problem]:
    """A warning per Korean block that translates an older English text."""
    out = []
    for kind in FIELDS:
        for record in dataset.records[kind].values():
            if state(record) == "stale":
                out.append(record.problem(("ko",), "warning: ko: the English changed after this translation was confirmed; "
                                                   f"update the Korean, then run 'python -m kb translate-mark {record.path}'"))
    return out

