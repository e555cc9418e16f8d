"""One canonical form for data files, keeping comments: ``python -m kb fmt [--check] [FILES]``.

- the schema line first (``# yaml-language-server: $schema=../schemas/<kind>.schema.json``);
- keys in the order the JSON Schema lists them, at every level;
- dates as quoted strings (``'2025-06'``), so YAML never turns them into timestamps;
- lists of plain values on one line (``[a, b]``) when that fits, else, like lists of mappings, as blocks;
- each text value on one line, however long (clean diffs, no trailing spaces from folding);
  multi-paragraph text as a literal block;
- two-space indentation, a single newline at the end.

Uses ruamel.yaml, the one YAML library that round-trips comments; the build itself reads YAML
with PyYAML's C loader.
"""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

import yaml as pyyaml

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from kb.model import discover
from kb.model.load import _syntax_problem, limit_problem
from kb.model.problems import Problem, report
from kb.model.schemas import SCHEMA_DIR, SchemaProblems, inlined_schemas

WIDTH = 100  # for one-line lists
NO_WRAP = 1 << 16  # ruamel folds long plain scalars at its width; we never want that
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = NO_WRAP
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = False
    return yaml


def _is_date(spec: dict) -> bool:
    return spec.get("format") == "partial-date"


def _scalar_list_fits(indent: int, key: str, items: list) -> bool:
    return indent + len(key) + 4 + sum(len(str(i)) + 2 for i in items) <= WIDTH


def _canonical(value, spec: dict, indent: int = 0, key: str = ""):
    """``spec`` is the part of the (inlined) schema that describes ``value``."""
    if _is_date(spec) and isinstance(value, (str, int, datetime.date)):
        return SingleQuotedScalarString(value.isoformat() if isinstance(value, datetime.date) else str(value))
    if isinstance(value, CommentedMap):
        properties = spec.get("properties", {})
        order = [k for k in properties if k in value] + [k for k in value if k not in properties]
        out = CommentedMap()
        for k in order:
            out[k] = _canonical(value[k], properties.get(k, {}), indent + 2, k)
            if k in value.ca.items:
                out.ca.items[k] = value.ca.items[k]
        out.ca.comment = value.ca.comment
        return out
    if isinstance(value, CommentedSeq):
        items_spec = spec.get("items", {})
        out = CommentedSeq(_canonical(v, items_spec, indent + 4) for v in value)
        for i in range(len(value)):
            if i in value.ca.items:
                out.ca.items[i] = value.ca.items[i]
        out.ca.comment = value.ca.comment
        scalars = all(isinstance(v, (str, int, float, bool)) and "\n" not in str(v) for v in out)
        commented = bool(value.ca.items) or bool(value.ca.comment)  # comments need block style
        if scalars and not commented and _scalar_list_fits(indent, key, list(out)):
            out.fa.set_flow_style()
        else:
            out.fa.set_block_style()
        return out
    if isinstance(value, str):
        text = str(value)
        if "\n" in text.strip("\n"):
            return LiteralScalarString(text)
        return text.strip("\n") if text.endswith("\n") and type(value) is not str else text
    return value


def format_text(text: str, kind: str, root: Path) -> str:
    """The canonical form of one data file's text; raises YAMLError when it is not valid YAML."""
    yaml = _yaml()
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# yaml-language-server:"):
        lines = lines[1:]
    data = yaml.load("".join(lines))
    if not isinstance(data, CommentedMap):
        raise YAMLError("a record must be a mapping of fields")
    data = _canonical(data, inlined_schemas(root / SCHEMA_DIR)[kind])
    out = io.StringIO()
    yaml.dump(data, out)
    return SCHEMA_LINE.format(kind=kind) + out.getvalue().rstrip("\n") + "\n"


def data_files(root: Path, paths: list[str] | None = None) -> tuple[list[discover.DataFile], list[Problem]]:
    """The record files (the same list as ``kb check``'s, from ``kb.model.discover``), or those of them given
    as paths, and the problems of refused entries. Paths are compared without following links."""
    files, problems = discover.data_files(root)
    files = [f for f in files if f.kind != "coverage"]
    if paths:
        wanted = {os.path.abspath(p) for p in paths}
        files = [f for f in files if os.path.abspath(f.path) in wanted]
        problems = [p for p in problems if os.path.abspath(root / p.path) in wanted]
    return files, problems


def checked_text(file: discover.DataFile) -> str:
    """The file's text once it is within every limit ``kb check`` applies (size, UTF-8, anchors,
    depth, valid YAML for libyaml) so that ruamel.yaml, which recurses, never sees worse input.
    Raises discover.Unreadable."""
    text = discover.read_text(file.path, file.rel)
    try:
        problem = limit_problem(text, file.rel)
    except pyyaml.YAMLError as error:
        problem = _syntax_problem(file.rel, text, error)
    if problem:
        raise discover.Unreadable(problem)
    return text


def run(root: Path, paths: list[str] | None, check: bool, github: bool = False) -> int:
    files, problems = data_files(root, paths)
    try:
        inlined_schemas(root / SCHEMA_DIR)
    except SchemaProblems as error:
        files, problems = [], problems + error.problems
    changed = []
    for file in files:
        rel = file.rel
        try:
            text = checked_text(file)
            canonical = format_text(text, file.kind, root)
        except discover.Unreadable as error:
            problems.append(error.problem)
            continue
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problems.append(Problem(rel, line, col, f"cannot format: {getattr(error, 'problem', None) or error}"))
            continue
        except RecursionError:
            problems.append(Problem(rel, 1, 1, "cannot format: YAML is nested too deeply"))
            continue
        if canonical != text:
            changed.append(rel)
            if check:
                problems.append(Problem(rel, 1, 1, "not in canonical form; run `python -m kb fmt` (or `make fmt`) to fix"))
            else:
                try:
                    discover.write_text(file.path, canonical, rel)
                except discover.Unreadable as error:
                    problems.append(error.problem)
    report(sorted(problems), github)
    if not check and changed:
        print(f"reformatted {len(changed)} file(s)")
    return 1 if problems else 0
