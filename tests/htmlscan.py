"""Parse built HTML into what a browser would act on: elements, attributes, script bodies."""

from __future__ import annotations

from html.parser import HTMLParser


class Scan(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []  # bodies of scripts a browser would run (not JSON data blocks)
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        kind = dict(attrs).get("type") or ""
        self._in_script = tag == "script" and "json" not in kind
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def links(self) -> list[str]:
        return [attrs["href"] for tag, attrs in self.tags if tag == "a" and "href" in attrs]

    def event_handlers(self) -> list[tuple[str, str]]:
        return [(tag, name) for tag, attrs in self.tags for name in attrs if name.startswith("on")]

    def unsafe_urls(self) -> list[str]:
        out = []
        for _, attrs in self.tags:
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                value = attrs.get(name, "").strip().lower()
                if value.startswith(("javascript:", "data:", "vbscript:")):
                    out.append(value)
        return out
