"""Text from YAML is data: it can never put HTML or script into the site.

- ``md_escape``: plain text for the few places where the page's Markdown must see the text itself
  (headings, which feed the table of contents): every character that Markdown, its extensions or
  raw HTML could act on is escaped. Everywhere else data text goes in as a ``kb.site.fragments`` token.
- ``safe_url``: an http(s) URL made safe for a Markdown link, or None for any other scheme.
- ``markdown_html``: Markdown text fields (summaries, claims) rendered by a restricted Markdown
  instance: raw HTML is shown as text, images are dropped, links must be http(s).
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Characters that start Markdown syntax anywhere in a line: code, emphasis, links and images,
# attribute lists ('{ onclick=... }'), table cells, heading closers, strike-through. '<' and '&'
# become entities instead (Python-Markdown cannot backslash-escape '<').
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~])")
# Syntax that only counts at the start of a line: lists, block quotes, numbered lists.
_MD_LINE_START = re.compile(r"^([-+>]|\d+\.)")
_SCHEME_OK = re.compile(r"^https?://", re.IGNORECASE)


def md_escape(value) -> str:
    """Plain text -> Markdown that shows exactly that text."""
    text = " ".join(str(value).split())  # one line: a newline could start a block
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # '/' as an entity: the footnotes extension moves its list to any text holding
    # '///Footnotes Go Here///'.
    text = text.replace("/", "&#47;")
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def safe_url(url) -> str | None:
    """An http(s) URL with the characters that could end a Markdown link percent-encoded."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not _SCHEME_OK.match(url) or any(ord(c) < 33 for c in url):
        return None
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ('"', "%22"), ("'", "%27"), ("`", "%60"), ("\\", "%5C")):
        url = url.replace(char, code)
    return url


class _LinkGuard(Treeprocessor):
    """Drop images and any link whose target is not http(s); keep the link text."""

    def run(self, root: ElementTree.Element) -> None:
        for parent in root.iter():
            for child in list(parent):
                if child.tag == "img":
                    index = list(parent).index(child)
                    parent.remove(child)
                    # Keep the alt text and whatever followed the image.
                    _insert_text(parent, index, child.get("alt", "") + (child.tail or ""))
                elif child.tag == "a":
                    href = child.get("href", "")
                    if safe_url(href) is None:
                        child.tag = "span"
                        child.attrib.clear()
                    else:
                        child.set("href", href.strip())
                        child.set("rel", "nofollow noopener")


def _insert_text(parent: ElementTree.Element, index: int, text: str) -> None:
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        prev = list(parent)[index - 1]
        prev.tail = (prev.tail or "") + text


class _NoHtml(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Without these, Python-Markdown passes raw HTML through; with them removed it escapes it.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_LinkGuard(md), "kb_link_guard", 0)


_md = markdown.Markdown(extensions=[_NoHtml(), "sane_lists"], output_format="html")


# Text with none of these is one plain paragraph: skip the Markdown parser (most summaries).
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&#!|~=\n\t\r]|^\s*([-+>]|\d+[.)])\s|^ {4}|\s{2}$|https?://")


def markdown_html(value) -> Markup:
    """A Markdown text field -> an HTML fragment that is safe to put into a page."""
    text = str(value)
    start = text.lstrip()[:1]
    if start and (start.isalnum() or start in "\"'(") and not _MARKDOWN_SYNTAX.search(text):
        return Markup(f"<p>{text.lstrip()}</p>")  # as Markdown does: leading space goes, trailing stays
    _md.reset()
    return Markup(_md.convert(text))


def plain_text(value, limit: int) -> str:
    """A Markdown text field as one line of plain text of at most ``limit`` characters (for a page's
    description tags): the rendered HTML's text, cut at a word with an ellipsis."""
    text = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", markdown_html(value))).split()) if value else ""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
