"""Data in, Markdown pages out: a pure function of the dataset and the hand-written docs.

Nothing here knows about MkDocs. ``render_site`` returns every page as text keyed by its path
inside the docs folder; the MkDocs hook hands them over in memory, and ``python -m kb render``
writes them to a folder for inspection or for another site generator.

Every value that comes from YAML goes into a template as a ``kb.site.fragments`` token (the
environment's ``finalize``): the page's Markdown never sees data text, only the token, which the
engine's glue replaces by the escaped, sanitized fragment once the page is HTML. Headings, which
the table of contents needs as text, use ``heading`` (``md_escape``) instead.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Undefined
from markupsafe import Markup

from kb import FOLDERS, KINDS
from kb.model import dates, translation
from kb.site import chart, cite, glance, offers, package
from kb.site.localize import localized
from kb.site.messages import Messages
from kb.site.changelog import Changelog
from kb.site.link import Index, current_status, newest_first, record_date
from kb.model.load import Dataset, Record
from kb.site.publish import atom_feed, changes_feed, graph_json, json_ld, open_data, timeline_json
from kb.site.stats import MONTHLY_TARGET, measure
from kb.site.fragments import Fragments, escape_text, sanitize_inline
from kb.site.text import markdown_html, md_escape, plain_text, safe_url
from kb.model.validate import SCHEMA_PATH, load_schemas

TEMPLATES = Path(__file__).parent / "templates"
LATEST_EVENTS = 10
HEAD_DESCRIPTION = 300  # characters of a record's summary in its description tags (og:description)
CHANGES_LISTED = 25  # records named per kind of change in one commit on the Changes page
# Hand-written pages may hold these markers; the build replaces them with generated Markdown.
MARKER = re.compile(r"<!-- kb:([a-z-]+) -->")

# The policy statuses in the order the tracker lists them (their words: the message catalogue).
STATUSES = ("proposed", "announced", "under-review", "in-effect", "partially-in-effect", "suspended", "ended", "rejected")


@dataclass(frozen=True)
class Page:
    path: str  # inside the docs folder, e.g. 'events/loudspeaker-halt.md' or 'data/events.json'
    text: str | bytes  # bytes for binary files (the SQLite database, the zip)
    data_path: str | None = None  # the YAML file behind a record page, for "Edit this page"


@dataclass(frozen=True)
class Site:
    """What the pages need to know beyond the data; all optional."""

    name: str = "Lee Jae-myung's North Korea Policy"
    url: str = ""  # absolute base URL, for the feed and JSON-LD; links stay relative without it
    last_changed: dict[str, str] = field(default_factory=dict)  # data file -> 'YYYY-MM-DD' (git)
    schema_dir: Path | None = None
    changelog: Changelog = field(default_factory=lambda: Changelog(available=False))  # from git

    @property
    def data_version(self) -> str:
        """The open data's version: the day the data last changed (git), or 'unversioned'."""
        return max(self.last_changed.values(), default="unversioned")


def _environment(fragments: Fragments) -> Environment:
    def finalize(value):
        if value is None or isinstance(value, Undefined):  # optional fields left out of the YAML
            return ""
        if isinstance(value, (Markup, int, float)):  # numbers and what the helpers made safe
            return value
        return fragments.plain(value)

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        finalize=finalize,
        undefined=Undefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # For a {% set %} block handed to a catalogue sentence: template output, in which data text is
    # already tokens, is put in as it is rather than escaped as one more data value.
    env.filters["rendered"] = Markup
    return env


def label(record: Record) -> str:
    data = record.data
    return data.get("name") or data.get("title") or record.id


def page_path(record: Record) -> str:
    return f"{FOLDERS[record.kind]}/{record.id}.md"


def relative(path: str, base: str) -> str:
    """posixpath.relpath for our site's paths, where that function was a tenth of render time."""
    if not base:
        return path
    if path.startswith(base + "/"):
        return path[len(base) + 1:]
    return "../" * (base.count("/") + 1) + path


def front_matter_title(value) -> Markup:
    """A page title for front matter. Themes print ``page.title`` into <title> and menus without
    escaping it, so it is HTML-escaped here and JSON-quoted (JSON strings are valid YAML)."""
    return Markup(json.dumps(html.escape(" ".join(str(value).split())), ensure_ascii=False))


def anchor(value) -> Markup:
    """A commit hash for an attribute list ('{ #abc123 }'); anything else is dropped."""
    text = str(value)
    return Markup(text) if re.fullmatch(r"[0-9a-f]{4,40}", text) else Markup("")


