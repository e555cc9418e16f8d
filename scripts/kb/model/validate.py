"""Every rule the data must follow, checked in one run.

1. Shape: each record against its JSON Schema in ``data/schemas/`` (the same files editors use
   for completion), with jsonschema's errors rewritten into plain words.
2. Identity: the ``id`` field equals the file name; no id is used twice.
3. References: every id a record mentions exists (with a did-you-mean suggestion).
4. Dates: real calendar dates; roles and events do not end before they start; status histories
   run oldest first.
5. Text: every string is checked by ``textrules`` (control, bidi and invisible characters, the
   reserved word, Markdown limits) and every URL by ``urls``; ids that would replace a generated
   page are refused.
6. Sourcing: every status change is backed by an event or a source (the schemas already require
   sources on events, roles and notes), and the publisher registry's rules hold (``sourcing``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jsonschema import Draft202012Validator

from kb import FOLDERS, KINDS
from kb.model import dates
from kb.model import sourcing, textrules, translation, urls
from kb.model.load import Dataset, Record, article, walk
from kb.model.problems import Problem, did_you_mean, format_path, quote
# Schema loading lives in kb.model.schemas (read like any data file); these names are used from here too.
from kb.model.schemas import SCHEMA_DIR, SCHEMA_PATH, inline_refs, inlined_schemas, load_schemas, schema_files, validators  # noqa: F401

_TYPE_WORDS = {
    "string": "text", "array": "a list", "object": "a mapping of fields", "integer": "a whole number",
    "number": "a number", "boolean": "true or false", "null": "an empty value",
}


def _type_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _prefix(path: tuple) -> str:
    return f"{format_path(path)}: " if path else ""


def _schema_problems(record: Record, validator: Draft202012Validator) -> list[Problem]:
    out = []
    errors = list(validator.iter_errors(record.data))
    # A value that is far too long is reported as that, not also as not matching its pattern.
    too_long = {tuple(e.absolute_path) for e in errors if e.validator == "maxLength"}
    for error in errors:
        path = tuple(error.absolute_path)
        schema, value, rule = error.schema, error.instance, error.validator
        if rule == "pattern" and path in too_long:
            continue
        if rule == "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            for extra in sorted(set(value) - set(allowed)):
                hint = did_you_mean(extra, allowed) or f"; allowed fields: {', '.join(allowed)}"
                out.append(record.problem(path + (extra,), f"{_prefix(path)}unknown field '{quote(extra)}'{hint}", key=True))
            continue
        if rule == "required":
            missing = error.validator_value
            for name in missing:
                if name not in value:
                    what = "at least one source id" if name == "sources" else "a value"
                    out.append(record.problem(path, f"{_prefix(path)}missing required field '{name}' (give it {what})", key=True))
            continue
        if rule == "type":
            expected = error.validator_value
            expected = expected if isinstance(expected, list) else [expected]
            words = " or ".join(_TYPE_WORDS[t] for t in expected)
            message = f"expected {words}, got {_TYPE_WORDS[_type_of(value)]}"
            if "errorMessage" in schema:
                message += f"; {schema['errorMessage']}"
            out.append(record.problem(path, _prefix(path) + message))
            continue
        if rule == "enum":
            options = error.validator_value
            hint = did_you_mean(str(value), [str(o) for o in options]) if isinstance(value, (str, int, float)) else ""
            message = f"'{quote(value)}' is not an allowed value{hint}; use one of: {', '.join(map(str, options))}"
        elif rule in ("pattern", "minimum", "maximum") and "errorMessage" in schema:
            message = f"{schema['errorMessage']} (got '{quote(value)}')"
        elif rule == "minLength":
            message = "must not be empty"
        elif rule == "maxLength":
            message = (f"is {len(value):,} characters long, more than the {error.validator_value:,} this field allows; "
                       "shorten it (put long text in the source it comes from)")
        elif rule == "maxItems":
            message = f"lists {len(value):,} entries, more than the {error.validator_value:,} this field allows; keep the ones that matter"
        elif rule == "minItems":
            n = error.validator_value
            noun = "source" if path and path[-1] == "sources" else "entry" if n == 1 else "entries"
            message = f"needs at least {n} {noun}" if n != 1 else f"needs at least one {noun}"
        elif rule == "uniqueItems":
            seen, dup = set(), None
            for item in value:
                key = json.dumps(item, sort_keys=True)
                if key in seen:
                    dup = item
                    break
                seen.add(key)
            message = f"lists {quote(json.dumps(dup, ensure_ascii=False))} more than once; keep one"
        else:  # rules our schemas do not use today; keep jsonschema's own words (which quote the value)
            message = quote(error.message, 200)
        out.append(record.problem(path, _prefix(path) + message))
    return out


# Where each kind of record refers to others: (path pattern, kind referred to). '*' is any list index.
REFERENCES: dict[str, list[tuple[tuple, str]]] = {
    "actor": [(("roles", "*", "organization"), "actor"), (("roles", "*", "according_to"), "publisher"),
              (("roles", "*", "sources", "*"), "source"),
              (("notes", "*", "sources", "*"), "source"), (("sources", "*"), "source")],
    "policy": [(("owners", "*"), "actor"), (("status", "*", "event"), "event"),
               (("status", "*", "according_to"), "publisher"),
               (("status", "*", "sources", "*"), "source"), (("related", "*", "policy"), "policy"),
               (("notes", "*", "sources", "*"), "source"), (("sources", "*"), "source")],
    "event": [(("actors", "*", "actor"), "actor"), (("policies", "*", "policy"), "policy"),
              (("according_to",), "publisher"), (("offer", "by"), "actor"), (("offer", "to"), "actor"),
              (("responds_to", "*", "event"), "event"), (("responds_to", "*", "by"), "actor"),
              (("responds_to", "*", "sources", "*"), "source"),
              (("notes", "*", "sources", "*"), "source"), (("sources", "*"), "source")],
    "analysis": [(("authors", "*"), "actor"), (("claims", "*", "policies", "*"), "policy"),
                 (("claims", "*", "events", "*"), "event"), (("claims", "*", "assessment", "events", "*"), "event"),
                 (("claims", "*", "assessment", "sources", "*"), "source"), (("policies", "*"), "policy"),
                 (("events", "*"), "event"), (("sources", "*"), "source")],
    "source": [(("publisher",), "publisher"), (("via",), "publisher")],
    "publisher": [(("notes", "*", "sources", "*"), "source")],
}

# Date fields by kind, and (start, end) pairs that must not run backwards.
DATE_FIELDS = {
    "actor": [("roles", "*", "start"), ("roles", "*", "end"), ("roles", "*", "attested")],
    "policy": [("status", "*", "date")],
    "event": [("date",), ("end_date",)],
    "source": [("published",)],
    "publisher": [],
    "analysis": [("date",), ("claims", "*", "expects", "by"), ("claims", "*", "assessment", "date")],
}
RANGES = {"actor": [(("roles", "*"), "start", "end")], "event": [((), "date", "end_date")]}


def _reference_problems(record: Record, dataset: Dataset) -> list[Problem]:
    out = []
    for pattern, target in REFERENCES[record.kind]:
        for path, value in walk(record.data, pattern):
            if not isinstance(value, str):
                continue  # the schema already reported the wrong type
            if target == record.kind and value == record.id:
                out.append(record.problem(path, f"{format_path(path)}: {article(target)} cannot refer to itself"))
            elif dataset.get(target, value) is None:
                hint = did_you_mean(value, dataset.records[target])
                out.append(record.problem(path, f"{format_path(path)}: unknown {target} '{quote(value)}'{hint}"))
    return out


def _date_problems(record: Record) -> list[Problem]:
    out = []
    parsed: dict[tuple, dates.PartialDate] = {}
    for pattern in DATE_FIELDS[record.kind]:
        for path, value in walk(record.data, pattern):
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                continue
            try:
                parsed[path] = dates.parse(value)
            except ValueError as error:
                if dates.FORM.match(str(value)):  # right form, impossible date: the schema let it through
                    out.append(record.problem(path, f"{format_path(path)}: {error}"))
    for base, start_key, end_key in RANGES.get(record.kind, []):
        for path, _ in walk(record.data, base):
            start, end = parsed.get(path + (start_key,)), parsed.get(path + (end_key,))
            if start and end and end.latest() < start.earliest():
                out.append(record.problem(path + (end_key,), f"{format_path(path + (end_key,))}: ends ({end.iso()}) before it starts ({start.iso()})"))
    if record.kind == "policy":
        previous = None
        for path, item in walk(record.data, ("status", "*")):
            when = parsed.get(path + ("date",))
            if when and previous and when.latest() < previous.earliest():
                out.append(record.problem(path + ("date",), f"{format_path(path)}.date: status history must run oldest first ({when.iso()} comes after {previous.iso()})"))
            previous = when or previous
            if isinstance(item, dict) and not item.get("event") and not item.get("sources"):
                out.append(record.problem(path, f"{format_path(path)}: a status change needs an 'event' or 'sources' that back it"))
    return out


def _answer_problems(event: Record, dataset: Dataset) -> list[Problem]:
    """An answer cannot come before what it answers."""
    out = []
    for path, answer in walk(event.data, ("responds_to", "*")):
        offer = dataset.get("event", answer.get("event")) if isinstance(answer, dict) and isinstance(answer.get("event"), str) else None
        if offer is None or offer is event:
            continue  # unknown ids and self-references are reported by the reference check
        try:
            answered, asked = dates.parse(event.data.get("date")), dates.parse(offer.data.get("date"))
        except (ValueError, TypeError):
            continue  # reported by the date checks
        if answered.latest() < asked.earliest():
            out.append(event.problem(path + ("event",), f"{format_path(path)}.event: this event ({answered.iso()}) cannot answer {offer.id}, which comes later ({asked.iso()})"))
    return out


def _coverage_problems(dataset: Dataset) -> list[Problem]:
    """The coverage date may not be older than what the data already holds."""
    coverage = dataset.coverage
    try:
        through = dates.parse(coverage.data["reviewed_through"])
    except ValueError as error:
        return [coverage.problem(("reviewed_through",), f"reviewed_through: {error}")]
    out = []
    seen = set()
    for i, thin in enumerate(coverage.data.get("thin_months") or []):
        month = thin.get("month") if isinstance(thin, dict) else None
        if not isinstance(month, str):
            continue  # reported by the schema
        where = ("thin_months", i, "month")
        if month in seen:
            out.append(coverage.problem(where, f"thin_months[{i}].month: {month} is listed twice; keep one entry"))
        elif month > through.iso()[:7]:
            out.append(coverage.problem(where, f"thin_months[{i}].month: {month} is after reviewed_through ({through.iso()}); a month not yet reviewed is not 'thin', it is not covered"))
        seen.add(month)
    dated = []
    for event in dataset.records["event"].values():
        try:
            dated.append((dates.parse(event.data.get("date")), event))
        except (ValueError, TypeError):
            continue  # reported by the event's own checks
    if dated:
        when, newest = max(dated, key=lambda pair: (pair[0].sort_key(), pair[1].id))
        if when.earliest() > through.latest():
            out.append(coverage.problem(("reviewed_through",), f"reviewed_through: {through.iso()} is before the newest event ({newest.path}, {when.iso()}); move it forward to the date your review reached"))
    return out


# Ids a record may not have: its page would be written over a page the build generates in the
# kind's folder (render.py writes '<folder>/index.md', the list of all records of the kind).
RESERVED_IDS = {"index": "the page that lists all {folder}"}


def _reserved_id_problems(record: Record) -> list[Problem]:
    why = RESERVED_IDS.get(record.id)
    if why is None:
        return []
    folder = FOLDERS[record.kind]
    return [record.problem(("id",), f"id: '{record.id}' is reserved: {folder}/{record.id}.md is {why.format(folder=folder)}; "
                                    f"choose another id and rename the file")]


_MARKDOWN_LINK = re.compile(r"(?:\]\(\s*<?|<)(https?://[^\s)>]+)", re.IGNORECASE)


def _url_problems(record: Record, schema: dict) -> list[Problem]:
    """URL fields (schema format 'uri') and publisher hosts (format 'hostname') under the rules of ``urls``."""
    out = []
    for path, value, is_key in textrules.strings(record.data):
        if is_key or len(value) > textrules.MAX_SCANNED:
            continue  # a URL that long is refused by the schema's maxLength
        node = textrules.schema_at(schema, path)
        form = node.get("format")
        if node.get("contentMediaType") == "text/markdown":
            # Links in Markdown ('[text](url)', '<url>') are shown to readers as the URL fields are.
            trouble = next((f"the link to '{quote(m.group(1))}': {why}" for m in _MARKDOWN_LINK.finditer(value)
                            if (why := urls.problem(m.group(1)))), None)
        elif form == "uri" and sourcing.WEB_URL.match(value):  # other schemes are refused by the schema
            trouble = urls.problem(value)
        elif form == "hostname":
            trouble = urls.host_problem(value)
        else:
            continue
        if trouble:
            out.append(record.problem(path, f"{format_path(path)}: {quote(trouble, 300)}"))
    return out


def _text_problems(record: Record, schema: dict) -> list[Problem]:
    return textrules.check(record, schema) + _url_problems(record, schema)


def validate(dataset: Dataset, root: Path) -> list[Problem]:
    """All problems in the dataset (including those found while loading), sorted by file and line."""
    problems = list(dataset.problems)
    checkers = validators(root / SCHEMA_DIR)  # not resolved: a linked schemas folder is refused
    schemas = inlined_schemas(root / SCHEMA_DIR)
    for kind in KINDS:
        for record in dataset.records[kind].values():
            problems += _schema_problems(record, checkers[kind])
            problems += _text_problems(record, schemas[kind])
            problems += _reserved_id_problems(record)
            declared = record.data.get("id")
            if isinstance(declared, str) and declared != record.id:
                owner = dataset.get(kind, declared)
                if owner is not None:
                    message = f"id: duplicate id '{quote(declared)}', already used by {owner.path}; set id: {record.id} to match the file name"
                else:
                    message = f"id: '{quote(declared)}' differs from the file name; rename the file to '{quote(declared)}.yaml' or set id: {record.id}"
                problems.append(record.problem(("id",), message))
            problems += _reference_problems(record, dataset)
            problems += _date_problems(record)
            if kind == "event":
                problems += _answer_problems(record, dataset)
    if dataset.coverage is not None:
        problems += _text_problems(dataset.coverage, schemas["coverage"])
        problems += _schema_problems(dataset.coverage, checkers["coverage"]) or _coverage_problems(dataset)
    errors, warnings = sourcing.check(dataset)
    dataset.warnings = sorted(warnings + translation.problems(dataset))
    return sorted(set(problems + errors))
