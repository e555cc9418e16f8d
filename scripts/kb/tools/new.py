"""``python -m kb new <kind>``: start a record with its essential fields and a free id.

Fields come from options (``--title ...``) or, when standard input is a terminal, from prompts.
The file is written in canonical form with the schema line on top, and its path is printed.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb import FOLDERS
from kb.model import discover, dates
from kb.tools.fmt import format_text
from kb.model.problems import report
from kb.model.schemas import SchemaProblems, inlined_schemas


@dataclass(frozen=True)
class Field:
    name: str  # option name and YAML key
    help: str
    required: bool = True
    many: bool = False  # a list: the option may be given several times
    default: str | None = None


# The essential fields of each kind, in the order they are asked for. Where the schema allows only
# some values, the help adds them (see ``help_text``), so it cannot drift from the schema.
FIELDS: dict[str, list[Field]] = {
    "source": [
        Field("url", "address of the document (http or https)"),
        Field("title", "headline as published"),
        Field("title_en", "faithful English translation, for a headline in another language", required=False),
        Field("publisher", "id of the publisher record in data/publishers/ (add one with 'new publisher')"),
        Field("published", "publication date: YYYY, YYYY-MM or YYYY-MM-DD", required=False),
        Field("language", "language code of the document, e.g. en or ko"),
        Field("kind", "what kind of document"),
    ],
    "publisher": [
        Field("name", "the name the outlet or body uses for itself"),
        Field("name_ko", "its Korean name, as it writes it", required=False),
        Field("url", "its home page (http or https)", required=False),
        Field("hosts", "a domain its pages are on, e.g. koreaherald.com", many=True, required=False),
        Field("country", "ISO 3166-1 code such as KR, or international", required=False),
        Field("kind", "what kind of body"),
        Field("reliability", "its class"),
        Field("reason", "why it has this class, in a sentence"),
    ],
    "actor": [
        Field("name", "the romanization the person or body uses"),
        Field("kind", "what kind of actor", default="person"),
        Field("hangul", "name in Korean script, where a source gives it", required=False),
        Field("summary", "one or two sentences"),
        Field("sources", "id of a source record backing the summary", many=True),
    ],
    "event": [
        Field("date", "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source"),
        Field("title", "what happened, in a short sentence"),
        Field("type", "what kind of event"),
        Field("summary", "one to three sentences in your own words"),
        Field("actors", "id of an actor involved", required=False, many=True),
        Field("responds_to", "id of an earlier event this one answers, if any", required=False),
        Field("answer_kind", "how it answers (with --responds_to)", required=False),
        Field("sources", "id of a source record", many=True),
    ],
    "policy": [
        Field("title", "name of the policy or measure"),
        Field("owners", "id of the actor responsible", many=True),
        Field("summary", "one or two sentences"),
        Field("status", "the policy's status"),
        Field("date", "date of that status: YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("sources", "id of a source record", many=True),
    ],
    "analysis": [
        Field("title", "the analysis's title"),
        Field("authors", "id of the author's actor record", many=True),
        Field("date", "publication date: YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("summary", "the argument in brief, in your words"),
        Field("claims", "one claim, paraphrased", many=True),
        Field("sources", "id of the source record where it was published", many=True),
    ],
}


def slugify(text: str, max_words: int = 8) -> str:
    """'Lee Jae-myung orders halt!' -> 'lee-jae-myung-orders-halt'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "record"


def free_id(folder: Path, base: str) -> str:
    candidate, n = base, 2
    while os.path.lexists(folder / f"{candidate}.yaml"):  # a dangling link counts as taken
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def base_id(kind: str, values: dict) -> str:
    if kind in ("actor", "publisher"):
        return slugify(values["name"])
    if kind == "source":
        when = f"-{values['published']}" if values.get("published") else ""
        return f"{slugify(values['publisher'], 3)}{when}-{slugify(values['title'], 4)}"
    if kind == "event":
        return f"{slugify(values['title'], 7)}-{str(values['date'])[:4]}"
    return slugify(values["title"])


