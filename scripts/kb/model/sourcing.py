"""The publisher registry's rules: where a source comes from decides whether, and how, it may be cited.

1. Hosts: a source's URL is on one of its publisher's hosts (a host covers its subdomains), and one
   host belongs to one publisher, so the URL alone names who published the page.
2. Classes: a source from a ``not-a-source`` publisher (aggregator, content farm, AI-written site,
   forum) is refused; a statement whose every source is ``attributed-only`` (state media, partisan
   sites) says ``according_to``, so its page reads "according to KCNA" instead of stating it as fact.
3. Headlines: a title is the headline as published, never a bracketed description; a headline in
   another language has ``title_en``.
4. Copies: ``via`` (this page copies another publisher's report) only with ``via_reason``.
5. Roles: a role gives ``start`` or ``attested``; a start equal to its source's publication date is
   probably the date of an article that mentions the role (a warning, not an error).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from kb.model.load import Dataset, Record, walk
from kb.model import urls
from kb.model.problems import Problem, format_path, quote

WARNING = "warning: "
LANGUAGE = re.compile(r"[a-z]{2,3}")
WEB_URL = re.compile(r"https?://", re.IGNORECASE)


def host_index(dataset: Dataset) -> dict[str, Record]:
    """Host -> the publisher that lists it (the first, by file order, if two do: that is reported)."""
    owners: dict[str, Record] = {}
    for publisher in dataset.records["publisher"].values():
        hosts = publisher.data.get("hosts")
        for host in hosts if isinstance(hosts, list) else []:
            if isinstance(host, str):
                owners.setdefault(host, publisher)
    return owners


def owner_of(url: str, owners: dict[str, Record]) -> Record | None:
    """The publisher whose most specific host covers the URL's host (news.kbs.co.kr before kbs.co.kr)."""
    parts = _host(url).split(".")
    for i in range(len(parts) - 1):
        owner = owners.get(".".join(parts[i:]))
        if owner is not None:
            return owner
    return None


