"""Formatting options become the plain text and entities Telegram would store."""

import pytest

from tests.telegram_fakes.errors import BotApiError
from tests.telegram_fakes.formatting import parse, strip, utf16_len


def refusal(text: str, mode: str) -> str:
    with pytest.raises(BotApiError) as caught:
        parse(text, mode)
    return caught.value.description


def test_plain_text_is_kept_as_is_without_a_parse_mode():
    assert parse("<b>not bold</b>", None) == ("<b>not bold</b>", [])


def test_html_tags_become_entities_and_html_entities_are_decoded():
    text, entities = parse('<b>Hi</b> &lt;you&gt; <a href="https://example.org">site</a>', "HTML")
    assert text == "Hi <you> site"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "url": "https://example.org", "offset": 9, "length": 4},
    ]


def test_entity_offsets_count_utf16_code_units():
    _, entities = parse("\N{GRINNING FACE} <i>x</i>", "HTML")
    assert utf16_len("\N{GRINNING FACE}") == 2
    assert entities == [{"type": "italic", "offset": 3, "length": 1}]


def test_html_language_of_a_code_block_is_carried_on_the_pre_entity():
    _, entities = parse('<pre><code class="language-python">x = 1</code></pre>', "HTML")
    assert entities == [{"type": "pre", "language": "python", "offset": 0, "length": 5}]


def test_html_end_tags_must_match():
    assert "Unmatched end tag" in refusal("<b>x</i>", "HTML")
    assert "Unexpected end tag" in refusal("x</b>", "HTML")
    assert refusal("<b>x", "HTML") == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )


def test_a_span_must_be_a_spoiler():
    assert 'Tag "span" must have class "tg-spoiler"' in refusal("<span>x</span>", "HTML")


def test_markdown_v2_marks_bold_italic_underline_spoiler_code_and_links():
    text, entities = parse(r"*b* _i_ __u__ ||s|| `c` [l](https://e\.org) 1\.5", "MarkdownV2")
    assert text == "b i u s c l 1.5"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "spoiler",
        "code",
        "text_link",
    ]
    assert entities[-1]["url"] == "https://e.org"


def test_markdown_v2_refuses_an_unescaped_reserved_character():
    assert refusal("Thanks for taking part.", "MarkdownV2") == (
        "Bad Request: can't parse entities: "
        "Character '.' is reserved and must be escaped with the preceding '\\'"
    )


def test_markdown_v2_refuses_an_unclosed_entity():
    assert "Can't find end of Bold entity at byte offset 0" in refusal("*bold", "MarkdownV2")


def test_markdown_v2_blockquotes_run_to_the_end_of_the_quoted_lines():
    text, entities = parse(">quoted\n>more\nafter", "MarkdownV2")
    assert text == "quoted\nmore\nafter"
    assert entities == [{"type": "blockquote", "offset": 0, "length": 12}]


def test_legacy_markdown_needs_no_escaping_but_refuses_unclosed_entities():
    assert parse("*bold* and 1.5!", "Markdown") == (
        "bold and 1.5!",
        [{"type": "bold", "offset": 0, "length": 4}],
    )
    assert "can't find end of the entity starting at byte offset 0" in refusal("_x", "Markdown")


def test_stripping_whitespace_moves_entities_with_the_text():
    assert strip("  hi ", [{"type": "bold", "offset": 2, "length": 3}]) == (
        "hi",
        [{"type": "bold", "offset": 0, "length": 2}],
    )
