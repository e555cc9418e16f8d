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


def links(language: str) -> dict:
    """For the page template: each edition's folder and name, and this one's language."""
    return {"kb_language": language,
            "kb_editions": {lang: {"folder": folder, "name": Messages(lang).get("edition.name")} for lang, (folder, _) in EDITIONS.items()},
            "kb_not_found": Messages(language).get("not_found")}


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
