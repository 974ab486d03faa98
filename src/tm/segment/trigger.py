"""Finding candidate break positions fast, and what can be told about a rule's patterns
before running them.

A break can only happen where some break rule matches. Searching text for one alternation
of all the rules is slow in Python's regular expression engines (they try every alternative
at every character), so the trigger works out, for each rule, the characters a match can
start with (``.``, ``!``, ``?``, …), finds those characters with literal searches (which run
at memory speed), and tries the rule only there. It runs a loosened copy of each rule
(look-behinds dropped, Unicode properties widened) so that the standard ``re`` engine, much
faster per call than ``regex``, can run it: the candidates are a superset, and the rule
chain decides exactly at each one. A rule whose first characters cannot be told (it starts
with ``\\s`` or a letter class) is searched on its own.
"""

from __future__ import annotations

import re
import re._parser as sre_parse
from collections.abc import Iterable

import regex

_PROPERTY = regex.compile(r"\\[pP](?:\{[^}]*\}|\w)")
_MAX_FIRST = 64


class Trigger:
    """The candidate positions (ends of ``beforebreak`` matches) of a list of break patterns.

    Candidates are a superset: look-behind assertions are left out of the patterns used here
    (the rule chain checks them at each candidate), which lets the standard engine, faster
    than ``regex``, run most of them.
    """

    def __init__(self, rules: Iterable[tuple[str, str]]):
        """``rules``: (beforebreak, afterbreak) of each break rule."""
        by_char: dict[str, list] = {}
        self._slow = []
        for before, after in dict.fromkeys(rules):
            exact = before + (f"(?={after})" if after else "") if before else f"(?={after})"
            loose = loosened(exact)
            pattern = re.compile(loose) if loose is not None else regex.compile(exact)
            first = first_characters(exact)
            if first is None:
                self._slow.append(pattern)
            else:
                for char in first:
                    if pattern not in by_char.setdefault(char, []):
                        by_char[char].append(pattern)
        self._fast = [
            (char, re.compile(re.escape(char)), tuple(patterns)) for char, patterns in sorted(by_char.items())
        ]

    def candidates(self, text: str) -> set[int]:
        found: set[int] = set()
        for char, finder, patterns in self._fast:
            if char not in text:
                continue
            for hit in finder.finditer(text):
                start = hit.start()
                for pattern in patterns:
                    m = pattern.match(text, start)
                    if m is not None:
                        found.add(m.end())
        for pattern in self._slow:
            found.update([m.end() for m in pattern.finditer(text)])
        return found


_LETTER_PROPERTIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "Letter", "Alphabetic", "Arabic", "Latin"}
# Outside a class a property becomes a class holding at least its letters: for \p{Lu}, every
# letter but the ASCII lower-case ones.
_OUTSIDE_CLASS_STAND_INS = {"Lu": "[^\\W\\d_a-z]", "Ll": "[^\\W\\d_A-Z]"}
_NEGATED_CLASS_STAND_INS = {"Ll": "a-z", "Lu": "A-Z", "L": "a-zA-Z", "Arabic": "\\u0600-\\u06ff"}


def loosened(pattern: str) -> str | None:
    """A pattern for the standard engine that matches wherever ``pattern`` does (and maybe
    elsewhere): look-behinds dropped, Unicode properties widened. None when that cannot be
    done safely (the caller then uses the exact pattern with ``regex``)."""
    pattern = without_lookbehinds(pattern)
    out = []
    i = 0
    in_class = negated = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and pattern[i + 1 : i + 2] in ("p", "P"):
            match = _PROPERTY.match(pattern, i)
            if match is None:
                return None
            name = match.group()[3:-1] if "{" in match.group() else match.group()[2:]
            name = name.split("=")[-1]
            if pattern[i + 1] == "P" or (name not in _LETTER_PROPERTIES and not negated):
                return None
            if not in_class:
                out.append(_OUTSIDE_CLASS_STAND_INS.get(name, "[^\\W\\d_]"))
            elif negated:
                out.append(_NEGATED_CLASS_STAND_INS.get(name, ""))
            else:
                out.append("\\w")
            i = match.end()
            continue
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]" and not (pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"):
                in_class = False
        elif ch == "[":
            in_class = True
            negated = pattern[i + 1 : i + 2] == "^"
        out.append(ch)
        i += 1
    candidate = "".join(out)
    try:
        re.compile(candidate)
    except re.error:
        return None
    return candidate


def without_lookbehinds(pattern: str) -> str:
    """``pattern`` with its look-behind assertions removed: it matches wherever the pattern
    does (and maybe elsewhere), with the same extent."""
    out = []
    i = 0
    depth_skip = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if not depth_skip:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                if not depth_skip:
                    out.append(pattern[i : i + (2 if pattern[i + 1] == "]" else 3)])
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif ch == "(":
            if depth_skip:
                depth_skip += 1
            elif pattern.startswith(("(?<=", "(?<!"), i):
                depth_skip = 1
                i += 4
                continue
        elif ch == ")" and depth_skip:
            depth_skip -= 1
            i += 1
            continue
        if not depth_skip:
            out.append(ch)
        i += 1
    return "".join(out)


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


def last_characters(pattern: str) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """The characters a match of ``pattern`` can end with, and those it can have just before
    its last one; None where that cannot be told (broad classes, nested groups)."""
    try:
        parsed = sre_parse.parse(_PROPERTY.sub(r"\\w", pattern))
    except Exception:
        return None, None
    if parsed.state.flags & re.IGNORECASE:
        return None, None
    items = [item for item in parsed if str(item[0]) not in ("ASSERT", "ASSERT_NOT", "AT")]
    if not items:
        return None, None
    last, second = _last(items)
    return (
        frozenset(last) if last is not None else None,
        frozenset(second) if second is not None else None,
    )


def _last(items: list) -> tuple[set[str] | None, set[str] | None]:
    """(possible last characters, possible second-to-last characters) of a sequence."""
    op, av = items[-1]
    name = str(op)
    single = None
    if name == "LITERAL":
        single = {chr(av)}
    elif name == "IN":
        single = _charset(av)
    if single is not None:
        rest = [item for item in items[:-1] if str(item[0]) not in ("ASSERT", "ASSERT_NOT", "AT")]
        if not rest:
            return single, None
        before, _ = _last(rest)
        return single, before
    if name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
        inner = [item for item in av[3] if str(item[0]) not in ("ASSERT", "ASSERT_NOT", "AT")]
        if inner:
            last, second = _last(inner)
            return last, second if len(inner) > 1 or second is not None else None
        return None, None
    if name == "BRANCH":
        lasts: set[str] = set()
        seconds: set[str] | None = set()
        for branch in av[1]:
            branch = [item for item in branch if str(item[0]) not in ("ASSERT", "ASSERT_NOT", "AT")]
            if not branch:
                return None, None
            last, second = _last(branch)
            if last is None:
                return None, None
            lasts |= last
            seconds = None if second is None or seconds is None else seconds | second
        return lasts, seconds
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        inner = [item for item in av[2] if str(item[0]) not in ("ASSERT", "ASSERT_NOT", "AT")]
        if inner:
            last, _ = _last(inner)
            return last, None
    return None, None
