"""The time chart above the timeline: events per month, stacked by kind of event, with the months
in which a policy's status changed marked.

Eighteen event types are too many colours to tell apart in a small chart, so they are grouped into
four kinds a reader can hold in mind; the grouping is here and on the timeline page. We stack by
kind rather than by side (Seoul, Pyongyang, ...) because the side of an event is not in the data:
many events have actors of both sides, and picking one would be the chart's judgement, not a fact.
"""

from __future__ import annotations

import json

from kb.model import dates
from kb.model.load import Dataset

GROUPS = {
    "Words": ("statement", "speech", "announcement"),
    "Meetings and agreements": ("summit", "meeting", "talks", "agreement"),
    "Military and weapons": ("military", "weapons-test", "provocation", "incident", "exercise"),
    "Other": ("appointment", "election", "legislation", "humanitarian", "party-congress", "other"),
}
GROUP_OF = {event_type: group for group, types in GROUPS.items() for event_type in types}


def _month(value) -> str | None:
    """'2025-06' for a date known to the month or the day; None for a year alone."""
    date = dates.parse(value)
    return f"{date.year:04d}-{date.month:02d}" if date.month else None


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def chart_data(dataset: Dataset) -> dict:
    """Every month from the first dated event to the last, with counts per group and status changes."""
    counts: dict[str, dict[str, int]] = {}
    year_only = 0
    for event in dataset.records["event"].values():
        month = _month(event.data["date"])
        if month is None:
            year_only += 1
            continue
        group = GROUP_OF.get(event.data["type"], "Other")
        counts.setdefault(month, dict.fromkeys(GROUPS, 0))[group] += 1
    changes: dict[str, int] = {}
    for policy in dataset.records["policy"].values():
        for change in policy.data.get("status") or []:
            month = _month(change["date"])
            if month is not None:
                changes[month] = changes.get(month, 0) + 1
    months = _months_between(min(counts), max(counts)) if counts else []
    return {
        "months": months,
        "groups": {group: [counts.get(m, {}).get(group, 0) for m in months] for group in GROUPS},
        "status_changes": [changes.get(m, 0) for m in months],
        "year_only": year_only,  # events dated to the year only: in the list, not in the chart
    }


def chart_json(dataset: Dataset) -> str:
    return json.dumps(chart_data(dataset), ensure_ascii=False, separators=(",", ":")) + "\n"


def table_rows(data: dict) -> list[dict]:
    """The chart's figures as rows for the page's table (months with any event or change)."""
    rows = []
    for i, month in enumerate(data["months"]):
        values = {group: series[i] for group, series in data["groups"].items()}
        total = sum(values.values())
        if total or data["status_changes"][i]:
            rows.append({"month": month, "values": values, "total": total, "changes": data["status_changes"][i]})
    return rows
