"""Machine-readable outputs published beside the pages: the open data (JSON per kind and combined,
CSV per kind, the JSON Schemas), the Atom feed of events, and the compact JSON files that the
timeline and the relationship graph read in the browser.

Everything here is a pure function of the dataset; output is sorted and byte-stable.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from kb import FOLDERS, KINDS
from kb.model import dates, discover
from kb.model.schemas import schema_files
from kb.site import cite, offers, package
from kb.site.changelog import Changelog
from kb.site.link import current_status, newest_first
from kb.model.load import Dataset, Record

DATA_DIR = "data"  # where the open data goes in the site
FEED_ENTRIES = 100
NEWS_KINDS = {"wire-agency", "newspaper", "broadcaster", "magazine", "online-news", "specialist-outlet", "state-media"}
# CSV columns per kind: nested values (lists of roles, statuses...) go in as compact JSON.
CSV_COLUMNS = {
    "actor": ["id", "name", "kind", "hangul", "aliases", "country", "summary", "roles", "sources"],
    "policy": ["id", "title", "owners", "current_status", "status_since", "summary", "status", "related", "tags", "sources"],
    "event": ["id", "date", "end_date", "title", "type", "summary", "actors", "policies", "offer", "responds_to", "place", "tags",
              "according_to", "sources"],
    "source": ["id", "title", "title_en", "publisher", "via", "via_reason", "authors", "url", "published", "language", "kind"],
    "publisher": ["id", "name", "name_ko", "aliases", "url", "hosts", "country", "languages", "kind", "state_affiliation", "reliability", "reason"],
    "analysis": ["id", "title", "authors", "date", "summary", "claims", "policies", "events", "tags", "sources"],
}


def page_url(record: Record) -> str:
    """Site-relative URL of a record page (MkDocs' directory URLs)."""
    return f"{FOLDERS[record.kind]}/{record.id}/"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def record_rows(dataset: Dataset, kind: str) -> list[list[str]]:
    """The cells of data/<kind>.csv, one row per record (the SQLite export reads the same rows)."""
    rows = []
    for record in dataset.records[kind].values():
        data = dict(record.data)
        if kind == "policy":
            current = current_status(data["status"])
            data["current_status"], data["status_since"] = current["status"], current["date"]
        rows.append([_cell(data.get(c)) for c in CSV_COLUMNS[kind]])
    return rows


# A spreadsheet runs a cell that starts with one of these as a formula ('=HYPERLINK(...)'); OWASP's
# advice is a leading apostrophe. Dates, ids and counts in the data never start that way.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value) -> str:
    text = _cell(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_from_rows(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_safe_cell(v) for v in row] for row in rows])
    return out.getvalue()


def csv_text(dataset: Dataset, kind: str) -> str:
    return csv_from_rows(CSV_COLUMNS[kind], record_rows(dataset, kind))


OFFER_COLUMNS = ["offer_event", "date", "period", "by", "side", "to", "what", "kind", "answer_event", "answer_date", "answer_by",
                 "answer_kind", "days_to_answer", "later_answers"]


