"""The state of play for the home page: where Lee's policies stand, what happened last, which
offers wait for an answer, what analysts wrote last. Every figure is computed from the data here,
at build time, so the home page can never disagree with the records behind it."""

from __future__ import annotations

from dataclasses import dataclass

from kb.model import dates
from kb.site import offers
from kb.site.link import current_status, newest_first
from kb.model.load import Dataset, Record

LATEST = 5
# Lee Jae-myung took office on the first day of the offers' "lee" period; his policies start there.
LEE_START = next(first for period_id, _, first, _ in offers.PERIODS if period_id == "lee")


@dataclass
class Glance:
    policies: list[tuple[Record, dict]]  # Lee-era policies with their current status (and since when)
    events: list[Record]
    unanswered: list[offers.Offer]  # offers of the Lee period without a public answer
    analyses: list[Record]
    counts: dict[str, int]


def lee_policies(dataset: Dataset) -> list[tuple[Record, dict]]:
    """Policies whose first status change falls in the Lee period, by current status then title."""
    start = LEE_START
    out = []
    for policy in dataset.records["policy"].values():
        status = policy.data.get("status") or []
        if status and dates.parse(status[0]["date"]).earliest() >= start:
            out.append((policy, current_status(status)))
    return sorted(out, key=lambda pair: (pair[1]["status"], pair[0].data["title"].casefold()))


def glance(dataset: Dataset) -> Glance:
    unanswered = [o for o in offers.collect(dataset) if o.period[0] == "lee" and o.first_answer is None]
    return Glance(
        policies=lee_policies(dataset),
        events=newest_first(dataset.records["event"].values())[:LATEST],
        unanswered=sorted(unanswered, key=lambda o: dates.parse(o.event.data["date"]).sort_key(), reverse=True),
        analyses=newest_first(dataset.records["analysis"].values())[:3],
        counts={kind: len(records) for kind, records in dataset.records.items()},
    )
