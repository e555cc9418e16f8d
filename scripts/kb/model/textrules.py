"""Rules for every piece of text in a record: what an untrusted editor could hide in a value.

Checked for every string in a record (field values, list items and mapping keys), each problem
located at the value:

1. Characters. Control characters (C0, DEL, C1: an ESC in a value can rewrite a terminal line, and
   XML cannot carry them) are refused; a newline only in Markdown fields, a tab nowhere. Bidi
   controls (they make text display in another order than it is stored: a title can read
   backwards) and Unicode noncharacters and lone surrogates (not characters at all: they make
   feed.xml ill-formed) are refused everywhere. Zero-width and other invisible characters are
   refused outside Markdown fields: in an id, a name, a title or a label they make a value that
   looks like another one ('Lee Jae\\u200d-myung') but is not.
2. The reserved word ``kbfrag``: the build marks its own placeholders with it, so no value may hold it.
3. Markdown fields: limits that keep Python-Markdown fast and shallow (its link parser is quadratic
   in brackets, and deeply nested lists exhaust the recursion limit). See ``MARKDOWN_LIMITS``.

Which fields are Markdown is read from the schema: ``"contentMediaType": "text/markdown"``.
"""

from __future__ import annotations

import re
import unicodedata

from kb.model.load import Record
from kb.model.problems import Problem, format_path

RESERVED_WORD = "kbfrag"
_RESERVED = re.compile(RESERVED_WORD, re.IGNORECASE)

# C0 controls have no name in unicodedata: these are their names in the Unicode name aliases.
C0_NAMES = [
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY", "ACKNOWLEDGE",
    "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN",
    "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL",
    "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE",
    "INFORMATION SEPARATOR TWO", "INFORMATION SEPARATOR ONE",
]
OTHER_CONTROL_NAMES = {0x7F: "DELETE", 0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER"}

# Bidi controls: embeddings, overrides, isolates and marks. They reorder how text is shown.
BIDI = {
    0x061C: "ARABIC LETTER MARK", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
    0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING", 0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
}
# Invisible characters: zero width, or blank although they are letters (the Hangul fillers, which
# make a Korean name look empty or padded). Refused outside Markdown fields.
INVISIBLE = {
    0x00AD: "SOFT HYPHEN", 0x034F: "COMBINING GRAPHEME JOINER", 0x115F: "HANGUL CHOSEONG FILLER",
    0x1160: "HANGUL JUNGSEONG FILLER", 0x180E: "MONGOLIAN VOWEL SEPARATOR", 0x200B: "ZERO WIDTH SPACE",
    0x200C: "ZERO WIDTH NON-JOINER", 0x200D: "ZERO WIDTH JOINER", 0x2060: "WORD JOINER",
    0x2061: "FUNCTION APPLICATION", 0x2062: "INVISIBLE TIMES", 0x2063: "INVISIBLE SEPARATOR", 0x2064: "INVISIBLE PLUS",
    0x3164: "HANGUL FILLER", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE", 0xFFA0: "HALFWIDTH HANGUL FILLER",
}
# Line breaks that are not '\n': Python, JavaScript and some terminals break lines on them.
LINE_BREAKS = {0x2028: "LINE SEPARATOR", 0x2029: "PARAGRAPH SEPARATOR"}

ADVICE = {
    "control": "a control character is not text (in a terminal it can rewrite what is shown, and XML cannot hold it); delete it",
    "newline": "this field is one line; join the lines (only Markdown fields such as summaries may hold several)",
    "tab": "use a space instead",
    "line-break": "a line break that some programs show and others do not; use a plain newline in Markdown fields, or one line elsewhere",
    "bidi": "it changes the direction in which text is shown, so the value can read differently from what it holds; delete it",
    "invisible": "it is invisible, so the value looks like, but is not, the same text typed plainly; delete it",
    "noncharacter": "it is not a character (it makes the feed unreadable); delete it",
    "surrogate": "it is half of a character pair, not a character; retype the text",
}

# Everything any rule could refuse, in one class: most values hold none, and the search is fast.
_SUSPECT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2060-\u206f\u3164\ufeff\uffa0\ufdd0-\ufdef\ufff9-\uffff\ud800-\udfff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "\U000e0000-\U000e007f]"
)


