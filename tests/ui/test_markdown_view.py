"""Problem descriptions rendered with markdown-it: nesting, tables, code, and closed-down links."""

from __future__ import annotations

import re

from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument

from qa_arena_desktop import paths
from qa_arena_desktop.catalog import store
from qa_arena_desktop.ui.markdown_view import MarkdownBrowser, markdown_html
from qa_arena_desktop.ui.problem_view import ProblemView, description_html
from qa_arena_desktop.ui.theme import LIGHT


def _description(slug: str) -> str:
    return (paths.problems_dir() / slug / "description.md").read_text(encoding="utf-8")


def list_items(document: QTextDocument) -> list[tuple[int, str]]:
    """(nesting level, text) of every list item block in a rendered document."""
    items = []
    block = document.begin()
    while block.isValid():
        text_list = block.textList()
        if text_list is not None:
            items.append((text_list.format().indent(), block.text()))
        block = block.next()
    return items


_kept: list[MarkdownBrowser] = []


def _rendered(html: str, qtbot) -> QTextDocument:  # type: ignore[no-untyped-def]
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    _kept[:] = [browser]  # the document lives as long as its browser
    browser.setHtml(html)
    return browser.document()


def test_the_problem_view_shows_glob_match_rules_nested(qtbot, catalog):
    view = ProblemView()
    qtbot.addWidget(view)
    view.show_pack(store.get_pack(catalog, "glob-match"))
    items = list_items(view.description.document())
    assert (2, "it lists characters and ranges: [abc], [a-z], [a-cx0-9];") in items
    assert (1, "? matches exactly one character (any character).") in items
    assert "Pattern syntax" in view.description.toPlainText()


def test_glob_match_character_class_rules_are_nested_under_their_item(qtbot):
    html = description_html(_description("glob-match"), "Glob pattern matching", LIGHT)
    outer = html.index("is a character class matching exactly one character")
    inner = html.index("it lists characters and ranges")
    assert html.count("<ul>") == 2
    assert outer < html.index("<ul>", outer) < inner  # the rules sit in a list inside the item
    levels = dict((text[:30], level) for level, text in list_items(_rendered(html, qtbot)))
    assert levels["[...] is a character class mat"] == 1
    assert levels["it lists characters and ranges"] == 2
    assert levels["[!...] (an exclamation mark ri"] == 2
    assert levels["Every other character matches "] == 1


def test_compare_versions_bullets_nest_inside_the_numbered_rule(qtbot):
    html = description_html(_description("compare-versions"), "Compare semantic versions", LIGHT)
    assert re.search(r"<ol>\s*<li>Compare <code>MAJOR</code>", html)
    third = html.index("Two pre-releases are compared")
    assert html.index("<ul>", third) < html.index("two numeric identifiers compare numerically")
    items = list_items(_rendered(html, qtbot))
    nested = [text for level, text in items if level == 2]
    assert any(text.startswith("two numeric identifiers") for text in nested)
    assert any(text.startswith("if all shared identifiers are equal") for text in nested)
    assert any(text.startswith("BUILD metadata is ignored") for level, text in items if level == 1)


def test_tables_and_highlighted_code_blocks(qtbot):
    text = ("| input | result |\n| --- | --- |\n| `1.2.3` | ok |\n\n"
            "```python\nassert f('a') == 1  # a comment that is long enough to wrap somewhere\n```\n")
    html = markdown_html(text, LIGHT)
    assert "<table>" in html and "<td><code>1.2.3</code></td>" in html
    assert "<pre><code" in html and 'style="color: #' in html  # pygments' inline colours
    document = _rendered(html, qtbot)
    frames = document.rootFrame().childFrames()
    assert any(frame.__class__.__name__ == "QTextTable" for frame in frames)
    assert "assert f('a') == 1" in document.toPlainText()


def test_raw_html_in_a_description_shows_as_text(qtbot):
    html = markdown_html('<b>bold</b> <img src="x.png"> <a href="file:///etc">x</a>\n\n<script>1</script>',
                         LIGHT)
    assert "<b>" not in html and "<img" not in html and "<script>" not in html
    plain = _rendered(html, qtbot).toPlainText()
    assert "<b>bold</b>" in plain and "<script>1</script>" in plain


def test_only_web_links_are_links_and_images_load_nothing(qtbot, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    text = (f"[web](https://example.org/a) [local](file://{secret}) [js](javascript:alert(1)) "
            f"[rel](other.md) ![a picture]({secret}) ![](https://example.org/x.png)")
    html = markdown_html(text, LIGHT)
    assert re.findall(r'href="([^"]+)"', html) == ["https://example.org/a"]
    assert "<img" not in html and "[a picture]" in html
    plain = _rendered(html, qtbot).toPlainText()
    assert "local" in plain and "rel" in plain  # the words stay, the link goes


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_the_browser_opens_web_links_outside_and_never_follows_others(qtbot):
    browser = MarkdownBrowser()
    qtbot.addWidget(browser)
    browser.set_markdown("[web](https://example.org/a)", LIGHT)
    catcher = _Catcher()
    for scheme in ("https", "file", "qrc"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")
    try:
        before = browser.toHtml()
        for url in ("https://example.org/a", "file:///etc/passwd", "qrc:/x", "other.md"):
            browser.anchorClicked.emit(QUrl(url))
        assert catcher.urls == ["https://example.org/a"]
        assert browser.toHtml() == before  # no in-place navigation
    finally:
        for scheme in ("https", "file", "qrc"):
            QDesktopServices.unsetUrlHandler(scheme)
