# Quick start: `make serve` and `make test`. Both create .venv from requirements.lock first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test build build-zensical check fmt render linkcheck bench lock clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	# Put scripts/ on the venv's path (what an editable install does, without a build step).
	echo "$(CURDIR)/scripts" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/kb.pth"
	touch $@

serve: $(VENV)/.installed  ## serve the site at http://$(ADDR), rebuilding what a saved edit changes
	$(VENV)/bin/mkdocs serve --dirty --dev-addr $(ADDR)

$(VENV)/.zensical: $(VENV)/.installed requirements-zensical.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-zensical.lock
	touch $@

test: $(VENV)/.installed $(VENV)/.zensical  ## every test, including strict MkDocs and Zensical builds of the real data
	$(PY) -m pytest

build: $(VENV)/.installed  ## the static site in site/ with its search index (left as it was if the build fails)
	$(PY) -m kb build

build-zensical: $(VENV)/.zensical  ## the same pages built with Zensical into build/zensical/site (Korean: site/ko), with the same search index
	$(PY) -m kb zensical-config build/zensical
	cd build/zensical && $(CURDIR)/$(VENV)/bin/zensical build --clean -f mkdocs.yml
	cd build/zensical && $(CURDIR)/$(VENV)/bin/zensical build -f mkdocs.ko.yml
	$(PY) -m kb zensical-fill build/zensical
	$(PY) -m kb search-index build/zensical/site

check: $(VENV)/.installed  ## validate data/ only
	$(PY) -m kb check

fmt: $(VENV)/.installed  ## put data files into canonical form (keeps comments)
	$(PY) -m kb fmt

render: $(VENV)/.installed  ## write the generated Markdown to build/markdown for inspection
	$(PY) -m kb render build/markdown --with-docs

linkcheck: $(VENV)/.installed  ## opt-in: report cited URLs that no longer answer (needs the network)
	$(PY) -m kb linkcheck

bench: $(VENV)/.installed  ## build-speed benchmark at 1k and 5k synthetic events, both editions and English alone; prints ratios
	$(PY) -m kb.tools.bench

lock:  ## re-resolve requirements.lock from pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[test]'
	(echo '# Exact versions installed by `make` (pip install -r requirements.lock). Regenerate with `make lock`.'; \
	 .lock-venv/bin/pip freeze --exclude-editable) > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site build .venv .pytest_cache
