"""The site's editions: English at the root, Korean under ``ko/``, from one configuration.

Each edition is a build of its own (how both engines set the interface language, ``<html lang>``
and the search language is per build), made from mkdocs.yml with a few settings replaced: the
interface language, the site name and the navigation titles from the edition's message catalogue,
the folder of its hand-written pages and the folder it is published in. Why a second build and not
the mkdocs-static-i18n plugin: Zensical runs no MkDocs plugins, so the same overlay serves both
engines, and record pages stay ``kb.site.render`` output for a language, with no plugin between.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from kb.site.messages import Messages

# language -> (folder inside the site, folder of its hand-written pages); the first is the root.
EDITIONS = {"en": ("", "docs"), "ko": ("ko/", "docs-ko")}
FIRST = "en"


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' !ENV and python-name tags; keep their values as plain data."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node))
_Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def _env(loader, node):
    """!ENV NAME or !ENV [NAME, ..., default], as MkDocs reads it (site_url: !ENV SITE_URL)."""
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    found = [os.environ[n] for n in names[:-1 if len(names) > 1 else None] if os.environ.get(n)]
    return found[0] if found else (names[-1] if len(names) > 1 else None)


_Loader.add_constructor("!ENV", _env)  # before the catch-all above: PyYAML tries exact tags first


def read_config(root: Path, name: str = "mkdocs.yml") -> dict:
    return yaml.load((root / name).read_text(encoding="utf-8"), Loader=_Loader)


def links(language: str, site_url: str = "") -> dict:
    """For the page templates (overrides/): each edition's folder and name, this one's language,
    the way up from this edition's root to the site's, and the site's root URL if one is set.
    Computed here because Zensical's templates have no Python string methods."""
    folder = EDITIONS[language][0]
    root_url = site_url[: len(site_url) - len(folder)] if site_url and folder and site_url.endswith(folder) else site_url
    return {"kb_language": language, "kb_first": FIRST,
            "kb_editions": {lang: {"folder": f, "name": Messages(lang).get("edition.name")} for lang, (f, _) in EDITIONS.items()},
            "kb_up": "../" * folder.count("/"),
            "kb_site_url": root_url or "",
            "kb_script_words": script_words(language),
            # A 404 page is served at any address, so its link home is absolute.
            "kb_not_found": {**Messages(language).get("not_found"), "home_url": (root_url or "/") + folder}}


def script_words(language: str) -> dict:
    """The words docs/assets/kb.js shows, flat: its sentences, the month names and date form, the
    event types and the chart's groups."""
    messages = Messages(language)
    return {**messages.get("script"), "months": messages.get("dates.months"), "month": messages.get("dates.month"),
            **{f"type.{k}": v for k, v in messages.get("event_type").items()},
            **{f"group.{k}": v for k, v in messages.get("chart_group").items()}}


def language_of(extra) -> str:
    return (extra or {}).get("kb_language", FIRST)


def _nav(items, titles: dict):
    """The navigation with its titles in the edition's words (paths unchanged)."""
    out = []
    for item in items or []:
        if isinstance(item, dict):
            out.append({titles.get(k, k): _nav(v, titles) if isinstance(v, list) else v for k, v in item.items()})
        else:
            out.append(item)
    return out


def settings(language: str, config: dict, site_url: str = "") -> dict:
    """What replaces mkdocs.yml's settings in ``language``'s edition (nothing for the first)."""
    if language == FIRST:
        return {}
    messages = Messages(language)
    folder, docs = EDITIONS[language]
    return {
        "site_name": messages.get("site_name"),
        "site_url": site_url.rstrip("/") + "/" + folder if site_url else None,
        "docs_dir": docs,
        "theme": {**config["theme"], "language": language},
        "nav": _nav(config.get("nav"), messages.get("nav")),
        "extra": {**(config.get("extra") or {}), "kb_language": language},
    }


def later() -> list[str]:
    """The editions built after the first, in order; KB_EDITIONS=en builds the first alone (a
    quicker preview, and the benchmark's comparison)."""
    wanted = os.environ.get("KB_EDITIONS", "").split(",") if os.environ.get("KB_EDITIONS") else list(EDITIONS)
    return [language for language in EDITIONS if language != FIRST and language in wanted]


SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def link_sitemaps(site: Path, site_url: str, epoch: int = 0) -> None:
    """With a site URL, each edition's sitemap.xml lists every page with its address in each
    edition (``xhtml:link rel="alternate" hreflang``, the form search engines read), so both
    editions are listed from either sitemap. Each sitemap keeps its own pages as ``<loc>``:
    Material's instant navigation takes those for pages of the same edition."""
    import gzip
    import io
    from xml.etree import ElementTree

    if not site_url:
        return
    root_url = site_url.rstrip("/") + "/"
    maps = {lang: site / folder / "sitemap.xml" for lang, (folder, _) in EDITIONS.items()}
    if not all(path.is_file() for path in maps.values()):
        return
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    trees = {lang: ElementTree.parse(path) for lang, path in maps.items()}

    def pages(lang: str) -> set[str]:
        prefix = root_url + EDITIONS[lang][0]
        return {loc.text[len(prefix):] for loc in trees[lang].iter(f"{{{SITEMAP_NS}}}loc") if loc.text and loc.text.startswith(prefix)}

    present = {lang: pages(lang) for lang in EDITIONS}
    for lang, tree in trees.items():
        prefix = root_url + EDITIONS[lang][0]
        for url in tree.getroot().findall(f"{{{SITEMAP_NS}}}url"):
            loc = url.find(f"{{{SITEMAP_NS}}}loc")
            if loc is None or not loc.text or not loc.text.startswith(prefix):
                continue
            path = loc.text[len(prefix):]
            for other, (folder, _) in EDITIONS.items():
                if path in present[other]:
                    ElementTree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=other, href=root_url + folder + path)
        out = io.BytesIO()
        tree.write(out, encoding="utf-8", xml_declaration=True)
        maps[lang].write_bytes(out.getvalue())
        gz = maps[lang].with_suffix(".xml.gz")
        with gzip.GzipFile(filename="", mode="wb", fileobj=(buffer := io.BytesIO()), mtime=epoch) as zipped:
            zipped.write(out.getvalue())
        gz.write_bytes(buffer.getvalue())
