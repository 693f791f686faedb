"""Row heights (output/row_heights.py) and the text cleaner (output/safe_text.py): the quick paths
give what the plain rules give."""

from __future__ import annotations

import pytest

from sarkit.output.row_heights import MAX_HEIGHT, row_height, row_heights
from sarkit.output.safe_text import TextCleaner

WIDTHS = (16, 46, 30)  # 18, 52 and 34 characters a line at 9 points


def lines_by_rule(texts, widths, size=9):
    """The rule written out: each text's lines, each of its paragraphs at least one line."""
    per_lines = [max(1, int(w * 1.15 * 9 / size)) for w in widths]
    counts = [1]
    for text, per_line in zip(texts, per_lines, strict=True):
        if isinstance(text, str) and text:
            counts.append(sum(max(1, -(-len(part) // per_line)) for part in text.split("\n")))
    return max(counts)


@pytest.mark.parametrize("texts", [
    ("", "", ""), ("x" * 18, "y" * 52, "z" * 34), ("x" * 19, "", ""), ("", "y" * 53, ""),
    ("", "", "z" * 35 * 3), ("a\nb", "", ""), ("\n", "", ""), ("ab\n\ncd", "y" * 105, ""),
    ("x" * 18 + "\n" + "x" * 19, "", ""), (None, 42, 3.5), ("x" * 100_000, "", ""),
])
def test_row_heights_are_the_rule(texts):
    expected = min(MAX_HEIGHT, lines_by_rule(texts, WIDTHS) * 12.0 + 3)
    assert row_heights(WIDTHS)(texts) == expected
    assert row_height(texts, WIDTHS) == expected


def test_row_heights_at_another_size_and_the_wrong_number_of_texts():
    assert row_height(["x" * 20], [10], line_points=15.0, size=11) == 3 * 15.0 + 3  # 9 a line
    assert row_height(["x" * 20], [10]) == 2 * 12.0 + 3  # 11 a line
    with pytest.raises(ValueError):
        row_heights(WIDTHS)(["too", "few"])


@pytest.mark.parametrize(("text", "cleaned"), [
    ("plain text, all printable", "plain text, all printable"),
    ("two\nlines\tand a tab\r", "two\nlines\tand a tab\r"),  # not printable, nothing forbidden
    ("bell\x07 and\nnewline", "bell\ufffd and\nnewline"),
    ("no-break\u00a0space \u200b", "no-break\u00a0space \u200b"),
    ("\x00\x0b\x0c\x1f\ufffe\uffff", "\ufffd" * 6), ("", ""),
])
def test_the_cleaner_replaces_only_what_xml_forbids(text, cleaned):
    assert TextCleaner()(text) == cleaned
    assert TextCleaner({"Jane Roe": "Adult A"})(text) == cleaned


def test_the_cleaner_applies_pseudonyms_before_replacing():
    clean = TextCleaner({"Jane Roe": "Adult A", " ": "never"})
    assert clean("JANE ROE seen\x01; Jane Roes not") == "Adult A seen\ufffd; Jane Roes not"
