"""A problem found in the data, printed as one line: ``path:line:column: message``."""

from __future__ import annotations

import difflib
import sys
import unicodedata
from dataclasses import dataclass


MAX_MESSAGE = 2000  # characters: no message the rules write is longer


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __post_init__(self) -> None:
        # One problem, one line, shown as it is stored: a value or a file name quoted from the data
        # may hold a newline (which would start a forged '::error' or '::stop-commands::' line for
        # the Actions runner), an ESC (which rewrites the terminal line), or bidi controls.
        # Messages quote values cut short (``quote``); the cap is the last guard against a huge one.
        message = self.message.strip(" ")  # a quoted key may start with a space: the line still reads 'path:l:c: text'
        message = message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"
        object.__setattr__(self, "path", visible(self.path))
        object.__setattr__(self, "message", visible(message))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions annotation, shown on the line in the pull request's diff."""
        def prop(text: str) -> str:
            return _escape(text).replace(":", "%3A").replace(",", "%2C")

        return f"::error file={prop(self.path)},line={self.line},col={self.column}::{_escape(self.message)}"


# Characters shown as escapes (\x1b, \n, \u202e) in messages: controls, line and paragraph
# separators, format characters (bidi controls, zero-width characters), surrogates, private-use
# and unassigned code points (noncharacters among them), every space but the plain one, and the
# Hangul fillers (letters that show as blank).
_SHOWN_ESCAPED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0"}
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
MAX_QUOTE = 80  # characters of a value quoted in a message


def _shown(char: str) -> str:
    if char == " " or (char not in _BLANK_LETTERS and unicodedata.category(char) not in _SHOWN_ESCAPED):
        return char
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """The text with every invisible or line-breaking character written as an escape."""
    if text.isprintable() and not _BLANK_LETTERS.intersection(text):
        return text  # the usual case; isprintable() is False for all of _SHOWN_ESCAPED except ' '
    return "".join(_shown(c) for c in text)


def quote(value, limit: int = MAX_QUOTE) -> str:
    """A value for a message: as text, cut to about ``limit`` characters with '…'."""
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def report(problems, github: bool = False, stream=None) -> None:
    """Every problem on its own line (stderr); with ``github``, also as annotations on stdout."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)
        if github:
            print(problem.github())


MAX_SUGGEST = 64


def did_you_mean(word: str, candidates) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close. Only for words of
    up to 64 characters: difflib is quadratic, and no id or field name is that long."""
    if not isinstance(word, str) or len(word) > MAX_SUGGEST:
        return ""
    close = difflib.get_close_matches(word, [c for c in candidates if len(c) <= MAX_SUGGEST], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def format_path(path: tuple) -> str:
    """('actors', 1, 'actor') -> 'actors[1].actor'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
