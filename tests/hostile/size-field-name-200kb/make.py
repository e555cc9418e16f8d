"""a 200 KB field name would be printed whole, and compared by did-you-mean, generated at run time: too big for git."""

def make(project, canary):
    (project / "data" / "events" / "huge-key.yaml").write_text(
        "id: huge-key\ndate: '2025-06-11'\ntitle: Key\ntype: announcement\nsummary: A test.\n"
        + "? " + "k" * 200_000 + "\n: 1\nsources: [kbs-2025-06-11-loudspeakers-suspended]\n", encoding="utf-8")
