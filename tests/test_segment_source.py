"""A rule's regular expression read as text (tm.segment.source)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tm.segment.source import LOOK_BEHINDS, pieces, without_groups


def test_pieces_keep_classes_escapes_and_group_openings_whole():
    assert list(pieces(r"(?<=[^]\\)(]x)\.(?:a|\b)(?i)z")) == [
        "(?<=",
        r"[^]\\)(]",
        "x",
        ")",
        r"\.",
        "(?:",
        "a",
        "|",
        r"\b",
        ")",
        "(?i)",
        "z",
    ]


def test_every_kind_of_group_opening_is_one_piece():
    assert list(pieces(r"(?|a|b)(?-i:c)(?i-m)(?P<n>d)(e)(?#x)")) == [
        "(?|", "a", "|", "b", ")", "(?-i:", "c", ")", "(?i-m)", "(?P<n>", "d", ")", "(", "e", ")",
        "(", "?", "#", "x", ")",
    ]  # fmt: skip


@given(st.text(alphabet="ab[]^()?:<=!\\.|", max_size=30))
def test_pieces_joined_give_the_pattern_back(pattern):
    assert "".join(pieces(pattern)) == pattern


def test_groups_left_out_with_what_they_hold_and_pieces_replaced_outside_them():
    assert without_groups(r"\.(?<=(?:(?<![\w.])[A-Z]\.)+)x[(](?<!\()", LOOK_BEHINDS) == r"\.x[(]"
    assert without_groups(r"(?i)a(?<=b(?:c))\bd", LOOK_BEHINDS, {r"\b": "B"}) == "(?i)aBd"
    assert without_groups(r"[$^]^x$", (), {"^": "(?!)", "$": "(?!)"}) == "[$^](?!)x(?!)"