def offers_csv(dataset: Dataset) -> str:
    """One row per offer with its first answer (empty where none is recorded)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OFFER_COLUMNS)
    for o in offers.collect(dataset):
        a = o.first_answer
        writer.writerow([_safe_cell(v) for v in [o.event.id, o.event.data["date"], o.period[0], o.by.id, offers.side(o.by), o.to.id, o.what, o.kind,
                         a.event.id if a else "", a.event.data["date"] if a else "", a.by.id if a and a.by else "",
                         a.kind if a else "", "" if o.days is None else o.days, len(o.answers) - 1 if a else 0]])
    return out.getvalue()


def open_data(dataset: Dataset, schema_dir: Path, version: str = "unversioned", citations: list[dict] = ()) -> dict[str, str | bytes]:
    """Every open-data file by its path in the site: JSON and CSV per kind, relation tables, the data
    package, the SQLite database, the schemas, the pages' citations (CSL-JSON items, kb.site.cite)
    and a zip of all of it named by the data's version."""
    files: dict[str, str | bytes] = {}
    combined = {}
    tables: dict[str, list[list]] = {}
    for kind in KINDS:
        records = [r.data for r in dataset.records[kind].values()]  # JSON types only: the loader keeps dates as written
        combined[FOLDERS[kind]] = records
        files[f"{FOLDERS[kind]}.json"] = _json(records)
        tables[f"{FOLDERS[kind]}.csv"] = record_rows(dataset, kind)
        files[f"{FOLDERS[kind]}.csv"] = csv_from_rows(CSV_COLUMNS[kind], tables[f"{FOLDERS[kind]}.csv"])
    for name, rows in package.relation_rows(dataset).items():
        tables[f"tables/{name}.csv"] = rows
        files[f"tables/{name}.csv"] = csv_from_rows(package.RELATIONS[name][0], rows)
    files["knowledge-base.json"] = _json(combined)
    files["offers.csv"] = offers_csv(dataset)
    files["csl.json"] = cite.csl_json(citations)
    files["citations.bib"] = "\n".join(cite.bibtex(entry) for entry in citations)
    files["citations.ris"] = "\n".join(cite.ris(entry) for entry in citations)
    # The schemas as validation read them: the same files, through discovery (no links followed),
    # parsed once (kb.model.schemas caches them).
    found, _ = discover.schema_files(schema_dir)
    for path, rel in found:
        files[f"schemas/{path.name}"] = discover.read_text(path, rel)
    schemas = {name.removesuffix(".schema.json"): schema for name, schema in schema_files(schema_dir).items()}
    descriptor = package.datapackage(schemas, CSV_COLUMNS, version)
    files["datapackage.json"] = package.dumps(descriptor)
    files["knowledge-base.sqlite"] = package.sqlite_bytes(tables, descriptor)
    # The README and licence go into the zip only: as .md files in the site they would become pages.
    licence = schema_dir.parent / "LICENSE.md"
    extra = {"README.md": package.readme(version, descriptor), "LICENSE.md": licence.read_text(encoding="utf-8") if licence.is_file() else ""}
    files[f"knowledge-base-{version}.zip"] = package.zip_bytes({**files, **extra}, version)
    return {f"{DATA_DIR}/{path}": content for path, content in files.items()}


def _exchange(event: Record, answered: set[str]) -> list[str]:
    """The event's part in offers and answers, for the timeline's filter."""
    out = []
    if event.data.get("offer"):
        out += ["offer"] if event.id in answered else ["offer", "unanswered"]
    if event.data.get("responds_to"):
        out.append("answer")
    return out


