"""Build code for the Lee Jae-myung North Korea policy knowledge base.

Data in (YAML under ``data/``), Markdown pages out. The modules, one per job:

- ``load``      read YAML files into records, keeping line and column of every value
- ``validate``  JSON Schema, references and dates; every problem in one run
- ``sourcing``  the publisher registry's rules: hosts, reliability classes, real headlines, copies
- ``link``      the cross-reference index (who mentions whom), built once per run
- ``render``    Jinja2 templates -> Markdown pages, a pure function of the data
- ``cli``       ``python -m kb check | render | build``
- ``mkdocs_hook`` the thin glue that hands rendered pages to MkDocs in memory
"""

KINDS = ("actor", "policy", "event", "source", "publisher", "analysis")
# Folder under data/ and under the site for each kind of record.
FOLDERS = {"actor": "actors", "policy": "policies", "event": "events", "source": "sources",
           "publisher": "publishers", "analysis": "analyses"}
# One file beside the record folders: the date through which editors have reviewed the reporting.
COVERAGE_FILE = "coverage.yaml"
