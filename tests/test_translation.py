"""Korean text beside the English: a fingerprint tells when the English changed after the Korean."""

from __future__ import annotations

import subprocess
import sys

from kb.model import translation
from kb.model.load import load
from kb.model.validate import validate

EVENT = "data/events/loudspeaker-broadcasts-suspended-2025.yaml"


def kb(project, *args):
    return subprocess.run([sys.executable, "-m", "kb", *args], cwd=project, capture_output=True, text=True)


def add_korean(project):
    path = project / EVENT
    path.write_text(path.read_text(encoding="utf-8").replace("sources: [kbs", "ko:\n  title: 한국, 대북 확성기 방송 중단\n"
                    "  summary: 이 대통령의 지시로 군이 오후 2시부터 확성기 방송을 멈췄다.\nsources: [kbs"), encoding="utf-8")
    return path


def warnings(project):
    dataset = load(project)
    assert validate(dataset, project) == []
    return [str(w) for w in dataset.warnings]


def test_stale_translation_is_reported_until_marked_current(project):
    path = add_korean(project)
    assert any("warning: ko: the English changed after this translation was confirmed" in w for w in warnings(project))
    marked = kb(project, "translate-mark", EVENT)
    assert marked.returncode == 0, marked.stderr
    assert "  of: " in path.read_text(encoding="utf-8") and warnings(project) == []
    assert kb(project, "fmt", "--check", EVENT).returncode == 0  # the mark keeps the canonical form
    # The English changes: the Korean is out of date again, with its location, and --strict-translations fails.
    path.write_text(path.read_text(encoding="utf-8").replace("from 2 p.m.", "from 2 p.m. on 11 June"), encoding="utf-8")
    assert [w for w in warnings(project) if "ko:" in w] == [
        f"{EVENT}:16:3: warning: ko: the English changed after this translation was confirmed; update the Korean, "
        f"then run 'python -m kb translate-mark {EVENT}'"]
    assert kb(project, "check").returncode == 0
    assert kb(project, "check", "--strict-translations").returncode == 1


def test_states_and_what_a_fingerprint_covers(project):
    dataset = load(project)
    event = dataset.get("event", "loudspeaker-broadcasts-suspended-2025")
    assert translation.state(event) == "missing"
    assert translation.state(dataset.get("source", "kbs-2025-06-11-loudspeakers-suspended")) == "none"
    before = translation.fingerprint(event)
    event.data["tags"] = ["other"]  # not a translated field
    assert translation.fingerprint(event) == before
    event.data["notes"] = [{"text": "A note.", "sources": ["x"]}]
    assert translation.fingerprint(event) != before


def test_mark_refuses_a_file_without_korean(project):
    result = kb(project, "translate-mark", "data/actors/lee-jae-myung.yaml")
    assert result.returncode == 1 and "no 'ko:' block to confirm" in result.stderr
