"""The words of one edition: ``messages/<language>.yaml``, one catalogue per language.

Templates never hold their own labels or sentences; they ask the catalogue (``t("event.actors")``),
so the Korean edition is the same templates with ``ko.yaml``. Catalogue text is the maintainers'
trusted Markdown; values put into it come from the data and are escaped by the caller (render's
``t`` turns them into fragments first).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from kb.model.dates import PartialDate

FOLDER = Path(__file__).parent / "messages"
LANGUAGES = ("en", "ko")  # the editions, the first one at the site root


class Messages:
    def __init__(self, language: str):
        self.language = language
        self.tree = _load(language)

    def get(self, key: str):
        """The catalogue entry at a dotted key ('status.in-effect'); a missing key is a KeyError,
        so a template asking for a word the catalogue lacks fails the build, not the reader."""
        node = self.tree
        for part in key.split("."):
            node = node[part]
        return node

    def word(self, section: str, value) -> str | None:
        """A data value's label ('event_type', 'weapons-test'), or None if the catalogue has none."""
        return self.tree.get(section, {}).get(value) if isinstance(value, str) else None

    def date(self, date: PartialDate) -> str:
        forms = self.tree["dates"]
        month_name = forms["months"][date.month - 1] if date.month else ""
        form = forms[date.precision]
        return form.format(year=date.year, month=date.month, day=date.day, month_name=month_name)


@lru_cache(maxsize=None)
def _load(language: str) -> dict:
    return yaml.safe_load((FOLDER / f"{language}.yaml").read_text(encoding="utf-8"))
