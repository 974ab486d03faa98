"""A rule's regular expression read as text: its pieces, and copies of it with some of them
left out or replaced (look-arounds dropped, anchors made never to match).

The pieces are an escape (``\\b``), a whole character class (``[^]x]``, whose ``]`` first
is a member), a group opening (``(``, ``(?:``, ``(?<=`` …), a group closing, or any other
single character. Working on pieces, not characters, keeps what is inside a class or an
escape from being taken for syntax.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

# A group's opening: "(", or "(?" and what follows up to the group's contents (a look-around,
# non-capturing, atomic, branch reset, named, or inline flags with or without a scope, as
# "(?i)", "(?i:", "(?-i:"); any other "(?" is read as "(" then single pieces.
GROUP_OPENING = regex.compile(r"\((?:\?(?:[:=!>|]|<[=!]|P?<\w+>|[a-zA-Z]*-?[a-zA-Z]+[:)]))?")
LOOK_BEHINDS = ("(?<=", "(?<!")


def pieces(pattern: str) -> Iterator[str]:
    """The pieces of ``pattern``, in order; joined they give it back."""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            yield pattern[i : i + 2]
            i += 2
        elif ch == "[":
            end = i + 1
            if pattern.startswith("^", end):
                end += 1
            if pattern.startswith("]", end):  # a "]" first in a class is a member
                end += 1
            while end < len(pattern) and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            yield pattern[i : end + 1]
            i = end + 1
        elif ch == "(":
            opening = GROUP_OPENING.match(pattern, i).group()
            yield opening
            i += len(opening)
        else:
            yield ch
            i += 1


def without_groups(pattern: str, openings: tuple[str, ...], replace: dict[str, str] | None = None) -> str:
    """``pattern`` without the groups that open with one of ``openings`` (their contents
    included), and with the pieces outside them that are keys of ``replace`` replaced."""
    replace = replace or {}
    out = []
    depth = 0  # inside a group left out: how deep
    for piece in pieces(pattern):
        if depth:
            if piece.startswith("(") and not piece.endswith(")"):  # not a flag: (?i)
                depth += 1
            elif piece == ")":
                depth -= 1
        elif piece in openings:
            depth = 1
        else:
            out.append(replace.get(piece, piece))
    return "".join(out)
