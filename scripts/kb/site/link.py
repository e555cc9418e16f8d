"""The cross-reference index: for every record, who refers to it and how.

Built once per run from validated data, so that pages can list backlinks ("events this actor
took part in", "everything that cites this source") without searching the whole dataset per page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kb.model import dates
from kb.model.load import Dataset, Record
from kb.model.validate import REFERENCES, walk


@dataclass(frozen=True)
class Backlink:
    source: Record  # the record that refers
    relation: str  # how, in words for a heading: 'took part in', 'cites', ...
    detail: str = ""  # e.g. the actor's role in an event
    date: dates.PartialDate | None = None  # when the relation holds: the status change's or role's own date
    # Set where the detail is a data value with a label in the message catalogue ('answer': 'accepts').
    detail_words: str | None = None


# Where a reference sits inside a dated part of its record, that part's date dates the relation:
# (kind, first path part) -> the date fields of the list item, first present wins.
DATED_PARTS = {("policy", "status"): ("date",), ("actor", "roles"): ("start", "attested")}


# How a reference reads from the referred record's side, by (referring kind, path without list
# indexes) or, for the rest of a field, (referring kind, first path part).
# A reference to a source always reads "Cited by".
RELATIONS = {
    ("event", "actors"): "Events",
    ("event", "policies"): "Events",
    ("policy", "owners"): "Policies owned",
    ("policy", "status"): "Policy status changes",
    ("policy", "related"): "Policies that refer to this one",
    ("actor", "roles"): "People who held roles here",
    ("analysis", "authors"): "Analyses written",
    ("analysis", "claims"): "Discussed in analyses",
    ("analysis", "policies"): "Discussed in analyses",
    ("analysis", "events"): "Discussed in analyses",
    ("event", "responds_to.event"): "Answers",
    ("event", "responds_to.by"): "Answers given",
    ("event", "offer.by"): "Offers made",
    ("event", "offer.to"): "Offers received",
    ("source", "publisher"): "Sources from this publisher",
    ("source", "via"): "Copies of its reports published elsewhere",
}
# A reference by 'according_to' (wherever it sits in the record) reads the same from every kind.
ACCORDING_TO = "Known only from this publisher's reports"
CITED_BY = "Cited by"
ORDER = list(dict.fromkeys(RELATIONS.values())) + [ACCORDING_TO, CITED_BY]  # headings in this order on a page


def current_status(status: list[dict]) -> dict:
    """The current status with the date it has held since: the first change of the last run of the
    same status (in-effect in June, in-effect again in August: in effect since June)."""
    since = len(status) - 1
    while since > 0 and status[since - 1].get("status") == status[-1].get("status"):
        since -= 1
    return {**status[-1], "date": status[since]["date"]}


def relation_date(record: Record, path: tuple) -> dates.PartialDate | None:
    """The date of the relation a reference at ``path`` makes, falling back to the record's own date."""
    fields = DATED_PARTS.get((record.kind, path[0])) if len(path) > 1 else None
    if fields and isinstance(path[1], int):
        part = record.data[path[0]][path[1]]
        value = next((part[f] for f in fields if part.get(f) is not None), None)
        if value is not None:
            return dates.parse(value)
    return record_date(record)


def record_date(record: Record) -> dates.PartialDate | None:
    """The date a record is best sorted by: event date, analysis date, source publication, first status."""
    data = record.data
    value = data.get("date") or data.get("published")
    if value is None and record.kind == "policy" and data.get("status"):
        value = data["status"][-1].get("date")
    if value is None and record.kind == "actor" and data.get("roles"):
        known = [r.get("start") or r.get("attested") for r in data["roles"]]
        value = max((v for v in known if v is not None), key=lambda v: dates.parse(v).sort_key(), default=None)
    return dates.parse(value) if value is not None else None


def newest_first(records):
    return sorted(records, key=lambda r: ((record_date(r) or dates.PartialDate(1)).sort_key(), r.id), reverse=True)


class Index:
    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        # (kind, id) -> relation -> list of referring records (each once, in data order)
        self._back: dict[tuple[str, str], dict[str, list[Backlink]]] = defaultdict(lambda: defaultdict(list))
        for record in dataset.all():
            seen: set[tuple] = set()
            for pattern, target in REFERENCES[record.kind]:
                for path, value in walk(record.data, pattern):
                    if target == "source":
                        relation = CITED_BY
                    elif pattern[-1] == "according_to":
                        relation = ACCORDING_TO
                    else:
                        dotted = ".".join(part for part in pattern if part != "*")
                        relation = RELATIONS.get((record.kind, dotted)) or RELATIONS[(record.kind, pattern[0])]
                    key = (target, value, relation)
                    if key in seen:
                        continue
                    seen.add(key)
                    detail, words = "", None
                    if record.kind == "event" and pattern[0] == "actors":
                        detail = record.data["actors"][path[1]].get("role", "")
                    elif record.kind == "event" and pattern[0] == "policies":
                        detail = record.data["policies"][path[1]].get("effect", "")
                    elif record.kind == "event" and pattern == ("responds_to", "*", "event"):
                        detail, words = record.data["responds_to"][path[1]]["kind"], "answer"
                    elif record.kind == "policy" and pattern[0] == "related":
                        detail, words = record.data["related"][path[1]]["relation"], "policy_relation_of"
                    self._back[(target, value)][relation].append(Backlink(record, relation, detail, relation_date(record, path), words))

    def backlinks(self, record: Record) -> dict[str, list[Backlink]]:
        """Relation -> backlinks, each list newest first; relations in a stable order."""
        groups = self._back.get((record.kind, record.id), {})
        return {rel: sorted(groups[rel], key=lambda b: ((b.date or dates.PartialDate(1)).sort_key(), b.source.id), reverse=True)
                for rel in ORDER if rel in groups}

    def citing(self, source: Record) -> list[Record]:
        """Every record that cites a source, newest first."""
        return [b.source for b in self.backlinks(source).get(CITED_BY, [])]
