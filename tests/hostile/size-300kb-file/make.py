"""Creates what git cannot hold; see case.yaml."""

import os
import pathlib


def make(project: pathlib.Path, canary: pathlib.Path) -> None:
    text = "# yaml-language-server: $schema=../schemas/event.schema.json\nid: loudspeaker-broadcasts-suspended-2025\ndate: '2025-06-11'\ntitle: South Korea suspends loudspeaker broadcasts toward the North\ntype: announcement\nsummary: >-\n  On Lee's instruction the military stopped its propaganda broadcasts along the border from\n  2 p.m., a year after the Yoon government had restarted them in answer to the North's trash balloons.\nactors:\n  - actor: lee-jae-myung\n    role: ordered the suspension\npolicies:\n  - policy: loudspeaker-halt-2025\n    effect: put into effect\nplace: Inter-Korean border\ntags: [border, propaganda]\nsources: [kbs-2025-06-11-loudspeakers-suspended, ians-2025-06-11-loudspeakers-suspended]\n".replace("place: Inter-Korean border", "place: " + "border " * 43000)
    (project / "data/events/loudspeaker-broadcasts-suspended-2025.yaml").write_text(text)