def timeline_json(dataset: Dataset, human=dates.PartialDate.human) -> str:
    """Compact rows for the browser: events oldest first, actors and policies by index."""
    actors = sorted(dataset.records["actor"].values(), key=lambda r: r.id)
    policies = sorted(dataset.records["policy"].values(), key=lambda r: r.id)
    actor_index = {r.id: i for i, r in enumerate(actors)}
    policy_index = {r.id: i for i, r in enumerate(policies)}
    events = sorted(dataset.records["event"].values(), key=lambda r: (dates.parse(r.data["date"]).sort_key(), r.id))
    answered = {a["event"] for e in events for a in e.data.get("responds_to", [])}
    rows = []
    for event in events:
        d = dates.parse(event.data["date"])
        rows.append([
            event.id, d.iso(), human(d), event.data["title"], event.data["type"],
            [actor_index[a["actor"]] for a in event.data.get("actors", [])],
            [policy_index[p["policy"]] for p in event.data.get("policies", [])],
            sorted(event.data.get("tags", [])),
            _exchange(event, answered),
        ])
    payload = {
        "columns": ["id", "date", "label", "title", "type", "actors", "policies", "tags", "exchange"],
        "events": rows,
        "actors": [[r.id, r.data["name"]] for r in actors],
        "policies": [[r.id, r.data["title"]] for r in policies],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def graph_json(dataset: Dataset) -> str:
    """Actors, policies and events as nodes; who took part in what, and what affected what, as edges."""
    nodes, edges = [], set()
    for kind in ("actor", "policy", "event"):
        for record in dataset.records[kind].values():
            label = record.data.get("name") or record.data.get("title")
            node = {"id": f"{kind}:{record.id}", "label": label, "kind": kind, "url": page_url(record)}
            if kind == "event":
                node["year"] = str(dates.parse(record.data["date"]).year)
            nodes.append(node)
    for event in dataset.records["event"].values():
        for a in event.data.get("actors", []):
            edges.add((f"actor:{a['actor']}", f"event:{event.id}", "took part"))
        for p in event.data.get("policies", []):
            edges.add((f"event:{event.id}", f"policy:{p['policy']}", "affected"))
        for answer in event.data.get("responds_to", []):
            edges.add((f"event:{event.id}", f"event:{answer['event']}", answer["kind"]))
    for policy in dataset.records["policy"].values():
        for owner in policy.data["owners"]:
            edges.add((f"actor:{owner}", f"policy:{policy.id}", "owns"))
        for rel in policy.data.get("related", []):
            edges.add((f"policy:{policy.id}", f"policy:{rel['policy']}", rel["relation"]))
    for actor in dataset.records["actor"].values():
        for role in actor.data.get("roles", []):
            if role.get("organization"):
                edges.add((f"actor:{actor.id}", f"actor:{role['organization']}", "role"))
    payload = {"nodes": nodes, "edges": [{"source": s, "target": t, "label": l} for s, t, l in sorted(edges)]}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


# What XML 1.0 cannot carry, whatever the escaping (control characters but tab, CR, LF; lone
# surrogates; U+FFFE and U+FFFF), and the other noncharacters, which feed readers may refuse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                      + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")


def xml_safe(value) -> str:
    """The text without the characters XML forbids (kb check refuses them; this is the last guard)."""
    return _NOT_XML.sub("", str(value))


def _xml_text(value) -> str:
    return xml_escape(" ".join(xml_safe(value).split()))


def _xml_attr(value: str) -> str:
    return xml_escape(xml_safe(value), {'"': "&quot;"})


def _atom(feed: str, title: str, self_path: str, base: str, entries: list[tuple[str, str, str, str, str]]) -> str:
    """An Atom 1.0 document; entries are (id, title, link, updated, summary), newest first."""
    updated = entries[0][3] if entries else "1970-01-01T00:00:00Z"
    body = "".join(
        "  <entry>\n"
        f"    <id>{_xml_text(entry_id)}</id>\n"
        f"    <title>{_xml_text(entry_title)}</title>\n"
        f'    <link rel="alternate" type="text/html" href="{_xml_attr(link)}"/>\n'
        f"    <updated>{stamp}</updated>\n"
        f"    <summary>{_xml_text(summary)}</summary>\n"
        "  </entry>\n"
        for entry_id, entry_title, link, stamp, summary in entries
    )
    xml_base = f' xml:base="{_xml_attr(base)}"' if base else ""
    head = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom"{xml_base}>\n'
        f"  <id>tag:nk-policy-kb,2025:{feed}</id>\n"
        f"  <title>{_xml_text(title)}</title>\n"
        f'  <link rel="self" href="{_xml_attr(base)}{self_path}"/>\n'
        f"  <updated>{updated}</updated>\n"
        "  <author><name>Knowledge base contributors</name></author>\n"
    )
    return head + body + "</feed>\n"


def _stamp(value) -> str:
    y, m, d = dates.parse(value).earliest()
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z"


