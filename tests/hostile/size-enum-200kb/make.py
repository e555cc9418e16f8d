"""a 200 KB enum value (did-you-mean would take 1.85 GB), generated at run time: too big for git."""

def make(project, canary):
    (project / "data" / "events" / "huge-enum.yaml").write_text(
        "id: huge-enum\ndate: '2025-06-11'\ntitle: Huge\ntype: " + "a" * 200_000 +
        "\nsummary: A test.\nsources: [kbs-2025-06-11-loudspeakers-suspended]\n", encoding="utf-8")