def to_record(kind: str, record_id: str, values: dict) -> dict:
    data = {"id": record_id}
    if kind == "event":
        data.update({k: values[k] for k in ("date", "title", "type", "summary")})
        if values.get("actors"):
            data["actors"] = [{"actor": a} for a in values["actors"]]
        if values.get("responds_to"):
            # The event's sources are taken as what connects it to the event it answers; say otherwise in the file.
            data["responds_to"] = [{"event": values["responds_to"], "kind": values["answer_kind"],
                                    "sources": values["sources"]}]
        data["sources"] = values["sources"]
    elif kind == "policy":
        data.update({k: values[k] for k in ("title", "owners", "summary")})
        data["status"] = [{"date": values["date"], "status": values["status"], "sources": values["sources"]}]
        data["sources"] = values["sources"]
    elif kind == "analysis":
        data.update({k: values[k] for k in ("title", "authors", "date", "summary")})
        data["claims"] = [{"claim": c} for c in values["claims"]]
        data["sources"] = values["sources"]
    else:
        data.update({k: v for k, v in values.items() if v not in (None, [], "")})
    return data


def help_text(kind: str, field: Field) -> str:
    """The field's help, with the allowed values when the schema lists them."""
    spec = inlined_schemas()[kind]["properties"].get(field.name, {})
    if field.name == "status":  # a policy's status lives in its history
        spec = spec["items"]["properties"]["status"]
    if field.name == "answer_kind":
        spec = inlined_schemas()[kind]["properties"]["responds_to"]["items"]["properties"]["kind"]
    if "enum" in spec:
        return f"{field.help}: {', '.join(spec['enum'][:-1])} or {spec['enum'][-1]}"
    return field.help


def ask(kind: str, field: Field) -> str | list[str] | None:
    suffix = f" [{field.default}]" if field.default else ""
    if field.many:
        print(f"{field.name}: {help_text(kind, field)} (one per line, empty line to finish)", file=sys.stderr)
        items = []
        while line := input("  - ").strip():
            items.append(line)
        return items
    answer = input(f"{field.name} ({help_text(kind, field)}){suffix}: ").strip()
    return answer or field.default


def run(root: Path, kind: str, options: dict, interactive: bool) -> int:
    values, missing = {}, []
    for field in FIELDS[kind]:
        value = options.get(field.name)
        if value in (None, []) and interactive:
            value = ask(kind, field)
        if value in (None, []) and field.default is not None:
            value = field.default
        if value in (None, [], "") and field.required:
            missing.append(field)
        values[field.name] = value
    if values.get("responds_to") and not values.get("answer_kind"):
        missing += [f for f in FIELDS[kind] if f.name == "answer_kind"]
    if missing:
        for field in missing:
            print(f"missing --{field.name}: {help_text(kind, field)}", file=sys.stderr)
        return 2
    for name in ("date", "published"):
        if values.get(name):
            try:
                dates.parse(values[name])
            except ValueError as error:
                print(f"--{name}: {error}", file=sys.stderr)
                return 2
    try:
        folder = discover.record_folder(root, kind)  # never through a linked data/ or kind folder
        record_id = free_id(folder, base_id(kind, values))
        rel = f"data/{FOLDERS[kind]}/{record_id}.yaml"
        text = yaml.safe_dump(to_record(kind, record_id, values), allow_unicode=True, sort_keys=False)
        # Canonical form, schema line on top; created, never written through an existing entry.
        discover.write_text(folder / f"{record_id}.yaml", format_text(text, kind, root), rel, create=True)
    except discover.Unreadable as error:
        report([error.problem])
        return 1
    except SchemaProblems as error:
        report(error.problems)
        return 1
    print(rel)
    return 0


def add_parser(sub) -> None:
    parser = sub.add_parser("new", help="start a new record with its essential fields")
    kinds = parser.add_subparsers(dest="record_kind", required=True)
    for kind, fields in FIELDS.items():
        p = kinds.add_parser(kind, help=f"a new {kind} record")
        for field in fields:
            p.add_argument(f"--{field.name}", action="append" if field.many else "store", help=help_text(kind, field))
