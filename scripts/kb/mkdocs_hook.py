"""The only MkDocs-specific code: hand the generated pages to MkDocs in memory.

One function per build event, nothing else. The pages come from ``kb.render``, which knows
nothing about MkDocs; another engine can use ``python -m kb render --with-docs`` instead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel

from kb.load import Dataset
from kb.cli import load_checked
from kb.render import render_site

_dataset: Dataset | None = None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).parent


def on_pre_build(config: MkDocsConfig) -> None:
    # Validate before MkDocs cleans site/: bad data stops the build with site/ untouched.
    global _dataset
    dataset, problems = load_checked(_root(config))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        raise PluginError(f"{len(problems)} problem(s) in data/; fix the lines above")
    _dataset = dataset


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for page in render_site(_dataset, Path(config.docs_dir)):
        existing = files.get_file_from_path(page.path)
        if existing is not None:  # a hand-written page whose markers were filled in
            files.remove(existing)
        generated = File.generated(
            config, page.path, content=page.text,
            inclusion=InclusionLevel.NOT_IN_NAV if page.data_path else InclusionLevel.UNDEFINED,
        )
        # "Edit this page" opens the YAML behind a record page (edit_uri points into docs/).
        generated.edit_uri = f"../{page.data_path}" if page.data_path else page.path
        files.append(generated)
    return files


def on_serve(server, config: MkDocsConfig, builder):
    server.watch(str(_root(config) / "data"))
    server.watch(str(Path(__file__).parent))  # templates and build code, for maintainers
    return server
