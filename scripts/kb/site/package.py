"""The open data as one described dataset: relation tables, a Frictionless data package, a SQLite
database and a versioned zip of everything.

The record CSVs (``data/<kind>.csv``) keep nested values as JSON; the relation tables here spell
them out one row per link (actors of events, sources cited, roles, status history, answers), so
that SQL joins and foreign keys work. ``datapackage.json`` describes every CSV with a Table Schema
(types, required fields, enumerations, primary and foreign keys), derived from the JSON Schemas so
that the two cannot drift apart. Everything is a pure function of the dataset: same data, same bytes.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile

from kb import FOLDERS, KINDS
from kb.model.load import Dataset, walk
from kb.model.validate import REFERENCES

LICENCE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}
TITLE = "Lee Jae-myung's North Korea Policy: knowledge base"
DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

# Relation tables: name -> (columns, primary key, foreign keys as (columns, kind table)).
RELATIONS = {
    "event_actors": (["event", "actor", "role"], ["event", "actor"], [("event", "events"), ("actor", "actors")]),
    "event_policies": (["event", "policy", "effect"], ["event", "policy"], [("event", "events"), ("policy", "policies")]),
    "answers": (["event", "answers_event", "kind", "by"], ["event", "answers_event"], [("event", "events"), ("answers_event", "events"), ("by", "actors")]),
    "roles": (["actor", "position", "title", "organization", "start", "end", "attested"], ["actor", "position"],
              [("actor", "actors"), ("organization", "actors")]),
    "status_history": (["policy", "position", "date", "status", "event", "note"], ["policy", "position"], [("policy", "policies"), ("event", "events")]),
    "policy_owners": (["policy", "actor"], ["policy", "actor"], [("policy", "policies"), ("actor", "actors")]),
    "analysis_authors": (["analysis", "actor"], ["analysis", "actor"], [("analysis", "analyses"), ("actor", "actors")]),
    "citations": (["record_kind", "record_id", "source"], ["record_kind", "record_id", "source"], [("source", "sources")]),
}


def relation_rows(dataset: Dataset) -> dict[str, list[list]]:
    rows: dict[str, list[list]] = {name: [] for name in RELATIONS}
    for event in dataset.records["event"].values():
        for a in event.data.get("actors", []):
            rows["event_actors"].append([event.id, a["actor"], a.get("role")])
        for p in event.data.get("policies", []):
            rows["event_policies"].append([event.id, p["policy"], p.get("effect")])
        for answer in event.data.get("responds_to", []):
            rows["answers"].append([event.id, answer["event"], answer["kind"], answer.get("by")])
    for actor in dataset.records["actor"].values():
        for i, role in enumerate(actor.data.get("roles", [])):
            rows["roles"].append([actor.id, i + 1, role["title"], role.get("organization"), role.get("start"), role.get("end"), role.get("attested")])
    for policy in dataset.records["policy"].values():
        for i, status in enumerate(policy.data["status"]):
            rows["status_history"].append([policy.id, i + 1, status["date"], status["status"], status.get("event"), status.get("note")])
        rows["policy_owners"] += [[policy.id, owner] for owner in policy.data["owners"]]
    for analysis in dataset.records["analysis"].values():
        rows["analysis_authors"] += [[analysis.id, author] for author in analysis.data["authors"]]
    for kind in KINDS:
        for record in dataset.records[kind].values():
            cited = [v for pattern, target in REFERENCES[kind] if target == "source" for _, v in walk(record.data, pattern)]
            rows["citations"] += [[kind, record.id, source] for source in dict.fromkeys(cited)]
    for table in rows.values():
        table.sort(key=lambda row: [("" if v is None else str(v)) for v in row])
    # Two links between the same pair (an actor twice in one event) would break the primary key: keep the first.
    return {name: _unique(table, [RELATIONS[name][0].index(k) for k in RELATIONS[name][1]]) for name, table in rows.items()}


def _unique(rows: list[list], key_columns: list[int]) -> list[list]:
    seen, out = set(), []
    for row in rows:
        key = tuple(row[i] for i in key_columns)
        if key not in seen:
            seen.add(key)
            out.append(row)
    return out


def _field(name: str, spec: dict, required: bool) -> dict:
    """A Table Schema field from a JSON Schema property (nested values are JSON text in the CSV)."""
    field = {"name": name, "type": "string"}
    if spec.get("description"):
        field["description"] = spec["description"]
    constraints = {}
    if required:
        constraints["required"] = True
    if "enum" in spec:
        constraints["enum"] = spec["enum"]
    if spec.get("format") == "partial-date":
        constraints["pattern"] = DATE_PATTERN
        field["description"] = (field.get("description", "") + " A date at its precision: YYYY, YYYY-MM or YYYY-MM-DD.").strip()
    if spec.get("type") == "array" or spec.get("type") == "object":
        field["description"] = (field.get("description", "") + " Nested values as JSON; a list of plain values joined with '; '.").strip()
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage(schemas: dict[str, dict], csv_columns: dict[str, list[str]], version: str) -> dict:
    """The Frictionless descriptor for the record CSVs and the relation tables."""
    resources = []
    for kind in KINDS:
        schema = schemas[kind]
        properties, required = schema["properties"], set(schema.get("required", []))
        fields = [_field(c, properties.get(c, {"description": _DERIVED.get(c, "")}), c in required) for c in csv_columns[kind]]
        resources.append({"name": FOLDERS[kind], "path": f"{FOLDERS[kind]}.csv", "profile": "tabular-data-resource", "format": "csv",
                          "encoding": "utf-8", "title": schema.get("title"), "description": schema.get("description"),
                          "schema": {"fields": fields, "primaryKey": ["id"], "foreignKeys": _record_keys(kind, csv_columns[kind])}})
    for name, (columns, key, foreign) in RELATIONS.items():
        fields = [{"name": c, "type": "integer" if c == "position" else "string", **({"constraints": {"required": True}} if c in key else {})}
                  for c in columns]
        resources.append({"name": name.replace("_", "-"), "path": f"tables/{name}.csv", "profile": "tabular-data-resource", "format": "csv",
                          "encoding": "utf-8", "schema": {"fields": fields, "primaryKey": key,
                                                          "foreignKeys": [{"fields": c, "reference": {"resource": t, "fields": "id"}} for c, t in foreign]}})
    # Not tabular: the pages' citations, CSL-JSON as reference managers read it.
    resources.append({"name": "page-citations", "path": "csl.json", "profile": "data-resource", "format": "json",
                      "mediatype": "application/vnd.citationstyles.csl+json", "encoding": "utf-8",
                      "title": "How to cite each page", "description": "One CSL-JSON item per page of the site (records and generated views); "
                      "citations.bib and citations.ris hold the same items as BibTeX and RIS."})
    return {"profile": "data-package", "name": "nk-policy-kb", "title": TITLE, "version": version, "licenses": [LICENCE],
            "homepage": "", "resources": resources}


_DERIVED = {"current_status": "The policy's current status.", "status_since": "Since when it has had that status."}
# Foreign keys of the record tables themselves (single-valued reference columns).
_RECORD_KEYS = {"source": [("publisher", "publishers"), ("via", "publishers")], "event": [("according_to", "publishers")]}


def _record_keys(kind: str, columns: list[str]) -> list[dict]:
    return [{"fields": c, "reference": {"resource": t, "fields": "id"}} for c, t in _RECORD_KEYS.get(kind, []) if c in columns]


def sqlite_bytes(tables: dict[str, list[list]], package: dict) -> bytes:
    """A SQLite database with a table per resource of the package (``tables``: resource path -> rows),
    its primary and foreign keys, and full-text search. Keys are checked once all tables are filled."""
    db = sqlite3.connect(":memory:")
    for resource in package["resources"]:
        if resource["profile"] != "tabular-data-resource":
            continue
        fields = resource["schema"]["fields"]
        columns = ", ".join(f'"{f["name"]}" {"INTEGER" if f["type"] == "integer" else "TEXT"}' for f in fields)
        keys = f', PRIMARY KEY ({", ".join(chr(34) + k + chr(34) for k in resource["schema"]["primaryKey"])})'
        foreign = "".join(f', FOREIGN KEY ("{fk["fields"]}") REFERENCES "{fk["reference"]["resource"].replace("-", "_")}" ("id")'
                          for fk in resource["schema"]["foreignKeys"])
        table = resource["name"].replace("-", "_")
        db.execute(f'CREATE TABLE "{table}" ({columns}{keys}{foreign})')
        placeholders = ", ".join("?" for _ in fields)
        db.executemany(f'INSERT INTO "{table}" VALUES ({placeholders})', ([None if v == "" else v for v in row] for row in tables[resource["path"]]))
    # Full-text search over what readers look for; Datasette offers it on these tables.
    for table, columns in {"events": ("title", "summary"), "actors": ("name", "hangul", "aliases", "summary"),
                           "policies": ("title", "summary"), "analyses": ("title", "summary"), "sources": ("title", "title_en")}.items():
        cols = ", ".join(columns)
        db.execute(f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', content_rowid='rowid')")
        db.execute(f"INSERT INTO {table}_fts(rowid, {cols}) SELECT rowid, {cols} FROM {table}")
    db.commit()
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    if problems:  # validated data has none; a failure here is a bug in the tables above
        raise ValueError(f"foreign keys broken in the SQLite export: {problems[:5]}")
    data = db.serialize()
    db.close()
    return data


def zip_bytes(files: dict[str, str | bytes], version: str) -> bytes:
    """Every open-data file in one zip with fixed timestamps, so the same data gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"knowledge-base-{version}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            content = files[path]
            archive.writestr(info, content if isinstance(content, bytes) else content.encode("utf-8"))
    return out.getvalue()


def readme(version: str, package: dict) -> str:
    lines = [f"# {TITLE}", "", f"Version {version}. Licence: {LICENCE['title']} ({LICENCE['path']}).", "",
             "Files:", ""]
    lines += [f"- {r['path']}: {r.get('description') or r['name'].replace('-', ' ')}" for r in package["resources"]]
    lines += ["- knowledge-base.sqlite: every table above, with foreign keys and full-text search (open with sqlite3 or Datasette).",
              "- datapackage.json: the Frictionless description of the CSV files.", "- schemas/: the JSON Schemas of the records.", ""]
    return "\n".join(lines)


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
