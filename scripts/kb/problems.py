"""A problem found in the data, printed as one line: ``path:line:column: message``."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __post_init__(self) -> None:
        # One problem, one line: values quoted from the data may hold newlines or tabs.
        object.__setattr__(self, "message", " ".join(self.message.split()))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"

    def github(self) -> str:
        """A GitHub Actions annotation, shown on the line in the pull request's diff."""
        def prop(text: str) -> str:
            return _escape(text).replace(":", "%3A").replace(",", "%2C")

        return f"::error file={prop(self.path)},line={self.line},col={self.column}::{_escape(self.message)}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def report(problems, github: bool = False, stream=None) -> None:
    """Every problem on its own line (stderr); with ``github``, also as annotations on stdout."""
    stream = stream or sys.stderr
    for problem in problems:
        print(problem, file=stream)
        if github:
            print(problem.github())


def did_you_mean(word: str, candidates) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
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
