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
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString, SingleQuotedScalarString

from kb import FOLDERS, KINDS
from kb.problems import Problem, report
from kb.validate import SCHEMA_DIR, inlined_schemas

WIDTH = 100  # for one-line lists
NO_WRAP = 1 << 16  # ruamel folds long plain scalars at its width; we never want that
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/{kind}.schema.json\n"
_KIND_OF_FOLDER = {folder: kind for kind, folder in FOLDERS.items()}


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


def data_files(root: Path, paths: list[str] | None = None) -> list[tuple[Path, str]]:
    """(file, kind) for the given paths, or for every record file under data/."""
    if paths:
        out = []
        for p in paths:
            file = (Path.cwd() / p).resolve()
            kind = _KIND_OF_FOLDER.get(file.parent.name)
            if kind and file.suffix == ".yaml":
                out.append((file, kind))
        return out
    return [(f, kind) for kind in KINDS for f in sorted((root / "data" / FOLDERS[kind]).glob("*.yaml"))]


def run(root: Path, paths: list[str] | None, check: bool, github: bool = False) -> int:
    problems, changed = [], []
    for file, kind in data_files(root, paths):
        rel = file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file)
        text = file.read_text(encoding="utf-8")
        try:
            canonical = format_text(text, kind, root)
        except YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problems.append(Problem(rel, line, col, f"cannot format: {getattr(error, 'problem', None) or error}"))
            continue
        if canonical != text:
            changed.append(rel)
            if check:
                problems.append(Problem(rel, 1, 1, "not in canonical form; run `python -m kb fmt` (or `make fmt`) to fix"))
            else:
                file.write_text(canonical, encoding="utf-8")
    report(problems, github)
    if not check and changed:
        print(f"reformatted {len(changed)} file(s)")
    return 1 if problems else 0