def by_date(items, *fields: str, reverse: bool = False) -> list:
    """Sort mappings by the first of the date fields they have, at its precision ('2025' before
    '2025-01' before '2025-01-01'); a role without a start sorts by the date it is attested."""
    def key(item):
        return dates.parse(next(item[f] for f in fields if item.get(f) is not None)).sort_key()
    return sorted(items or [], key=key, reverse=reverse)


def human_date(value, messages: Messages | None = None) -> str:
    """A data date in the edition's words ('11 June 2025', '2025년 6월 11일')."""
    if value is None or isinstance(value, Undefined):  # an optional date left out
        return ""
    date = value if isinstance(value, dates.PartialDate) else dates.parse(value)
    return messages.date(date) if messages else date.human()


class Citations:
    """Numbered citations for one page: ``cite`` returns footnote markers, ``footnotes`` the list."""

    def __init__(self, dataset: Dataset, here: str, fragments: Fragments, messages: Messages):
        self.dataset = dataset
        self.here = here
        self.fragments = fragments
        self.messages = messages
        self.numbers: dict[str, int] = {}

    def cite(self, source_ids) -> Markup:
        marks = []
        for source_id in source_ids or []:
            if self.dataset.get("source", source_id) is None:
                continue
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            marks.append(f"[^{number}]")
        return Markup("".join(marks))

    def footnotes(self) -> Markup:
        lines = []
        for source_id, number in self.numbers.items():
            source = self.dataset.get("source", source_id)
            data = source.data
            publisher = self.dataset.get("publisher", data["publisher"])
            plain = self.fragments.plain
            words = self.messages.get("common")
            parts = [plain(publisher.data["name"])]
            if data.get("via"):
                parts[0] += " " + words["footnote_via"].format(name=plain(self.dataset.get("publisher", data["via"]).data["name"]))
            if data.get("published") is not None:
                parts.append(human_date(data["published"], self.messages))
            url = safe_url(data.get("url"))
            title = plain(data["title"])  # as published, in either edition
            parts.append(f"[{title}]({url})" if url else title)
            text = ", ".join(parts)
            if data.get("title_status"):
                text += f" ({self.messages.word('title_status', data['title_status']) or plain(data['title_status'])})"
            if data.get("title_en"):
                text += " " + words["footnote_english"].format(title=plain(data["title_en"]))
            if publisher.data.get("reliability") == "attributed-only":
                text += words["footnote_attributed"]
            record_link = relative(page_path(source), posixpath.dirname(self.here))
            lines.append(f"[^{number}]: {text}. [{words['footnote_record']}]({record_link})")
        return Markup("\n".join(lines))


