"""The site's editions: English at the root, Korean under ``ko/``, from one configuration.

Each edition is a build of its own (how both engines set the interface language, ``<html lang>``
and the search language is per build), made from mkdocs.yml with a few settings replaced: the
interface language, the site name and the navigation titles from the edition's message catalogue,
the folder of its hand-written pages and the folder it is published in. Why a second build and not
the mkdocs-static-i18n plugin: Zensical runs no MkDocs plugins, so the same overlay serves both
engines, and record pages stay ``kb.site.render`` output for a language, with no plugin between.
"""

from __future__ import annotations

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


def read_config(root: Path) -> dict:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)


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
            # A 404 page is served at any address, so its link home is absolute.
            "kb_not_found": {**Messages(language).get("not_found"), "home_url": (root_url or "/") + folder}}


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
    """The editions built after the first, in order."""
    return [language for language in EDITIONS if language != FIRST]
