"""Site rendering: data in, Markdown pages, data fragments and published files out (knows no engine)."""
