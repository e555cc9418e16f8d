"""Offers and answers: who offered what, how the other side answered, and how long it took.

An offer is an event with ``offer``; an answer is an event whose ``responds_to`` names it. The
figures compare administrations (the founding article's argument: Pyongyang answered Moon's
post-Hanoi offers with rejections and answers Lee's the same way), so every offer falls into the
period of the South Korean administration in office on its date.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from kb.model import dates
from kb.model.load import Dataset, Record

# (id, label, first day, last day); offers before the first period are listed, not compared.
PERIODS = [
    ("moon", "Moon Jae-in after Hanoi", (2019, 2, 28), (2022, 5, 9)),
    ("yoon", "Yoon Suk Yeol (and acting presidents)", (2022, 5, 10), (2025, 6, 3)),
    ("lee", "Lee Jae-myung", (2025, 6, 4), (9999, 12, 31)),
]
EARLIER = ("earlier", "Before Hanoi")
# A side is the actor's country as the data gives it; a state actor is its own side.
SIDES = {"south-korea": "Seoul", "north-korea": "Pyongyang", "united-states": "Washington"}
OTHERS = "Others"


@dataclass(frozen=True)
class Answer:
    event: Record
    kind: str
    by: Record | None
    sources: list[str]
    note: str = ""


@dataclass
class Offer:
    event: Record
    by: Record
    to: Record
    what: str
    kind: str
    period: tuple[str, str]  # (id, label)
    answers: list[Answer] = field(default_factory=list)  # oldest first

    @property
    def first_answer(self) -> Answer | None:
        return self.answers[0] if self.answers else None

    @property
    def days(self) -> int | None:
        """Days from the offer to its first answer, when both are dated to the day."""
        answer = self.first_answer
        if answer is None:
            return None
        start, end = dates.parse(self.event.data["date"]), dates.parse(answer.event.data["date"])
        if start.day is None or end.day is None:
            return None
        return (datetime.date(*end.earliest()) - datetime.date(*start.earliest())).days


@dataclass(frozen=True)
class Figures:
    offers: int
    answered: int
    rejected: int  # offers whose first answer rejects or retaliates
    median_days: float | None

    @property
    def answered_share(self) -> float:
        return self.answered / self.offers if self.offers else 0.0

    @property
    def rejected_share(self) -> float:
        return self.rejected / self.offers if self.offers else 0.0


def side(actor: Record | None) -> str:
    if actor is None:
        return OTHERS
    country = actor.id if actor.data.get("kind") == "state" else actor.data.get("country")
    return SIDES.get(country, OTHERS)


def period_of(value) -> tuple[str, str]:
    when = dates.parse(value).earliest()
    for period_id, label, first, last in PERIODS:
        if first <= when <= last:
            return (period_id, label)
    return EARLIER


def collect(dataset: Dataset) -> list[Offer]:
    """Every offer in the data, oldest first, with its answers oldest first."""
    events = dataset.records["event"]
    offers: dict[str, Offer] = {}
    for event in events.values():
        offer = event.data.get("offer")
        if offer:
            offers[event.id] = Offer(event, dataset.get("actor", offer["by"]), dataset.get("actor", offer["to"]),
                                     offer["what"], offer["kind"], period_of(event.data["date"]))
    for event in events.values():
        for answer in event.data.get("responds_to", []):
            target = offers.get(answer["event"])
            if target is None:
                continue  # an answer to an event that is not marked as an offer: shown on the event pages only
            by = dataset.get("actor", answer["by"]) if answer.get("by") else _first_actor(dataset, event)
            target.answers.append(Answer(event, answer["kind"], by, answer["sources"], answer.get("note", "")))
    for offer in offers.values():
        offer.answers.sort(key=lambda a: (dates.parse(a.event.data["date"]).sort_key(), a.event.id))
    return sorted(offers.values(), key=lambda o: (dates.parse(o.event.data["date"]).sort_key(), o.event.id))


def _first_actor(dataset: Dataset, event: Record) -> Record | None:
    actors = event.data.get("actors") or []
    return dataset.get("actor", actors[0]["actor"]) if actors else None


def figures(offers: list[Offer]) -> Figures:
    answered = [o for o in offers if o.answers]
    days = [o.days for o in answered if o.days is not None]
    rejected = sum(1 for o in answered if o.first_answer.kind in ("rejects", "retaliates"))
    return Figures(len(offers), len(answered), rejected, statistics.median(days) if days else None)


def by_period(offers: list[Offer]) -> list[tuple[str, str, Figures]]:
    """Figures per administration, in the order of PERIODS (periods without offers included)."""
    return [(period_id, label, figures([o for o in offers if o.period[0] == period_id])) for period_id, label, _, _ in PERIODS]