def is_noncharacter(code: int) -> bool:
    """U+FDD0..U+FDEF and the last two code points of every plane (U+FFFE, U+1FFFF, ...)."""
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def char_name(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE', for messages."""
    code = ord(char)
    if code < 0x20:
        name = C0_NAMES[code]
    elif code in OTHER_CONTROL_NAMES:
        name = OTHER_CONTROL_NAMES[code]
    elif 0x80 <= code <= 0x9F:
        name = "C1 CONTROL"
    elif 0xD800 <= code <= 0xDFFF:
        name = "SURROGATE"
    elif is_noncharacter(code):
        name = "NONCHARACTER"
    else:
        name = BIDI.get(code) or INVISIBLE.get(code) or LINE_BREAKS.get(code) or unicodedata.name(char, "UNNAMED")
    return f"U+{code:04X} {name}"


def char_class(char: str, markdown: bool) -> str | None:
    """Why the character is refused in this field ('bidi', 'control', ...), or None when it is fine."""
    code = ord(char)
    if char == "\n":
        return None if markdown else "newline"
    if char == "\t":
        return "tab"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "control"
    if 0xD800 <= code <= 0xDFFF:
        return "surrogate"
    if is_noncharacter(code):
        return "noncharacter"
    if code in BIDI:
        return "bidi"
    if code in LINE_BREAKS:
        return "line-break"
    if markdown:
        return None
    if code in INVISIBLE or unicodedata.category(char) == "Cf":  # Cf: the other invisible format characters
        return "invisible"
    return None


def character_problem(value: str, markdown: bool) -> str | None:
    """What is wrong with the characters of one value (the first bad one, and how many), or None."""
    bad = [(m.start(), m.group(), kind) for m in _SUSPECT.finditer(value) if (kind := char_class(m.group(), markdown))]
    if not bad:
        return None
    index, char, kind = bad[0]
    more = f" (and {len(bad) - 1} more such character{'s' if len(bad) > 2 else ''})" if len(bad) > 1 else ""
    return f"holds {char_name(char)} at character {index + 1}{more}: {ADVICE[kind]}"


# Markdown fields: limits far above what the real data uses (no Markdown field holds a bracket,
# a newline or a run of two emphasis characters today) and low enough that Python-Markdown renders
# a field at the limit in milliseconds.
MAX_DEPTH = 6  # nesting of lists and block quotes: 500 levels exhaust Python's recursion limit
MAX_BRACKETS = 20  # of '[' and of ']' each: the link parser scans the rest of the text for every '['
MAX_EMPHASIS_RUN = 3  # '***' is bold italic; longer runs of '*', '_' or '~' mean nothing
MAX_BACKTICK_RUN = 3  # '```' is the longest code fence anyone needs
_MARKERS = re.compile(r"(?:[ ]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ ]|$)))+")
_RUNS = re.compile(r"\*{%d,}|_{%d,}|~{%d,}|`{%d,}" % (MAX_EMPHASIS_RUN + 1, MAX_EMPHASIS_RUN + 1, MAX_EMPHASIS_RUN + 1,
                                                   MAX_BACKTICK_RUN + 1))


def _depth(line: str) -> int:
    """How deeply a line nests: four spaces of indentation or one list or quote marker per level."""
    indent = len(line) - len(line.lstrip(" "))
    markers = _MARKERS.match(line, indent)
    count = len(re.findall(r">|[-+*]|\d+[.)]", markers.group())) if markers else 0
    return indent // 4 + count


def markdown_problem(value: str) -> str | None:
    """Why a Markdown field would be slow or deep to render, or None."""
    depth = max(_depth(line) for line in value.split("\n"))
    if depth > MAX_DEPTH:
        return (f"nests lists or quotes {depth} levels deep (at most {MAX_DEPTH}); "
                "flatten the list, or escape a leading '-', '*', '+' or '>' with a backslash if it is not a list")
    for bracket in "[]":
        n = value.count(bracket)
        if n > MAX_BRACKETS:
            return f"holds {n} '{bracket}' (at most {MAX_BRACKETS} in one field); keep links few, and write brackets that are not links as ( )"
    run = _RUNS.search(value)
    if run:
        limit = MAX_BACKTICK_RUN if run.group()[0] == "`" else MAX_EMPHASIS_RUN
        return (f"holds a run of {len(run.group())} '{run.group()[0]}' at character {run.start() + 1} (at most {limit}); "
                "shorten it, or write the characters apart")
    return None


# Longer values are not scanned: every string field allows at most 4,000 characters, so the schema
# already refuses them, and unknown fields (keys) are refused whatever their length.
MAX_SCANNED = 10_000


def schema_at(schema: dict, path: tuple) -> dict:
    """The (inlined) schema that describes the value at a path; {} where the schema says nothing."""
    for part in path:
        if not isinstance(schema, dict):
            return {}
        if isinstance(part, int):
            schema = schema.get("items", {})
        else:
            schema = schema.get("properties", {}).get(part, {})
    return schema if isinstance(schema, dict) else {}


def is_markdown(schema: dict, path: tuple) -> bool:
    return schema_at(schema, path).get("contentMediaType") == "text/markdown"


def strings(data, path: tuple = ()):
    """(path, text, is_key) for every string in a record: values, list items and mapping keys."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield path + (key,), key, True
            yield from strings(value, path + (key,))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from strings(item, path + (i,))
    elif isinstance(data, str):
        yield path, data, False


def check(record: Record, schema: dict) -> list[Problem]:
    """Every text problem in a record, located at the value (or the key) it is in."""
    out = []
    for path, text, is_key in strings(record.data):
        if len(text) > MAX_SCANNED:
            continue  # refused by the schema's maxLength; scanning 50 MB here would take seconds
        where = format_path(path)
        what = f"{where}: the field name" if is_key else f"{where}:"
        markdown = not is_key and is_markdown(schema, path)
        problem = character_problem(text, markdown)
        if problem:
            out.append(record.problem(path, f"{what} {problem}", key=is_key))
        if _RESERVED.search(text):
            out.append(record.problem(path, f"{what} holds '{RESERVED_WORD}', a word the build reserves to mark its own placeholders; reword it", key=is_key))
        if markdown:
            problem = markdown_problem(text)
            if problem:
                out.append(record.problem(path, f"{what} {problem}"))
    return out