def atom_feed(dataset: Dataset, site_url: str, site_name: str) -> str:
    """Atom 1.0, newest event first. Links are absolute when the site's URL is known."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    events = newest_first(dataset.records["event"].values())[:FEED_ENTRIES]
    entries = [(f"tag:nk-policy-kb,2025:events/{e.id}", e.data["title"], base + page_url(e), _stamp(e.data["date"]),
                dates.parse(e.data["date"]).human() + ": " + str(e.data["summary"])) for e in events]
    return _atom("events", f"{site_name}: events", "feed.xml", base, entries)


def changes_feed(log: Changelog, site_url: str, site_name: str) -> str:
    """Atom 1.0 of the data's change log (commits that touched data/), newest first."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries = []
    for commit in log.commits[:FEED_ENTRIES]:
        counts = {kind: sum(1 for r in commit.records if r.change == kind) for kind in ("added", "changed", "removed")}
        summary = ("Correction: " + "; ".join(commit.corrections) + ". " if commit.corrections else "") + \
            ", ".join(f"{n} record{'s' if n != 1 else ''} {kind}" for kind, n in counts.items() if n)
        entries.append((f"tag:nk-policy-kb,2025:changes/{commit.sha}", commit.subject, f"{base}changes/#{commit.sha[:12]}",
                        _stamp(commit.date), summary))
    return _atom("changes", f"{site_name}: changes to the data", "changes.xml", base, entries)


def json_ld(record: Record, dataset: Dataset, site_url: str) -> str:
    """schema.org description of a record, safe to embed in a <script> element."""
    data = record.data
    url = (site_url.rstrip("/") + "/" + page_url(record)) if site_url else None
    if record.kind == "actor":
        kind = "Person" if data["kind"] == "person" else "Country" if data["kind"] == "state" else "Organization"
        doc = {"@type": kind, "name": data["name"], "alternateName": [data["hangul"], *data.get("aliases", [])] if data.get("hangul") else data.get("aliases", []),
               "description": str(data["summary"])}
        if kind == "Person" and data.get("roles"):
            doc["jobTitle"] = data["roles"][-1]["title"]
    elif record.kind == "event":
        doc = {"@type": "Event", "name": data["title"], "startDate": dates.parse(data["date"]).iso(), "description": str(data["summary"]),
               "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode"}
        if data.get("end_date"):
            doc["endDate"] = dates.parse(data["end_date"]).iso()
        if data.get("place"):
            doc["location"] = {"@type": "Place", "name": data["place"]}
        doc["about"] = [{"@type": "Thing", "name": dataset.get("actor", a["actor"]).data["name"]} for a in data.get("actors", [])]
    elif record.kind == "source":
        doc = {"@type": "Article" if data["kind"] in ("news", "analysis", "opinion", "interview") else "CreativeWork",
               "name": data["title"], "url": data["url"], "publisher": {"@type": "Organization", "name": dataset.get("publisher", data["publisher"]).data["name"]},
               "inLanguage": data["language"]}
        if data.get("published") is not None:
            doc["datePublished"] = dates.parse(data["published"]).iso()
        if data.get("authors"):
            doc["author"] = [{"@type": "Person", "name": a} for a in data["authors"]]
    elif record.kind == "analysis":
        doc = {"@type": "Article", "name": data["title"], "datePublished": dates.parse(data["date"]).iso(),
               "author": [{"@type": "Person", "name": dataset.get("actor", a).data["name"]} for a in data["authors"]],
               "abstract": str(data["summary"])}
    elif record.kind == "publisher":
        doc = {"@type": "NewsMediaOrganization" if data["kind"] in NEWS_KINDS else "Organization", "name": data["name"],
               "alternateName": [n for n in [data.get("name_ko"), *data.get("aliases", [])] if n], "description": str(data["reason"])}
        if data.get("url"):
            doc["sameAs"] = data["url"]
    else:  # a policy: schema.org has no policy type; a CreativeWork about it is the closest honest fit
        doc = {"@type": "CreativeWork", "name": data["title"], "description": str(data["summary"]),
               "creativeWorkStatus": data["status"][-1]["status"]}
    doc = {"@context": "https://schema.org", **doc}
    if url:
        doc["url" if record.kind != "source" else "sameAs"] = url
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    # Inside <script>, "</script>" or "<!--" in a value would end or confuse the element: escape <, > and &.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
