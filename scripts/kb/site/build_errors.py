"""The problems of a saved edit, shown in the browser while `make serve` keeps the last good pages.

Under `mkdocs serve` a broken edit must not go unnoticed in the terminal: the hook keeps building
the pages from the last data that passed validation and puts this banner at the top of every page
until the next good save. Every message is escaped: it quotes values from the data.
"""

from __future__ import annotations

import html

from kb.model.problems import Problem

SHOWN = 50  # messages listed; the rest are counted (all of them are in the terminal)


def banner(problems: list[Problem]) -> str:
    """An admonition in the site's style, naming each problem as ``path:line:column: message``."""
    noun = "problem" if len(problems) == 1 else "problems"
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems[:SHOWN])
    more = f"<li>and {len(problems) - SHOWN} more (see the terminal)</li>" if len(problems) > SHOWN else ""
    return (f'<div class="admonition failure kb-build-errors" role="alert">'
            f'<p class="admonition-title">The last saved edit was not built: {len(problems)} {noun} in data/</p>'
            f"<p>These pages show the data as it was before that edit. Fix the lines below and save again.</p>"
            f"<ul>{items}{more}</ul></div>\n")
