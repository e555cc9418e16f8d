"""The dataset as one edition shows it: for Korean, each record's ``ko:`` text over its English.

The Korean edition renders the same templates from a copy of the dataset whose text fields hold
the Korean (``kb.model.translation.FIELDS``), so links, indexes, search and the graph all read
Korean without a single template knowing where the Korean came from. What a record lacks stays
English, and ``Translation`` says so, for the notice the page shows above it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kb.model import translation
from kb.model.load import Dataset, Record

# The Korean name a page is titled by, where the data has one (names are not in ko blocks: the
# Hangul form is already a field), and the field the other language's name then comes from.
NAMES = {"actor": "hangul", "publisher": "name_ko"}


@dataclass(frozen=True)
class Translation:
    state: str  # translation.state: 'current', 'stale', 'missing' or 'none'
    english: tuple[str, ...] = ()  # fields shown in English because their Korean is missing
    other_name: str | None = None  # the English name, where the page is titled by the Korean one


def localized(dataset: Dataset, language: str) -> tuple[Dataset, dict[tuple[str, str], Translation]]:
    """The dataset as ``language`` shows it, and per (kind, id) what its translation lacks."""
    if language == "en":
        return dataset, {}
    records: dict[str, dict[str, Record]] = {}
    info: dict[tuple[str, str], Translation] = {}
    for kind, by_id in dataset.records.items():
        records[kind] = {}
        for record_id, record in by_id.items():
            data, notice = _korean(record)
            records[kind][record_id] = replace(record, data=data)
            info[(kind, record_id)] = notice
    return Dataset(records, dataset.problems, dataset.warnings, dataset.coverage), info


def _korean(record: Record) -> tuple[dict, Translation]:
    data = dict(record.data)
    other_name = None
    name_field = NAMES.get(record.kind)
    if name_field and isinstance(data.get(name_field), str) and data[name_field].strip():
        other_name, data["name"] = data["name"], data[name_field]
    state = translation.state(record)
    if state == "none":
        return data, Translation(state, other_name=other_name)
    ko = data.get("ko") if isinstance(data.get("ko"), dict) else {}
    english = []
    for name, (field, key) in {**translation.FIELDS[record.kind], "notes": translation.NOTES}.items():
        if data.get(field) is None:
            continue  # nothing to translate
        value = ko.get(name)
        if key is None:
            if isinstance(value, str) and value.strip():
                data[field] = value
            else:
                english.append(name)
            continue
        items = data[field]
        values = value if isinstance(value, list) else []
        merged = []
        for i, item in enumerate(items):
            korean = values[i] if i < len(values) else None
            if isinstance(item, dict) and isinstance(korean, str) and korean.strip():
                item = {**item, key: korean}
            elif isinstance(item, dict) and item.get(key) is not None:
                english.append(name)
            merged.append(item)
        data[field] = merged
    return data, Translation(state, tuple(dict.fromkeys(english)), other_name)
