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
start of an ``afterbreak``. They are dropped from the patterns used here, and word
boundaries are taken as true at either edge: such a pattern matches wherever the rule does
(and maybe elsewhere), so a rule is never left out where it could match. The answers
depend only on the characters looked at, so the segmenter keeps them per tail and head.

Whether a rule surely matches can be told the same way when its patterns only look at
characters given (``before_sure``, ``after_sure``).
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from collections.abc import Callable

import regex

from tm.segment.source import GROUP_OPENING, without_groups
from tm.segment.trigger import outermost, parsed, widened

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
    (``behind``), and with ``\\b``/``\\B`` also true at the edges of the text: it matches
    wherever ``pattern`` does, with the same extent. Negative look-arounds stay: at the edge
    of the characters given they see nothing, and succeed."""
    dropped = (("(?=",) if ahead else ()) + (("(?<=",) if behind else ())
    # At the edge of the characters given, a word boundary cannot be told.
    return without_groups(pattern, dropped, {r"\b": r"(?:\b|^|$)", r"\B": r"(?:\B|^|$)"})


def before_sure(pattern: str) -> Test | None:
    """Whether the tail alone shows that ``pattern`` matches ending at its end, whatever
    comes before the tail; None when that can never be told from a tail (the pattern
    looks ahead, or holds anchors, possessive repeats or back-references)."""
    return _sure(pattern, backwards=True)


def after_sure(pattern: str) -> Test | None:
    """Whether the head alone shows that ``pattern`` matches at its start, whatever comes
    after the head; None when that can never be told from a head (as ``before_sure``)."""
    return _sure(pattern, backwards=False)


def _sure(pattern: str, *, backwards: bool) -> Test | None:
    """``before_sure`` (``backwards``: run from the end of a tail) or ``after_sure``."""
    pattern = never_at_edges(pattern)
    reach = _reach(pattern)
    # Looking past the far edge of the match (after a tail's end, before a head's start)
    # would look at characters not given.
    if reach is None or reach[1 if backwards else 0]:
        return None
    if backwards:
        behind = reach[0]
        match = regex.compile(f"(?r)(?:{pattern})").match
        # Matched without looking left of the tail's first character (the edge of what is
        # known), so any text ending with the tail matches too.
        return lambda tail: (found := match(tail)) is not None and found.start() >= behind
    ahead = reach[1]
    match = regex.compile(f"(?:{pattern})").match
    return lambda head: (found := match(head)) is not None and found.end() + ahead <= len(head)


def never_at_edges(pattern: str) -> str:
    """``pattern`` with ``^``, ``$``, ``\\A`` and ``\\Z`` made to never match: what it still
    matches in a piece of text it matches in any text holding that piece (the start of a
    tail need not be the start of the paragraph)."""
    return without_groups(pattern, (), dict.fromkeys(("^", "$", r"\A", r"\Z", r"\z"), "(?!)"))


_BOUNDARIES = {"AT_BOUNDARY", "AT_NON_BOUNDARY", "AT_UNI_BOUNDARY", "AT_UNI_NON_BOUNDARY"}
# Anchors that look at the character before (or after) the place they are tested at.
_LOOKING_BEHIND = {"AT_BEGINNING", "AT_BEGINNING_STRING", "AT_BEGINNING_LINE"}
_LOOKING_AHEAD = {"AT_END", "AT_END_STRING", "AT_END_LINE"}


def _reach(pattern: str) -> tuple[int, int] | None:
    """How many characters before the start and after the end of a match of ``pattern``
    its assertions can look at, at most (look-arounds, ``^``, ``$``, ``\b``); None when a
    part of the pattern makes a match on a piece of text say nothing sure about the whole
    text (possessive repeats, atomic groups, back-references, unbounded or nested
    look-arounds) or the pattern cannot be analysed."""
    found = parsed(widened(pattern), case_sensitive=False)
    if found is None or found.state.flags & re.VERBOSE:
        return None
    items = outermost(list(found), case_sensitive=False)
    reach = [0, 0]
    # A word boundary first looks one character behind the match only, last one ahead only.
    if items and str(items[0][0]) == "AT" and str(items[0][1]) in _BOUNDARIES:
        reach[0] = 1
        items = items[1:]
    if items and str(items[-1][0]) == "AT" and str(items[-1][1]) in _BOUNDARIES:
        reach[1] = 1
        items = items[:-1]

    def walk(items, nested: bool = False) -> bool:
        """False when something in ``items`` makes the reach unknown (see above)."""
        for op, av in items:
            name = str(op)
            if name in ("ASSERT", "ASSERT_NOT"):
                direction, inner = av
                width = inner.getwidth()[1]
                if nested or width >= sre_parse.MAXREPEAT or not walk(inner, True):
                    return False
                side = 0 if direction < 0 else 1
                reach[side] = max(reach[side], width)
            elif name == "AT":
                anchor = str(av)
                if nested:
                    return False
                if anchor in _LOOKING_BEHIND:
                    reach[0] = max(reach[0], 1)
                elif anchor in _LOOKING_AHEAD:
                    # "$" also matches before a line break that ends the text.
                    reach[1] = max(reach[1], 2)
                elif anchor in _BOUNDARIES:
                    reach[0], reach[1] = max(reach[0], 1), max(reach[1], 1)
                else:
                    return False
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                if not walk(av[2], nested):
                    return False
            elif name == "SUBPATTERN":
                if not walk(av[3], nested):
                    return False
            elif name == "BRANCH":
                if not all(walk(branch, nested) for branch in av[1]):
                    return False
            elif name not in ("LITERAL", "NOT_LITERAL", "IN", "ANY", "RANGE", "CATEGORY"):
                return False
        return True

    # A look-around of the pattern's own sequence looks past the match only by what the
    # characters between it and that end of the match do not cover.
    for index, (op, av) in enumerate(items):
        if str(op) in ("ASSERT", "ASSERT_NOT"):
            direction, inner = av
            width = inner.getwidth()[1]
            if width >= sre_parse.MAXREPEAT or not walk(inner, True):
                return None
            if direction < 0:
                covered = sre_parse.SubPattern(found.state, items[:index]).getwidth()[0]
                reach[0] = max(reach[0], width - covered)
            else:
                covered = sre_parse.SubPattern(found.state, items[index + 1 :]).getwidth()[0]
                reach[1] = max(reach[1], width - covered)
        elif not walk([(op, av)]):
            return None
    return reach[0], reach[1]


# Characters often told apart only by number: digits of the three scripts we segment.
DIGITS = "".join(map(chr, (*range(0x30, 0x3A), *range(0x660, 0x66A), *range(0x6F0, 0x6FA))))
_QUANTIFIER = regex.compile(r"\{\d*(?:,\d*)?\}")


def equivalent_characters(patterns: list[str], candidates: str = DIGITS) -> dict[str, str]:
    """Characters of ``candidates`` that no pattern tells apart, each mapped to one that
    stands for its kind (``"7" → "0"`` when every pattern treats all ASCII digits alike but
    maybe ``1``). Text differing only by such characters matches the same everywhere, so
    what is worked out for one window serves for the other. Empty when a pattern cannot be
    read character by character here (back-references, named characters)."""
    signatures = {c: [] for c in candidates}
    for pattern in patterns:
        atoms = _atoms(pattern)
        if atoms is None:
            return {}
        for atom in atoms:
            try:
                test = regex.compile(atom).fullmatch
            except regex.error:
                return {}
            for c in candidates:
                signatures[c].append(test(c) is not None)
    first: dict[tuple, str] = {}
    return {c: first.setdefault(tuple(signature), c) for c, signature in signatures.items()}


def _atoms(pattern: str) -> list[str] | None:
    """The parts of ``pattern`` that each match one character (literals, escapes, classes);
    None when the pattern holds syntax this does not read."""
    atoms = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            following = pattern[i + 1 : i + 2]
            if following in ("p", "P"):
                end = pattern.index("}", i) + 1 if pattern[i + 2 : i + 3] == "{" else i + 3
            elif following == "x":
                end = pattern.index("}", i) + 1 if pattern[i + 2 : i + 3] == "{" else i + 4
            elif following == "u":
                end = i + 6
            elif following == "U":
                end = i + 10
            elif following.isdigit() or following in ("N", "g", "k"):
                return None
            else:
                end = i + 2
            atoms.append(pattern[i:end])
            i = end
        elif ch == "[":
            end = i + 1
            if pattern[end : end + 1] == "^":
                end += 1
            if pattern[end : end + 1] == "]":
                end += 1
            while end < len(pattern) and pattern[end] != "]":
                if pattern[end] == "[":
                    return None  # nested sets (regex version 1)
                end += 2 if pattern[end] == "\\" else 1
            atoms.append(pattern[i : end + 1])
            i = end + 1
        elif ch == "{" and (quantifier := _QUANTIFIER.match(pattern, i)):
            i = quantifier.end()
        elif ch == "(":
            if pattern.startswith("(?P=", i):
                return None  # a named back-reference
            i = GROUP_OPENING.match(pattern, i).end()  # capturing or not, it holds atoms
        elif ch in "|)*+?.^$":
            i += 1
        elif ch == "#" or (ch.isspace() and "(?x" in pattern):
            return None  # verbose patterns
        else:
            atoms.append(regex.escape(ch))
            i += 1
    return atoms
