"""When each data file last changed, from one `git log` call (not one call per page).

Falls back to an empty mapping where there is no git, no repository or no history (a tarball,
a shallow CI checkout of one commit still works: it knows that commit's date).
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_changed(root: Path, folder: str = "data") -> dict[str, str]:
    """'data/events/x.yaml' -> '2026-11-27' (committer date of the newest commit touching it)."""
    try:
        result = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--no-renames", "--", folder],
            cwd=root, capture_output=True, text=True, timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    out: dict[str, str] = {}
    day = ""
    for line in result.stdout.splitlines():
        if line.startswith("\0"):
            day = line[1:]
        elif line and day:
            out.setdefault(line, day)  # newest commit first: keep the first date seen
    return out


def commit_time(root: Path) -> str:
    """Unix time of the last commit, as text, or '' outside a repository."""
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
