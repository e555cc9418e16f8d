"""A file name with bytes that are not UTF-8 (git would store it, but a checkout may not)."""

import os
from pathlib import Path


def make(project: Path, canary: Path) -> None:
    folder = os.fsencode(project / "data" / "events")
    name = folder + b"/traceback-file-name-\xff\xfe.yaml"
    with open(name, "wb") as out:
        out.write(b"# yaml-language-server: $schema=../schemas/event.schema.json\n"
                  b"id: traceback-file-name\ndate: '2025-06'\ntitle: A name that is not UTF-8\ntype: other\n"
                  b"summary: The file name holds the bytes FF FE.\nsources: [kbs-2025-06-11-loudspeakers-suspended]\n")
