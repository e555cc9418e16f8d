"""Data-quality figures: what is thin, unlinked or missing, so that gaps are visible.

Used by the "Data quality" page and by ``python -m kb check``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kb import KINDS
from kb.model import dates, translation
from kb.site.link import Index
from kb.model.load import Dataset, Record
from kb.model.validate import REFERENCES, walk

LEE_ERA_START = (2025, 6, 4)  # Lee Jae-myung's inauguration
TOP_PUBLISHERS = 20
MONTHLY_TARGET = 8  # events a month the coverage review aims for since the inauguration


def cited_sources(record: Record) -> list[str]:
    """Distinct source ids cited anywhere in a record, in order of first appearance."""
    ids = []
    for pattern, target in REFERENCES[record.kind]:
        if target == "source":
            ids += [value for _, value in walk(record.data, pattern) if isinstance(value, str)]
    return list(dict.fromkeys(ids))


def refers_to_records(record: Record) -> bool:
    return any(isinstance(value, str) for pattern, target in REFERENCES[record.kind] if target != "source"
               for _, value in walk(record.data, pattern))


def publishers(dataset: Dataset, source_ids) -> set[str]:
    """Independent publishers: a wire story republished elsewhere counts as its wire service."""
    out = set()
    for source_id in source_ids:
        source = dataset.get("source", source_id)
        if source is not None:
            out.add((source.data.get("via") or source.data["publisher"]).casefold())
    return out


@dataclass
class Quality:
    counts: dict[str, int]
    events_per_year: dict[int, int]
    single_source: list[Record] = field(default_factory=list)
    unlinked: list[Record] = field(default_factory=list)
    newest_event: Record | None = None
    lee_era_events: int = 0
    lee_era_multi_publisher: int = 0
    sources_per_class: dict[str, int] = field(default_factory=dict)  # publisher reliability -> sources
    top_publishers: list[tuple[Record, int]] = field(default_factory=list)  # the 20 cited most
    sources_per_language: dict[str, int] = field(default_factory=dict)
    copies: int = 0  # sources with 'via'
    titles_unseen: list[Record] = field(default_factory=list)  # sources whose headline was not seen (title_status)
    translations: dict[str, Counter] = field(default_factory=dict)  # kind -> Korean text: current / stale / missing
    untranslated: list[Record] = field(default_factory=list)  # stale or missing, for the list on the quality page
    events_per_month: dict[str, int] = field(default_factory=dict)  # 'YYYY-MM' -> events, Lee era to the coverage date

    @property
    def lee_era_share(self) -> float:
        return self.lee_era_multi_publisher / self.lee_era_events if self.lee_era_events else 0.0


def measure(dataset: Dataset, index: Index | None = None) -> Quality:
    index = index or Index(dataset)
    events = list(dataset.records["event"].values())
    quality = Quality(
        counts={kind: len(dataset.records[kind]) for kind in KINDS},
        events_per_year=dict(sorted(Counter(dates.parse(e.data["date"]).year for e in events).items())),
    )
    for record in dataset.all():
        if record.kind != "source" and len(cited_sources(record)) == 1:
            quality.single_source.append(record)
        # Unlinked: nothing refers to it and it refers to no actor, policy or event (sources don't
        # count: every record cites some). For a source: nothing cites it.
        if not index.backlinks(record) and not refers_to_records(record):
            quality.unlinked.append(record)
    sources = list(dataset.records["source"].values())
    per_publisher = Counter(s.data["publisher"] for s in sources)
    publisher = {p: dataset.get("publisher", p) for p in per_publisher}
    quality.sources_per_class = dict(sorted(Counter(publisher[s.data["publisher"]].data["reliability"] for s in sources).items()))
    ranked = sorted(per_publisher.items(), key=lambda item: (-item[1], item[0]))[:TOP_PUBLISHERS]
    quality.top_publishers = [(publisher[p], n) for p, n in ranked]
    quality.sources_per_language = dict(sorted(Counter(s.data["language"] for s in sources).items(), key=lambda item: (-item[1], item[0])))
    quality.copies = sum(1 for s in sources if s.data.get("via"))
    quality.titles_unseen = [s for s in sources if s.data.get("title_status")]
    quality.events_per_month = _events_per_month(dataset)
    for kind in translation.FIELDS:
        states = {r.id: translation.state(r) for r in dataset.records[kind].values()}
        quality.translations[kind] = Counter(states.values())
        quality.untranslated += [r for r in dataset.records[kind].values() if states[r.id] != "current"]
    if events:
        quality.newest_event = max(events, key=lambda e: (dates.parse(e.data["date"]).sort_key(), e.id))
    for event in events:
        if dates.parse(event.data["date"]).latest() >= LEE_ERA_START:
            quality.lee_era_events += 1
            if len(publishers(dataset, cited_sources(event))) >= 2:
                quality.lee_era_multi_publisher += 1
    return quality


def _events_per_month(dataset: Dataset) -> dict[str, int]:
    """Events per month from the inauguration to the coverage date (or the newest event); months
    without events are listed too, since an empty month is the gap a reader needs to see."""
    counts = Counter()
    for event in dataset.records["event"].values():
        when = dates.parse(event.data["date"])
        if when.month and when.earliest() >= LEE_ERA_START[:2] + (1,):
            counts[(when.year, when.month)] += 1
    if dataset.coverage is not None:
        end = dates.parse(dataset.coverage.data["reviewed_through"]).latest()[:2]
    else:
        end = max(counts, default=LEE_ERA_START[:2])
    out, (year, month) = {}, LEE_ERA_START[:2]
    while (year, month) <= end:
        out[f"{year}-{month:02d}"] = counts[(year, month)]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def summary_lines(quality: Quality) -> list[str]:
    newest = quality.newest_event
    return [
        "records: " + ", ".join(f"{n} {kind}" for kind, n in quality.counts.items()),
        "events per year: " + ", ".join(f"{year}: {n}" for year, n in quality.events_per_year.items()),
        f"newest event: {dates.parse(newest.data['date']).iso()} ({newest.id})" if newest else "newest event: none",
        f"Lee-era events with sources from two or more publishers: {quality.lee_era_multi_publisher} of {quality.lee_era_events} ({quality.lee_era_share:.0%})",
        f"records citing a single source: {len(quality.single_source)}; records nothing links to: {len(quality.unlinked)}",
    ]