def _host(url: str) -> str:
    """The URL's host name, or '' when the URL cannot be parsed (the schema reports it)."""
    try:
        return (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return ""


def reliability(dataset: Dataset, source_id: str) -> str | None:
    source = dataset.get("source", source_id)
    publisher = dataset.get("publisher", source.data.get("publisher")) if source else None
    return publisher.data.get("reliability") if publisher else None


def _duplicate_hosts(dataset: Dataset, owners: dict[str, Record]) -> list[Problem]:
    out = []
    for publisher in dataset.records["publisher"].values():
        hosts = publisher.data.get("hosts")
        for i, host in enumerate(hosts if isinstance(hosts, list) else []):
            owner = owners.get(host) if isinstance(host, str) else None
            if owner is not None and owner is not publisher:
                out.append(publisher.problem(("hosts", i), f"hosts[{i}]: '{quote(host)}' is already listed by {owner.path}; one host belongs to one publisher"))
    return out


def _source_problems(source: Record, dataset: Dataset, owners: dict[str, Record]) -> list[Problem]:
    out = []
    data = source.data
    publisher = dataset.get("publisher", data.get("publisher"))
    title = data.get("title")
    if isinstance(title, str) and title.lstrip().startswith("["):
        out.append(source.problem(("title",), "title: write the headline as published, not a description in brackets"))
    language = data.get("language")
    if isinstance(language, str) and LANGUAGE.fullmatch(language) and language != "en" and not data.get("title_en"):
        out.append(source.problem(("title",), f"title: a headline in '{data['language']}' needs 'title_en', a faithful English translation"))
    if data.get("via") and not data.get("via_reason"):
        out.append(source.problem(("via",), "via: cite the original report instead of a copy; keep 'via' only with 'via_reason' saying why the original cannot be cited"))
    if publisher is None:
        return out  # an unknown publisher id is reported by the reference check
    if publisher.data.get("reliability") == "not-a-source":
        out.append(source.problem(("publisher",), f"publisher: {publisher.data.get('name', publisher.id)} is not a source ({publisher.data.get('kind', 'see its record')}); cite the original report it is based on"))
    url = data.get("url")
    if isinstance(url, str) and WEB_URL.match(url) and urls.problem(url) is None:  # others are refused by the schema or the URL rules
        owner = owner_of(url, owners)
        host = _host(url)
        if owner is None:
            out.append(source.problem(("url",), f"url: no publisher lists the host '{quote(host)}'; add it to 'hosts' in {publisher.path} if the page is theirs"))
        elif owner is not publisher:
            out.append(source.problem(("url",), f"url: the host '{quote(host)}' belongs to {owner.data.get('name', owner.id)}; set publisher: {owner.id}"))
    return out


def _ids(value) -> list[str]:
    """The ids of a list field, whatever the data holds there (the schema reports wrong types)."""
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# Statements that cite sources and may need 'according_to': (pattern of the statement, name in messages).
STATEMENTS = {"event": [((), "this event")], "actor": [(("roles", "*"), "this role")], "policy": [(("status", "*"), "this status change")]}


def _attribution_problems(record: Record, dataset: Dataset) -> list[Problem]:
    out = []
    for pattern, what in STATEMENTS.get(record.kind, []):
        for path, statement in walk(record.data, pattern):
            if not isinstance(statement, dict):
                continue
            sources = [s for s in _ids(statement.get("sources")) if dataset.get("source", s)]
            publishers = {p for s in sources if isinstance(p := dataset.get("source", s).data.get("publisher"), str)}
            classes = {reliability(dataset, s) for s in sources}
            according_to = statement.get("according_to")
            where = format_path(path)
            prefix = f"{where}: " if where else ""
            if sources and classes == {"attributed-only"} and not according_to:
                names = ", ".join(sorted(p for p in publishers if p))
                out.append(record.problem(path, f"{prefix}every source of {what} is from an attributed-only publisher ({names}); add 'according_to: <publisher id>' so the page says whose account it is, or cite a reliable source"))
            if according_to and isinstance(according_to, str) and sources and according_to not in publishers:
                out.append(record.problem(path + ("according_to",), f"{where + '.' if where else ''}according_to: '{according_to}' publishes none of the sources cited here"))
    return out


def _role_problems(actor: Record, dataset: Dataset) -> tuple[list[Problem], list[Problem]]:
    errors, warnings = [], []
    for path, role in walk(actor.data, ("roles", "*")):
        if not isinstance(role, dict):
            continue
        where = format_path(path)
        if role.get("start") is None and role.get("attested") is None:
            errors.append(actor.problem(path, f"{where}: give 'start' (when the role began) or 'attested' (a date a source shows it held)"))
        start = role.get("start")
        for source_id in _ids(role.get("sources")):
            source = dataset.get("source", source_id) if isinstance(source_id, str) else None
            if start is not None and source is not None and str(source.data.get("published")) == str(start) and role.get("attested") is None:
                warnings.append(actor.problem(path + ("start",), f"{WARNING}{where}.start: equals the publication date of {source_id}; if that article only mentions the role, write the date as 'attested' instead"))
                break
    return errors, warnings


def check(dataset: Dataset) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) under the registry's rules. The dataset has passed the schema checks' load."""
    owners = host_index(dataset)
    errors = _duplicate_hosts(dataset, owners)
    warnings: list[Problem] = []
    for source in dataset.records["source"].values():
        errors += _source_problems(source, dataset, owners)
    for kind in STATEMENTS:
        for record in dataset.records[kind].values():
            errors += _attribution_problems(record, dataset)
    for actor in dataset.records["actor"].values():
        role_errors, role_warnings = _role_problems(actor, dataset)
        errors += role_errors
        warnings += role_warnings
    return errors, warnings
