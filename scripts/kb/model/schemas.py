"""The JSON Schemas in ``data/schemas/``, read like every other data file.

A pull request may change a schema, so a schema is input like any record: it is found by
``kb.model.discover``, read within its limits, and a file that is not JSON, not a valid JSON Schema, or
whose ``$ref`` leads nowhere is a located problem (``data/schemas/x.schema.json:LINE:COL: ...``),
raised as ``SchemaProblems`` so that no command goes on with half a set of schemas.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import re

from jsonschema import Draft202012Validator
from jsonschema import validators as jsonschema_validators
from jsonschema.exceptions import ValidationError
from jsonschema.exceptions import SchemaError

from kb import KINDS
from kb.model import discover
from kb.model.problems import Problem, quote

SCHEMA_DIR = "data/schemas"
SCHEMA_PATH = Path(__file__).resolve().parents[3] / SCHEMA_DIR
NEEDED = (*KINDS, "coverage")


class SchemaProblems(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the schemas")
        self.problems = sorted(problems)


def read_schemas(schema_dir: Path, rel_dir: str = SCHEMA_DIR) -> tuple[dict[str, dict], list[Problem]]:
    """File name -> parsed schema, and the problems of the files that could not be used."""
    found, problems = discover.schema_files(schema_dir, rel_dir)
    files = {}
    for path, rel in found:
        try:
            schema = json.loads(discover.read_text(path, rel))
            Draft202012Validator.check_schema(schema)
        except discover.Unreadable as error:
            problems.append(error.problem)
        except json.JSONDecodeError as error:
            problems.append(Problem(rel, error.lineno, error.colno, f"not valid JSON: {error.msg}; fix the schema file"))
        except SchemaError as error:
            where = "/".join(str(p) for p in error.absolute_path) or "top level"
            problems.append(Problem(rel, 1, 1, f"not a valid JSON Schema at {where}: {error.message}"))
        except RecursionError:
            problems.append(Problem(rel, 1, 1, "schema is nested too deeply"))
        else:
            files[path.name] = schema
    for kind in NEEDED:
        name = f"{kind}.schema.json"
        if name not in files and not any(p.path == f"{rel_dir}/{name}" for p in problems):
            problems.append(Problem(f"{rel_dir}/{name}", 1, 1, "schema file is missing; restore it"))
    return files, problems


@lru_cache(maxsize=4)
def schema_files(schema_dir: Path) -> dict[str, dict]:
    files, problems = read_schemas(schema_dir)
    if problems:
        raise SchemaProblems(problems)
    return files


def load_schemas(schema_dir: Path = SCHEMA_PATH) -> dict[str, dict]:
    """Kind -> its JSON Schema as parsed from data/schemas/<kind>.schema.json."""
    files = schema_files(schema_dir)
    return {kind: files[f"{kind}.schema.json"] for kind in KINDS}


def inline_refs(schema, files: dict[str, dict], base: str, depth: int = 0):
    """The schema with every $ref replaced by what it points to. Our schemas are not recursive, and
    resolving references once here makes validation about twice as fast as resolving them per value."""
    if depth > 100:  # a $ref cycle (or absurd nesting) in a changed schema
        raise SchemaProblems([Problem(f"{SCHEMA_DIR}/{base}", 1, 1, "$ref leads into a cycle or nests too deeply; schemas here are not recursive")])
    if isinstance(schema, list):
        return [inline_refs(item, files, base, depth + 1) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if isinstance(schema.get("$ref"), str):
        file, _, pointer = schema["$ref"].partition("#")
        file = file or base
        target = files.get(file)
        for part in pointer.strip("/").split("/"):
            if part and isinstance(target, dict):
                target = target.get(part)
            elif part:
                target = None
        if not isinstance(target, dict):
            raise SchemaProblems([Problem(f"{SCHEMA_DIR}/{base}", 1, 1, f"$ref '{schema['$ref']}' points to nothing; fix the reference")])
        merged = {**inline_refs(target, files, file, depth + 1), **{k: v for k, v in schema.items() if k != "$ref"}}
        return {k: inline_refs(v, files, file, depth + 1) for k, v in merged.items()}
    return {k: inline_refs(v, files, base, depth + 1) for k, v in schema.items()}


@lru_cache(maxsize=4)
def inlined_schemas(schema_dir: Path = SCHEMA_PATH) -> dict[str, dict]:
    """Kind -> its schema with the shared definitions ('common.schema.json#/...') written in."""
    files = schema_files(schema_dir)
    return {kind: inline_refs(files[f"{kind}.schema.json"], files, f"{kind}.schema.json") for kind in NEEDED}


def _whole_value_pattern(validator, pattern, instance, schema):
    """'pattern' matched against the whole value. JSON Schema's 'pattern' searches (jsonschema uses
    re.search), and in Python '$' also matches before a final newline, so '^[a-z]+$' accepted
    'border\n': a second tag that looks like the first. The schemas keep '^...$' for editors."""
    if validator.is_type(instance, "string") and not re.fullmatch(pattern, instance):
        yield ValidationError(f"{quote(instance)!r} does not match {pattern!r}")


# The 2020-12 validator with 'pattern' matching whole values.
KbValidator = jsonschema_validators.extend(Draft202012Validator, {"pattern": _whole_value_pattern})


@lru_cache(maxsize=4)
def validators(schema_dir: Path) -> dict[str, Draft202012Validator]:
    """One validator per kind."""
    return {kind: KbValidator(schema) for kind, schema in inlined_schemas(schema_dir).items()}


def problems(schema_dir: Path) -> list[Problem]:
    """Every problem that keeps the schemas in ``schema_dir`` from being used; [] when they are fine."""
    try:
        validators(schema_dir)
    except SchemaProblems as error:
        return error.problems
    return []
