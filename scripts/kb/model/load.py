"""Read the YAML data into records that remember where every value came from.

PyYAML's C loader (libyaml) composes the node tree; we build plain Python values from the nodes
ourselves so that each value keeps its line and column, duplicate keys are caught (PyYAML would
silently keep the last one), and dates stay the strings the editor wrote instead of becoming
``datetime.date`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb import KINDS
from kb.model import discover
from kb.model.problems import Problem

# libyaml is about ten times faster; fall back to the pure-Python composer where it is missing.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scalars = yaml.constructor.SafeConstructor()

Position = tuple[int, int]  # (line, column), both 1-based

# Data files need neither anchors nor deep nesting; both are refused on the event stream, before
# any node is composed or value built: a 1 KB alias bomb would otherwise expand to gigabytes, and
# deep nesting would exhaust the recursion of everything that walks the values.
MAX_DEPTH = 24  # the real data nests at most 6 levels
ANCHORS = "YAML anchors and aliases ('&name', '*name') are not allowed in data files; write the value out"
TOO_DEEP = f"YAML is nested more than {MAX_DEPTH} levels deep; data files need far fewer: flatten it"


def article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


@dataclass
class Record:
    kind: str
    id: str  # taken from the file name; validate checks that the 'id' field agrees
    path: str  # relative to the project root, forward slashes
    data: dict
    # Where each value starts, by its path inside the record: ('roles', 0, 'start') -> (12, 12).
    positions: dict[tuple, Position] = field(default_factory=dict, repr=False)
    # Where each mapping key starts, for messages about the key itself (unknown field).
    key_positions: dict[tuple, Position] = field(default_factory=dict, repr=False)

    def where(self, path: tuple = (), key: bool = False) -> Position:
        """Closest known position for a path, walking up to the parent when needed."""
        table = self.key_positions if key else self.positions
        while path:
            if path in table:
                return table[path]
            if key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: tuple, message: str, key: bool = False) -> Problem:
        line, column = self.where(path, key)
        return Problem(self.path, line, column, message)


@dataclass
class Dataset:
    records: dict[str, dict[str, Record]]  # kind -> id -> record
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)  # set by validation: shown, never fatal
    coverage: Record | None = None  # data/coverage.yaml: how far the editors' review reaches

    def get(self, kind: str, record_id) -> Record | None:
        """The record, or None; an id of the wrong type (a list where a word belongs) finds nothing."""
        return self.records[kind].get(record_id) if isinstance(record_id, str) else None

    def all(self):
        for kind in KINDS:
            yield from self.records[kind].values()


class _Reader:
    def __init__(self, record: Record, problems: list[Problem]):
        self.record = record
        self.problems = problems

    def _pos(self, node) -> Position:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def value(self, node, path: tuple):
        self.record.positions[path] = self._pos(node)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = self._pos(key_node)
                    self.problems.append(Problem(self.record.path, line, col, "a key must be a plain word, not a list or mapping"))
                    continue
                key = key_node.value
                if key == "<<":
                    line, col = self._pos(key_node)
                    self.problems.append(Problem(self.record.path, line, col, "merge keys ('<<') are not supported; write the fields out"))
                    continue
                if key in out:
                    line, col = self._pos(key_node)
                    first = self.record.key_positions[path + (key,)][0]
                    self.problems.append(Problem(self.record.path, line, col, f"duplicate key '{key}' (first given on line {first}); keep one"))
                    continue
                self.record.key_positions[path + (key,)] = self._pos(key_node)
                out[key] = self.value(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, path + (i,)) for i, item in enumerate(node.value)]
        # Scalars: keep timestamps as written ('2025-06-11'); everything else as YAML 1.1 core types.
        if node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        if node.tag.startswith("tag:yaml.org,2002:") and node.tag.rsplit(":", 1)[1] in {"null", "bool", "int", "float", "str"}:
            return _scalars.construct_object(node)
        line, col = self._pos(node)
        self.problems.append(Problem(self.record.path, line, col, f"unsupported YAML tag '{node.tag}'; remove it and write a plain value"))
        return node.value if isinstance(node, yaml.ScalarNode) else None


def _syntax_problem(path: str, text: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (getattr(error, "problem", None) or str(error)).split("\n")[0]  # libyaml adds a position line
    lines = text.splitlines()
    at = lines[line - 1][col - 1 : col] if line <= len(lines) else ""
    if "maximum nesting depth" in problem:  # libyaml's own limit (1000), met while looking ahead in '[[[['
        return Problem(path, line, col, TOO_DEEP)
    if at == "\t" or "'\\t'" in problem:  # libyaml does not name the character; look at it
        message = "YAML syntax error: a tab character is not allowed here; indent with spaces"
    else:
        message = f"YAML syntax error: {problem}"
        context = getattr(error, "context", None)
        if context:
            message += f" ({context})"
    return Problem(path, line, col, message)


def limit_problem(text: str, rel: str) -> Problem | None:
    """The first anchor, alias or too-deep nesting in the text, found by libyaml's parser (no recursion,
    stops at the first offence); None when there is none. Raises yaml.YAMLError on a syntax error."""
    depth = 0
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            return Problem(rel, event.start_mark.line + 1, event.start_mark.column + 1, ANCHORS)
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(rel, event.start_mark.line + 1, event.start_mark.column + 1, TOO_DEEP)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def read_file(file: Path, kind: str, rel: str, problems: list[Problem]) -> Record | None:
    """Read one data file; append problems and return None when it cannot be read as a record."""
    record = Record(kind=kind, id=file.stem, path=rel, data={})
    try:
        text = discover.read_text(file, rel)
    except discover.Unreadable as error:
        problems.append(error.problem)
        return None
    try:
        limit = limit_problem(text, rel)
        if limit:
            problems.append(limit)
            return None
        nodes = list(yaml.compose_all(text, Loader=Loader))
    except yaml.YAMLError as error:
        problems.append(_syntax_problem(rel, text, error))
        return None
    except RecursionError:
        problems.append(Problem(rel, 1, 1, "YAML is nested too deeply"))
        return None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        problems.append(Problem(rel, 1, 1, f"file is empty; {article(kind)} record is a mapping of fields"))
        return None
    if len(nodes) > 1:
        line = nodes[1].start_mark.line + 1
        problems.append(Problem(rel, line, 1, "one record per file: remove the second YAML document (after '---')"))
        return None
    reader = _Reader(record, problems)
    try:
        data = reader.value(nodes[0], ())
    except RecursionError:
        problems.append(Problem(rel, 1, 1, "YAML is nested too deeply"))
        return None
    if not isinstance(data, dict):
        line, col = record.positions[()]
        problems.append(Problem(rel, line, col, f"{article(kind)} record is a mapping of fields ('title: ...'), not a {type(data).__name__}"))
        return None
    record.data = data
    return record


def load(root: Path, data_dir: str = "data") -> Dataset:
    """Load every record under ``root/data_dir``; problems are collected, never raised."""
    files, problems = discover.data_files(root, data_dir)  # the one list of data files; the rest reported
    records: dict[str, dict[str, Record]] = {kind: {} for kind in KINDS}
    coverage = None
    for file in files:
        record = read_file(file.path, file.kind, file.rel, problems)
        if record is None:
            continue
        if file.kind == "coverage":
            coverage = record
        else:
            records[file.kind][record.id] = record
    return Dataset(records, problems, coverage=coverage)


def walk(data, pattern: tuple, path: tuple = ()):
    """Yield (path, value) for every value matching a pattern such as ('roles', '*', 'start')."""
    if not pattern:
        yield path, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from walk(item, rest, path + (i,))
    elif isinstance(data, dict) and head in data:
        yield from walk(data[head], rest, path + (head,))
