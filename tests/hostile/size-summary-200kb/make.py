"""a 200 KB summary, generated at run time: too big for git."""

def make(project, canary):
    (project / "data" / "events" / "huge-summary.yaml").write_text(
        "id: huge-summary\ndate: '2025-06-11'\ntitle: Huge\ntype: announcement\n"
        "summary: " + "a" * 200_000 + "\nsources: [kbs-2025-06-11-loudspeakers-suspended]\n", encoding="utf-8")
