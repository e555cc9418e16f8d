"""Data text is rendered on its own and put into the page after the page is HTML (kb.site.fragments):
no page-level Markdown extension sees it, and nh3 sanitizes every fragment."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pagefind_index import indexed_pages
from conftest import make_project
from htmlscan import Scan

from kb.site.fragments import Fragments, sanitize

ENV_BUILD = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir"]


def test_tokens_are_letters_and_digits_named_after_their_fragment():
    one, two = Fragments(), Fragments()
    token = one.plain("Lee <Jae-myung>")
    assert token.isalnum() and token == two.plain("Lee <Jae-myung>")
    assert token != one.plain("Lee Jae-myung")
    assert one.fill(f"<li>{token}</li>") == "<li>Lee &lt;Jae-myung&gt;</li>"


def test_a_block_token_replaces_its_paragraph_and_an_unknown_token_stays():
    fragments = Fragments()
    block = fragments.block("<p>text</p>", "kb-text")
    assert fragments.fill(f"<p>{block}</p>") == '<div class="kb-text">\n<p>text</p>\n</div>'
    assert fragments.fill("kbfragi" + "0" * 20) == "kbfragi" + "0" * 20


def test_plain_text_is_safe_inside_an_attribute():
    fragments = Fragments()
    token = fragments.plain('x" onmouseover="alert(1)')
    assert fragments.fill(f'<div data-node="{token}">') == '<div data-node="x&quot; onmouseover=&quot;alert(1)">'


def test_the_sanitizer_keeps_the_allowlist_only():
    dirty = ('<p onclick="x()">a<script>alert(1)</script><a href="javascript:x()">b</a>'
             '<a href="https://example.org" style="color:red">c</a><div class="admonition">d</div><img src=x></p>')
    clean = sanitize(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean and "style" not in clean
    assert "<img" not in clean and "<div" not in clean and "alert" not in clean
    assert '<a href="https://example.org" rel="nofollow noopener">c</a>' in clean


def test_search_index_text_gets_the_fragment_text_json_escaped():
    fragments = Fragments()
    token = fragments.block('<p>say "hi" &amp; <em>go</em></p>', "kb-text")
    index = json.dumps({"text": f"before {token} after"})
    assert json.loads(fragments.fill_text(index)) == {"text": 'before say "hi" & go after'}


PAYLOADS = {
    "fence-tilde": "Text\n\n~~~ {data-x='\" tabindex=\"1\" autofocus onfocus=\"window.__pwned=1\"'}\nx\n~~~\n",
    "fence-backtick": "Text\n\n``` {.x onclick=\"window.__pwned=2\"}\nx\n```\n",
    "admonition": "!!! danger \"RETRACTED\"\n    This record is retracted.",
    "footnotes-marker": "///Footnotes Go Here///",
    "snippet": "--8<-- \"README.md\"",
    "attr-list": "Para\n{: onclick=\"window.__pwned=3\" }",
    "md-in-html": "<div markdown=\"1\">**x**</div>",
    "footnote-definition": "See[^9]\n\n[^9]: forged footnote",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("fragments"))
    event = project / "data/events/loudspeaker-broadcasts-suspended-2025.yaml"
    data = yaml.safe_load(event.read_text(encoding="utf-8"))
    data.pop("ko", None)
    data["summary"] = "\n\n".join(PAYLOADS.values())
    data["title"] = "Halt ///Footnotes Go Here/// {: onclick=x }"
    data["notes"] = [{"text": PAYLOADS["fence-backtick"] + "\n\n" + PAYLOADS["admonition"],
                      "sources": data["sources"][:1]}]
    event.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    site = project / "site"
    result = subprocess.run(ENV_BUILD + [str(site)], cwd=project, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return site


def test_page_level_extensions_never_see_data_text(built):
    page = (built / "events/loudspeaker-broadcasts-suspended-2025/index.html").read_text(encoding="utf-8")
    article = page[page.find("<article"):page.rfind("</article>")]
    scan = Scan(article)
    assert scan.event_handlers() == []
    assert not [tag for tag, attrs in scan.tags if "autofocus" in attrs or "data-x" in attrs]
    assert "admonition" not in article and "highlight" not in article  # no box, no code block from data
    assert "forged footnote" in article and "fn:9" not in article  # shown as text, not a footnote
    assert "Quick start" not in article  # the snippet was not included
    # The source list stays at the end of the page: the title's marker did not move it.
    assert article.rfind('class="footnote"') > article.find("RETRACTED")
    assert "kbfrag" not in page


def test_search_index_holds_the_text_not_the_tokens(built):
    assert not (built / "search" / "search_index.json").exists()  # Material's lunr index is not built
    pages = indexed_pages(built)
    event = pages["/events/loudspeaker-broadcasts-suspended-2025/"]
    assert "RETRACTED" in event["content"]
    assert "kbfrag" not in json.dumps(pages, ensure_ascii=False)
