"""100,000 '[' in a summary hang Python-Markdown, generated at run time: too big for git."""

def make(project, canary):
    (project / "data" / "events" / "bracket-summary.yaml").write_text(
        "id: bracket-summary\ndate: '2025-06-11'\ntitle: Brackets\ntype: announcement\n"
        "summary: 'x" + "[" * 100_000 + "'\nsources: [kbs-2025-06-11-loudspeakers-suspended]\n", encoding="utf-8")
