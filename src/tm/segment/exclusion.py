"""Telling, from a few characters around a candidate position, which rules cannot match there.

At a candidate the segmenter only needs to run the rules that could match. A rule whose
``beforebreak`` cannot end with the last word before the position, or whose ``afterbreak``
cannot start with the next few characters, is left out. Both tests use the ``regex``
module's partial matching: ``beforebreak`` is run backwards (``(?r)``) from the position
over the tail, ``afterbreak`` forwards over the head, and a rule is left out only when no
text, however it continued beyond the characters looked at, could let it match (when the
engine runs out of characters it answers "partial", and the rule stays).

A few assertions could look past the characters given and would then fail where the whole
text lets them succeed: look-aheads at the end of a ``beforebreak``, look-behinds at the
start of an ``afterbreak``, word boundaries at either edge. They are dropped from the
patterns used here (a pattern without them matches wherever the rule does, and maybe
elsewhere), so a rule is never left out where it could match. The answers depend only on
the characters looked at, so the segmenter keeps them per tail and head.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

Test = Callable[[str], bool]


def before_test(pattern: str) -> Test | None:
    """Whether text ending with the given tail can end with a match of ``pattern``; None
    when any tail can (an empty ``beforebreak``)."""
    if not pattern:
        return None
    loose = without_assertions(pattern, ahead=True, behind=False)
    match = regex.compile(f"(?r)(?:{loose})").match
    return lambda tail: match(tail, partial=True) is not None


def after_test(pattern: str) -> Test | None:
    """Whether text starting with the given head can start with a match of ``pattern``;
    None when any head can (an empty ``afterbreak``)."""
    if not pattern:
        return None
    loose = without_assertions(pattern, ahead=False, behind=True)
    match = regex.compile(f"(?:{loose})").match
    return lambda head: match(head, partial=True) is not None


def without_assertions(pattern: str, *, ahead: bool, behind: bool) -> str:
    """``pattern`` without its positive look-aheads (``ahead``) or positive look-behinds
    (``behind``) and without ``\\b``/``\\B``: it matches wherever ``pattern`` does, with
    the same extent. Negative look-arounds stay: at the edge of the characters given they
    see nothing, and succeed."""
    dropped = []
    if ahead:
        dropped.append("(?=")
    if behind:
        dropped.append("(?<=")
    out = []
    i = 0
    skip = 0  # depth inside a dropped group
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if not skip and not (not in_class and pattern[i + 1 : i + 2] in ("b", "B")):
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # A "]" first in a class is a member, not the end.
            for opening in ("[]", "[^]"):
                if pattern.startswith(opening, i):
                    if not skip:
                        out.append(opening)
                    i += len(opening)
                    break
            else:
                if not skip:
                    out.append(ch)
                i += 1
            continue
        elif ch == "(":
            if skip:
                skip += 1
            elif pattern.startswith(tuple(dropped), i) if dropped else False:
                skip = 1
                i += 4 if pattern.startswith("(?<=", i) else 3
                continue
        elif ch == ")" and skip:
            skip -= 1
            i += 1
            continue
        if not skip:
            out.append(ch)
        i += 1
    return "".join(out)