class Renderer:
    def __init__(self, dataset: Dataset, docs_dir: Path | None = None, site: Site | None = None, language: str = "en"):
        self.site = site or Site()
        self.language = language
        self.messages = Messages(language)
        # The edition's view of the data (Korean text over the English) and what each record lacks.
        self.english = dataset
        self.dataset, self.translations = localized(dataset, language)

        self.index = Index(self.dataset)
        self.docs_dir = docs_dir
        self.fragments = Fragments()
        self.env = _environment(self.fragments)
        self.formatter = cite.Formatter()
        self.citations: dict[str, dict] = {}  # page path -> its CSL-JSON item, for the open data

    # Helpers shared by all templates -------------------------------------------------------

    def _helpers(self, here: str) -> dict:
        citations = Citations(self.dataset, here, self.fragments, self.messages)
        base = posixpath.dirname(here)
        # The page's URL with MkDocs' directory URLs ('events/x.md' -> 'events/x/'), for scripts
        # that fetch site files: they need the way back to the site root.
        depth = here.count("/") + (0 if here.endswith("index.md") else 1)
        root = "../" * depth or "./"

        def href(target) -> Markup:
            path = target if isinstance(target, str) else page_path(target)
            return Markup(relative(path, base))

        def link(record: Record | None, text=None) -> Markup:
            if record is None:
                return Markup("")
            return Markup(f"[{self.fragments.plain(text if text is not None else label(record))}]({href(record)})")

        def ref(kind: str, record_id: str, text=None) -> Markup:
            return link(self.dataset.get(kind, record_id), text)

        return {
            "cite": citations.cite,
            "footnotes": citations.footnotes,
            "link": link,
            "ref": ref,
            "href": href,
            "text": lambda value, css_class="kb-text": self.fragments.block(markdown_html(value), css_class),
            "heading": lambda value: Markup(md_escape(value)),
            "anchor": anchor,
            "date": lambda value: human_date(value, self.messages),
            "month_name": lambda ym: human_date(ym, self.messages),
            "by_date": by_date,
            "title": front_matter_title,
            "t": self.say,
            "word": self.word,
            "status_word": lambda s: self.word("status", s),
            "reliability_word": lambda r: self.word("reliability", r),
            "answer_word": lambda kind: self.word("answer", kind),
            "verdict_word": lambda v: self.word("verdict", v),
            "title_status_word": lambda v: self.word("title_status", v),
            "field_names": lambda names: Markup(", ").join(Markup(self.messages.get("translation.field")[n]) for n in names),
            "translation": lambda record: self.translations.get((record.kind, record.id)),
            "shared": lambda text, path: self.shared(text, path, root),
            "data_root": root if self.language == "en" else root + "../",  # open data: the first edition publishes it
            "language": self.language,
            "later_events": self.later_events,
            "publisher": lambda source: self.dataset.get("publisher", source.data["publisher"]),
            "citing": self.index.citing,
            "by_publisher": self.by_publisher,
            "backlinks": self.index.backlinks,
            "record_date": record_date,
            "current_status": current_status,
            "url": lambda value: Markup(safe_url(value) or ""),
            "label": label,
            "dataset": self.dataset,
            "kind_titles": {k: Markup(v) for k, v in self.messages.get("kinds").items()},  # trusted catalogue words
            "kind_names": {k: Markup(v) for k, v in self.messages.get("kind").items()},
            "kind_folders": FOLDERS,
            "root": root,
            "site": self.site,
            "json_ld": lambda record: Markup(json_ld(record, self.dataset, self.site.url)),
            "yaml_list": lambda items: Markup(json.dumps(list(items), ensure_ascii=False)),
            "last_changed": lambda record: self.site.last_changed.get(record.path, ""),
            "corrections": lambda record: self.site.changelog.corrections_of(record.kind, record.id),
        }

    def say(self, key: str, **values) -> Markup:
        """A catalogue sentence with values put in: data text as escaped fragments, never as Markdown."""
        safe = {k: v if isinstance(v, (Markup, int, float)) else self.fragments.plain(v) for k, v in values.items()}
        return Markup(str(self.messages.get(key)).format(**safe))

    def word(self, section: str, value) -> Markup:
        """The edition's label for a data value (a status, an event type), escaped if the catalogue lacks it."""
        found = self.messages.word(section, value)
        return Markup(found) if found is not None else self.fragments.plain(value)

    def shared(self, text, path: str, root: str) -> Markup:
        """A link to a file only the first edition publishes (open data, feeds): a Markdown link
        there, checked by the engine; from another edition a plain HTML link one level up."""
        if self.language == "en":
            return Markup(f"[{text}]({relative(path, '')})")
        label = text if isinstance(text, Markup) else html.escape(str(text))
        return Markup(f'<a href="{root}../{html.escape(path)}">{label}</a>')

    def later_events(self, analysis: Record, claim: dict) -> list[Record]:
        """Events after an analysis on the policies or (non-state) actors its claim discusses, newest first:
        what a reader needs to judge whether the claim held."""
        events = [self.dataset.get("event", e) for e in claim.get("events") or []]
        policies = set(claim.get("policies") or []) | {p["policy"] for e in events if e for p in e.data.get("policies", [])}
        actors = {a["actor"] for e in events if e for a in e.data.get("actors", [])}
        actors = {a for a in actors if (self.dataset.get("actor", a) or analysis).data.get("kind") != "state"}
        after = dates.parse(analysis.data["date"]).latest()
        found = [e for e in self.dataset.records["event"].values()
                 if dates.parse(e.data["date"]).earliest() > after
                 and ({p["policy"] for p in e.data.get("policies", [])} & policies or {a["actor"] for a in e.data.get("actors", [])} & actors)]
        return newest_first(found)

    def by_publisher(self, sources) -> list[dict]:
        """Sources grouped by publisher: the publishers cited most first, each group in the given order."""
        groups: dict[str, list[Record]] = {}
        for source in sources:
            groups.setdefault(source.data["publisher"], []).append(source)
        publishers = [self.dataset.get("publisher", p) for p in groups]
        publishers.sort(key=lambda p: (-len(groups[p.id]), label(p).casefold()))
        return [{"publisher": p, "sources": groups[p.id]} for p in publishers]

    def _render(self, template: str, here: str, **context) -> str:
        text = self.env.get_template(template).render(**self._helpers(here), here=here, **context)
        # One blank line at most between blocks, and a single newline at the end: stable output.
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def _cited(self, template: str, here: str, record: Record | None = None, **context) -> str:
        """A page with its head metadata (front matter ``kb_head``, read by overrides/main.html) and
        its "Cite this page" box (``_cite.md.j2``)."""
        text = self._render(template, here, record=record, **context)
        if record is not None:
            title, changed = label(record), self.site.last_changed.get(record.path, "")
            summary = record.data.get("summary") or record.data.get("reason") or record.data.get("note") or ""
        else:  # a generated view: its heading, and the day the data last changed
            title = re.search(r"^# (.+)$", text, re.MULTILINE).group(1)
            changed, summary = self.site.data_version if self.site.last_changed else "", ""
        url = self.page_url(here)
        entry = cite.item(here.removesuffix(".md").replace("/", ":"), title, self.site.name, changed, url)
        self.citations[here] = entry
        head = {"title": " ".join(str(title).split()), "description": plain_text(summary, HEAD_DESCRIPTION), "date": changed,
                "type": "article" if record is not None else "website"}
        # The box's data is escaped or sanitized here rather than made into tokens: it becomes one
        # block fragment at once, and a token per value would keep every page's text twice in memory.
        box_html = self._render("_cite.html.j2", here, entry=entry, styles=cite.STYLES, filename=escape_text(entry["id"].replace(":", "-")),
                                citations={s: sanitize_inline(h) for s, h in self.formatter.all_styles(entry).items()},
                                bibtex=escape_text(cite.bibtex(entry)), ris=escape_text(cite.ris(entry)), csl=escape_text(cite.csl_json([entry])))
        box = self._render("_cite.md.j2", here, box=self.fragments.template_block(self.fragments.fill(box_html)))
        front_matter = "kb_head: " + json.dumps(head, ensure_ascii=False, sort_keys=True) + "\n"
        return text[:4] + front_matter + text[4:] + "\n" + box if text.startswith("---\n") else text + "\n" + box

    def page_url(self, here: str) -> str:
        """The page's absolute URL (MkDocs' directory URLs), or '' without a site URL."""
        if not self.site.url:
            return ""
        path = here.removesuffix("index.md") if here == "index.md" or here.endswith("/index.md") else here.removesuffix(".md") + "/"
        return self.site.url.rstrip("/") + "/" + path

    # Pages ---------------------------------------------------------------------------------

    def record_page(self, record: Record) -> Page:
        here = page_path(record)
        text = self._cited(f"{record.kind}.md.j2", here, record, r=record.data)
        return Page(here, text, record.path)

    def index_page(self, kind: str) -> Page:
        here = f"{FOLDERS[kind]}/index.md"
        records = list(self.dataset.records[kind].values())
        if kind in ("event", "analysis", "source"):
            records = newest_first(records)
        else:
            records.sort(key=lambda r: label(r).casefold())
        return Page(here, self._cited(f"index-{kind}.md.j2", here, kind=kind, records=records))

    def special_page(self, name: str, **context) -> Page:
        """A generated page that is not a record or an index: timeline, tracker, graph, data."""
        return Page(f"{name}.md", self._cited(f"{name}.md.j2", f"{name}.md", **context))

    def files(self) -> list[Page]:
        """Machine-readable files published beside the pages."""
        schema_dir = self.site.schema_dir or SCHEMA_PATH
        citations = [self.citations[path] for path in sorted(self.citations)]
        # The open data and the feeds are published once, by the first edition.
        out = [Page(path, text) for path, text in open_data(self.dataset, schema_dir, self.site.data_version, citations).items()] if self.language == "en" else []
        out.append(Page("assets/kb/timeline.json", timeline_json(self.dataset, lambda d: human_date(d, self.messages))))
        out.append(Page("assets/kb/graph.json", graph_json(self.dataset)))
        out.append(Page("assets/kb/chart.json", chart.chart_json(self.dataset)))
        if self.language == "en":
            out.append(Page("feed.xml", atom_feed(self.dataset, self.site.url, self.site.name)))
        return out

    def quality_page(self) -> Page:
        # Measured on the data as written: whether a translation is current compares it with the
        # English, which the edition's view has replaced (records are linked by id, in the edition's words).
        english = self.english
        q = measure(english, self.index if english is self.dataset else None)
        untranslated: dict[str, dict[str, list[Record]]] = {}
        for record in q.untranslated:
            untranslated.setdefault(record.kind, {}).setdefault(translation.state(record), []).append(record)
        return Page("quality.md", self._cited("quality.md.j2", "quality.md", q=q, untranslated=untranslated,
                                              coverage=self.dataset.coverage, monthly_target=MONTHLY_TARGET))

    def insert(self, name: str, here: str) -> str:
        """Generated Markdown for a ``<!-- kb:name -->`` marker in a hand-written page."""
        if name == "latest-events":
            events = newest_first(self.dataset.records["event"].values())[:LATEST_EVENTS]
            return self._render("insert-latest-events.md.j2", here, events=events)
        if name == "coverage":
            return self._render("insert-coverage.md.j2", here, coverage=self.dataset.coverage)
        if name == "state-of-play":
            return self._render("insert-state-of-play.md.j2", here, g=glance.glance(self.dataset))
        if name == "counts":
            return self._render("insert-counts.md.j2", here, counts={k: len(self.dataset.records[k]) for k in KINDS})
        raise KeyError(name)

    def docs_pages(self) -> list[Page]:
        """Hand-written pages that hold markers, with the markers filled in."""
        pages = []
        if self.docs_dir is None:
            return pages
        for file in sorted(self.docs_dir.rglob("*.md")):
            text = file.read_text(encoding="utf-8")
            if not MARKER.search(text):
                continue
            here = file.relative_to(self.docs_dir).as_posix()
            pages.append(Page(here, MARKER.sub(lambda m, here=here: self.insert(m.group(1), here).rstrip("\n"), text)))
        return pages

    def pages(self) -> list[Page]:
        out = []
        for kind in KINDS:
            out.append(self.index_page(kind))
            out.extend(self.record_page(r) for r in self.dataset.records[kind].values())
        out.append(self.quality_page())
        policies = sorted(self.dataset.records["policy"].values(), key=lambda r: label(r).casefold())
        out.append(self.special_page("tracker", policies=policies, statuses=list(STATUSES)))
        chart_figures = chart.chart_data(self.dataset)
        out.append(self.special_page("timeline", count=len(self.dataset.records["event"]), groups=chart.GROUPS,
                                     chart_rows=chart.table_rows(chart_figures), year_only=chart_figures["year_only"]))
        out.append(self.special_page("graph"))
        out.append(self.special_page("changes", log=self.site.changelog, limit=CHANGES_LISTED))
        if self.language == "en":
            out.append(Page("changes.xml", changes_feed(self.site.changelog, self.site.url, self.site.name)))
        offer_list = offers.collect(self.dataset)
        coverage = self.dataset.coverage.data["reviewed_through"] if self.dataset.coverage else None
        out.append(self.special_page("offers", offers=offer_list, periods=offers.by_period(offer_list),
                                     coverage_date=human_date(coverage, self.messages) if coverage else self.say("page.offers_latest_record"),
                                     side=offers.side))
        out.append(self.special_page("data", schemas=load_schemas(self.site.schema_dir or SCHEMA_PATH), folders=FOLDERS,
                                     version=self.site.data_version, relations=list(package.RELATIONS),
                                     recent_changes=self.site.changelog.commits[:5]))
        out.extend(self.files())
        out.extend(self.docs_pages())
        return Rendered(sorted(out, key=lambda p: p.path), self.fragments)


class PageClash(Exception):
    """Two pages for one path: a record would silently replace another page (an id 'index')."""

    def __init__(self, page: Page, other: Page):
        self.path = page.data_path or other.data_path or page.path
        super().__init__(f"this record's page {page.path} would replace another generated page; choose another id")


class Rendered(list):
    """The pages in path order, and the data fragments their tokens stand for."""

    def __init__(self, pages: list[Page], fragments: Fragments):
        for before, after in zip(pages, pages[1:]):
            if before.path == after.path:
                raise PageClash(after if after.data_path else before, before if after.data_path else after)
        super().__init__(pages)
        self.fragments = fragments

    def revealed(self) -> dict[str, str | bytes]:
        """Each page's text with its tokens filled in (for tests and inspection)."""
        return {p.path: p.text if isinstance(p.text, bytes) else self.fragments.fill(p.text) for p in self}


def render_site(dataset: Dataset, docs_dir: Path | None = None, site: Site | None = None, language: str = "en") -> Rendered:
    """Every generated page and file of one edition, in path order (paths inside that edition's
    folder). The dataset must have passed validation; ``docs_dir`` holds the edition's hand-written pages."""
    return Renderer(dataset, docs_dir, site, language).pages()
