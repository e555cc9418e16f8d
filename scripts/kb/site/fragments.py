"""Data text is rendered on its own and put into the page only after the page is HTML.

Page-level Markdown extensions (superfences, footnotes, admonition, attr_list, snippets, ...) run
over the whole generated page before any ``markdown="0"`` block is set aside, so text from YAML
must never reach them. Each text value is therefore turned into HTML here, by itself (plain text
escaped, Markdown fields by the restricted renderer in ``kb.site.text``), passed through the nh3
allowlist sanitizer as a second wall, and stands in the generated Markdown as a token: letters and
digits that no Markdown extension acts on. The engine's glue replaces the tokens in the finished
HTML (MkDocs: ``on_page_content``; Zensical: ``kb zensical-fill``), before Pagefind indexes the built site.

Tokens are named after a hash of their fragment, so they are the same in every build and on every
page (dirty rebuilds under ``make serve`` stay small), and the validator refuses the word
``kbfrag`` in data, so data cannot name a token.
"""

from __future__ import annotations

import hashlib
import html
import json
import re

import nh3
from markupsafe import Markup

# What the restricted Markdown renderer may produce; anything else is removed by nh3 (its text
# kept), and <script>/<style> with their content.
ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "pre", "ul", "ol", "li", "blockquote", "br", "hr", "del", "sup", "sub"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
# What a citation formatter (citeproc) may produce inside one line of text.
INLINE_TAGS = {"i", "b", "em", "strong", "sup", "sub"}
PREFIX = "kbfrag"
# b: a block (its own paragraph in the Markdown); i: inline text.
TOKEN = re.compile(PREFIX + r"([bi])([0-9a-f]{20})")
_BLOCK_PARAGRAPH = re.compile(r"<p>(" + PREFIX + r"b[0-9a-f]{20})</p>")


def sanitize(fragment: str) -> str:
    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https"},
                     link_rel="nofollow noopener", strip_comments=True)


def sanitize_inline(fragment_html: str) -> Markup:
    """Formatted text from a library (a citation from citeproc) as one line: sanitized, inline tags
    only, quotes escaped (safe in text and in a quoted attribute)."""
    clean = nh3.clean(" ".join(fragment_html.split()), tags=INLINE_TAGS, attributes={}, strip_comments=True)
    return Markup(clean.replace('"', "&quot;"))


def escape_text(value) -> Markup:
    """Text whose line breaks matter (a BibTeX entry), escaped for a <pre> element or an attribute."""
    return Markup(html.escape(str(value), quote=False).replace('"', "&quot;"))


class Fragments:
    """Every fragment of one build, by token."""

    def __init__(self) -> None:
        self.html: dict[str, str] = {}

    def _token(self, kind: str, fragment: str) -> Markup:
        token = PREFIX + kind + hashlib.sha256(fragment.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.html.setdefault(token, fragment)
        return Markup(token)

    def plain(self, value) -> Markup:
        """Plain text (a name, a title, a label) as one escaped line."""
        # Fully escaped, so the token is safe even inside an attribute; nh3 is not needed here and
        # would unescape the quotes
        # (our templates quote attributes with '"', so "'" can stay as it is).
        return self._token("i", html.escape(" ".join(str(value).split()), quote=False).replace('"', "&quot;"))

    def block(self, fragment_html: str, css_class: str) -> Markup:
        """A rendered Markdown field, on its own line so that the page's Markdown makes it a paragraph."""
        return self._token("b", f'<div class="{css_class}">\n{sanitize(fragment_html)}\n</div>')

    def template_block(self, filled_html: str) -> Markup:
        """HTML that one of the build's templates made, its data already escaped or sanitized
        (``sanitize_inline``, ``escape_text``, filled tokens), as one block: the page's Markdown
        does not parse it again."""
        return self._token("b", filled_html.strip())

    def fill(self, page_html: str) -> str:
        """The page with every token replaced by its fragment (a block token loses its <p>)."""
        page_html = _BLOCK_PARAGRAPH.sub(lambda m: self.html.get(m.group(1), m.group(0)), page_html)
        return TOKEN.sub(lambda m: self.html.get(m.group(0), m.group(0)), page_html)

    def fill_text(self, page_json_text: str) -> str:
        """For a search index (JSON text): tokens become their fragment's text, JSON-escaped."""
        def text_of(match: re.Match) -> str:
            fragment = self.html.get(match.group(0))
            if fragment is None:
                return match.group(0)
            plain = html.unescape(re.sub(r"<[^>]*>", " ", fragment))
            return json.dumps(" ".join(plain.split()), ensure_ascii=False)[1:-1]
        return TOKEN.sub(text_of, page_json_text)

    def dumps(self) -> str:
        return json.dumps(self.html, ensure_ascii=False, sort_keys=True, indent=0)

    @classmethod
    def loads(cls, text: str) -> "Fragments":
        out = cls()
        out.html = {k: v for k, v in json.loads(text).items() if TOKEN.fullmatch(k) and isinstance(v, str)}
        return out
