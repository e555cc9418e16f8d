"""The text rules (kb.model.textrules), message escaping (kb.model.problems) and the schema limits."""

from __future__ import annotations

import time

import pytest

from kb.model import textrules
from kb.model.load import Record
from kb.model.problems import Problem, did_you_mean, quote
from kb.site.text import markdown_html
from kb.model.validate import SCHEMA_PATH, inlined_schemas, validators

SCHEMAS = inlined_schemas(SCHEMA_PATH)


def problems(kind, data):
    record = Record(kind=kind, id=data.get("id", "x"), path=f"data/{kind}/x.yaml", data=data)
    return [p.message for p in textrules.check(record, SCHEMAS[kind])]


@pytest.mark.parametrize("char, name", [
    ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"), ("\u200f", "U+200F RIGHT-TO-LEFT MARK"),
    ("\u061c", "U+061C ARABIC LETTER MARK"), ("\x1b", "U+001B ESCAPE"), ("\x00", "U+0000 NULL"), ("\x7f", "U+007F DELETE"),
    ("\x9b", "U+009B CONTROL SEQUENCE INTRODUCER"), ("\ufffe", "U+FFFE NONCHARACTER"), ("\ufdd0", "U+FDD0 NONCHARACTER"),
    ("\U0010ffff", "U+10FFFF NONCHARACTER"), ("\ud800", "U+D800 SURROGATE"), ("\t", "U+0009 CHARACTER TABULATION"),
    ("\u2028", "U+2028 LINE SEPARATOR"),
])
def test_refused_everywhere_even_in_markdown(char, name):
    for field in ("title", "summary"):
        messages = problems("event", {"id": "x", field: f"Text {char}here"})
        assert len(messages) == 1 and messages[0].startswith(f"{field}: holds {name} at character 6")


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e", "\u3164", "\u00ad"])
def test_invisible_characters_refused_outside_markdown(char):
    assert problems("actor", {"name": f"Lee Jae{char}-myung"})[0].startswith("name: holds U+")
    assert problems("actor", {"aliases": [f"a{char}"]})[0].startswith("aliases[0]: holds U+")
    assert problems("actor", {"links": [{"label": f"a{char}", "url": "https://a.example.com/"}]})[0].startswith("links[0].label: holds")
    assert problems("actor", {"summary": f"a{char}b"}) == []


def test_newline_only_in_markdown_fields():
    assert problems("event", {"summary": "One.\n\nTwo.", "notes": [{"text": "a\nb"}]}) == []
    assert problems("analysis", {"claims": [{"claim": "a\nb"}], "ko": {"summary": "가\n나"}}) == []
    assert "this field is one line" in problems("event", {"title": "a\nb"})[0]
    assert "this field is one line" in problems("source", {"note": "a\nb"})[0]


def test_mapping_keys_are_checked_and_located_at_the_key():
    record = Record(kind="event", id="x", path="data/events/x.yaml", data={"ti\u202etle": "x"},
                    positions={(): (1, 1), ("ti\u202etle",): (3, 9)}, key_positions={("ti\u202etle",): (3, 1)})
    [problem] = textrules.check(record, SCHEMAS["event"])
    assert (problem.line, problem.column) == (3, 1) and "the field name holds U+202E" in problem.message


def test_reserved_word_in_any_case():
    assert "reserves" in problems("event", {"summary": "x KBFRAG1 y"})[0]
    assert "reserves" in problems("event", {"tags": ["kbfrag"]})[0]
    assert problems("event", {"summary": "kb frag"}) == []


@pytest.mark.parametrize("text, word", [
    ("- " * 7 + "x", "7 levels"), ("> " * 7 + "x", "7 levels"), (">>>>>>> x", "7 levels"), ("1. " * 7 + "x", "7 levels"),
    ("\n".join("    " * i + "- x" for i in range(8)), "8 levels"), ("[" * 21, "21 '['"), ("]" * 21, "21 ']'"),
    ("a ****", "run of 4 '*'"), ("a ____", "run of 4 '_'"), ("a ~~~~", "run of 4 '~'"), ("a ````", "run of 4 '`'"),
])
def test_markdown_limits(text, word):
    assert word in problems("event", {"summary": text})[0]


def test_markdown_at_the_limits_passes_and_renders_in_milliseconds():
    at_limit = [
        "- " * 6 + "x", "> " * 6 + "x", "\n".join("    " * i + "- x" for i in range(6)),
        ("[a " * 20 + "] " * 20 + "x " * 2000)[:4000], ("[a](https://a.example.com/) " * 20)[:4000],
        ("***a*** " * 600)[:4000], ("```a ``` " * 500)[:4000], ("~~~a " * 900)[:4000], ("_a_ " * 1000)[:4000],
    ]
    for text in at_limit:
        assert problems("event", {"summary": text}) == [], text[:40]
        start = time.perf_counter()
        markdown_html(text)
        assert time.perf_counter() - start < 0.5, text[:40]  # measured: under 60 ms each on a shared machine


def test_every_string_field_has_a_max_length_and_every_list_max_items():
    bounded_by_pattern = {"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", "^[a-z]{2,3}$", "^[0-9a-f]{12}$", "^([A-Z]{2}|international)$", "^[A-Z]{2}$"}
    missing = []

    def visit(schema, where):
        if isinstance(schema, dict):
            types = schema.get("type", [])
            types = types if isinstance(types, list) else [types]
            if "string" in types and "maxLength" not in schema and schema.get("pattern") not in bounded_by_pattern:
                missing.append(where)
            if "array" in types and "maxItems" not in schema:
                missing.append(where)
            for key, value in schema.items():
                visit(value, f"{where}.{key}")
        elif isinstance(schema, list):
            for i, value in enumerate(schema):
                visit(value, f"{where}[{i}]")

    for kind, schema in SCHEMAS.items():
        visit(schema, kind)
    assert missing == []


def test_patterns_match_the_whole_value():
    validator = validators(SCHEMA_PATH)["event"]
    errors = [e.validator for e in validator.iter_errors({"tags": ["border\n"]})]
    assert "pattern" in errors
    assert "pattern" not in [e.validator for e in validator.iter_errors({"tags": ["border"]})]


def test_messages_and_paths_escape_what_could_forge_a_log_line():
    problem = Problem("data/events/a\n::stop-commands::x.yaml", 1, 2, "bad \x1b[2K\x1b[1A value \u202eok\u200b")
    for line in (str(problem), problem.github()):
        assert "\n" not in line and "\x1b" not in line and "\u202e" not in line and "\u200b" not in line
    assert str(problem).startswith("data/events/a\\n::stop-commands::x.yaml:1:2: bad \\x1b[2K\\x1b[1A value \\u202eok\\u200b")
    assert problem.github().startswith("::error file=data/events/a\\n%3A%3Astop-commands%3A%3Ax.yaml,line=1,col=2::bad \\x1b")
    assert str(Problem("data/a.yaml", 1, 1, "이재명 “quoted”")) == "data/a.yaml:1:1: 이재명 “quoted”"


def test_quotes_are_cut_and_did_you_mean_skips_long_words():
    assert quote("x" * 1000) == "x" * 79 + "…" and quote("short") == "short"
    assert did_you_mean("sumit", ["summit"]) == " (did you mean 'summit'?)"
    start = time.perf_counter()
    assert did_you_mean("summit" + "a" * 1_000_000, ["summit"]) == ""
    assert time.perf_counter() - start < 0.1
    assert len(Problem("p", 1, 1, "m" * 10_000_000).message) <= 2000
