"""Finding candidate break positions fast.

A break can only happen where some break rule's ``beforebreak`` matches. Searching text for
one alternation of all those patterns is slow in Python's regular expression engines (they
try every alternative at every character), so the trigger works out, for each pattern, the
characters a match can start with (``.``, ``!``, ``?``, …), finds those characters with
literal searches (which run at memory speed), and tries the patterns only there. A pattern
whose first characters cannot be told (it starts with ``\\s`` or a letter class) is searched
on its own.
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from collections.abc import Iterable

import regex

_PROPERTY = regex.compile(r"\\[pP](?:\{[^}]*\}|\w)")
_MAX_FIRST = 64


class Trigger:
    """The candidate positions (ends of ``beforebreak`` matches) of a list of break patterns."""

    def __init__(self, patterns: Iterable[str]):
        patterns = list(dict.fromkeys(patterns))
        by_char: dict[str, list[int]] = {}
        self._slow = []
        for number, pattern in enumerate(patterns):
            first = first_characters(pattern)
            if first is None:
                self._slow.append(_fastest_compile(pattern))
            else:
                for char in first:
                    by_char.setdefault(char, []).append(number)
        self._fast = [
            (
                char,
                re.compile(re.escape(char)),
                regex.compile("".join(f"(?=(?P<t{i}>{patterns[n]}))?" for i, n in enumerate(numbers))),
                tuple(f"t{i}" for i in range(len(numbers))),
            )
            for char, numbers in sorted(by_char.items())
        ]

    def candidates(self, text: str) -> set[int]:
        found: set[int] = set()
        for char, finder, patterns, groups in self._fast:
            if char not in text:
                continue
            match = patterns.match
            for hit in finder.finditer(text):
                m = match(text, hit.start())
                for group in groups:
                    position = m.end(group)
                    if position >= 0:
                        found.add(position)
        for pattern in self._slow:
            found.update([m.end() for m in pattern.finditer(text)])
        return found


def _fastest_compile(pattern: str):
    """The standard engine where it understands the pattern (it is faster); regex otherwise."""
    try:
        return re.compile(pattern)
    except re.error:
        return regex.compile(pattern)


def required_characters(pattern: str) -> frozenset[str]:
    """Characters that every text matched by ``pattern`` contains (empty when none is sure)."""
    try:
        parsed = sre_parse.parse(_PROPERTY.sub(r"\\w", pattern))
    except Exception:
        return frozenset()
    if parsed.state.flags & re.IGNORECASE:
        return frozenset()
    return frozenset(_required(list(parsed)))


def _required(items: list) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            found.add(chr(av))
        elif name == "IN" and len(av) == 1 and str(av[0][0]) == "LITERAL":
            found.add(chr(av[0][1]))
        elif name == "ASSERT":
            found |= _required(list(av[1]))
        elif name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
            found |= _required(list(av[3]))
        elif name == "ATOMIC_GROUP":
            found |= _required(list(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            found |= _required(list(av[2]))
        elif name == "BRANCH":
            branches = [_required(list(b)) for b in av[1]]
            found |= set.intersection(*branches) if branches else set()
    return found


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, or None when not a small set."""
    try:
        parsed = sre_parse.parse(_PROPERTY.sub(r"\\w", pattern))
    except Exception:  # syntax only the regex module knows: search it on its own
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    chars, nullable = _first(list(parsed))
    if chars is None or nullable or len(chars) > _MAX_FIRST:
        return None
    return frozenset(chars)


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(first characters, whether the sequence can match the empty string)."""
    found: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            return found | {chr(av)}, False
        if name == "IN":
            chars = _charset(av)
            return (None, False) if chars is None else (found | chars, False)
        if name in ("AT", "ASSERT_NOT"):
            continue
        if name == "ASSERT":
            direction, inner = av
            if direction > 0:
                chars, nullable = _first(list(inner))
                if chars is not None and not nullable:
                    return found | chars, False
            continue
        if name in ("SUBPATTERN", "ATOMIC_GROUP"):
            if name == "SUBPATTERN":
                _group, add_flags, _del_flags, inner = av
                if add_flags & re.IGNORECASE:
                    return None, False
            else:
                inner = av
            chars, nullable = _first(list(inner))
        elif name == "BRANCH":
            chars, nullable = set(), False
            for branch in av[1]:
                branch_chars, branch_nullable = _first(list(branch))
                if branch_chars is None:
                    return None, False
                chars |= branch_chars
                nullable = nullable or branch_nullable
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, inner = av
            chars, nullable = _first(list(inner))
            nullable = nullable or low == 0
        else:
            return None, False
        if chars is None:
            return None, False
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _charset(items: list) -> set[str] | None:
    chars: set[str] = set()
    for kind, value in items:
        if str(kind) == "LITERAL":
            chars.add(chr(value))
        elif str(kind) == "RANGE" and value[1] - value[0] < _MAX_FIRST:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return chars
