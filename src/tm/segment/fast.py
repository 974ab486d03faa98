"""The rules compiled for the standard ``re`` engine: one scan per paragraph finds the breaks.

The SRX rules stay data, written in the ``regex`` dialect; this module derives from them, at
load time, patterns that Python's standard engine runs several times faster, and says where
they cannot decide alone:

- Unicode classes (``\\p{Lu}``, ``\\w``, ``\\s``, ``\\b``) become explicit character classes,
  computed once with ``regex`` itself, so both engines see the same characters.
- A variable-width look-behind (``\\b(?:Mr|Mrs)\\.``, ``(?:\\p{L}\\.){1,10}``) becomes one
  fixed-width look-behind per possible width, the only kind the standard engine runs.
- A rule whose ``beforebreak`` has no such expansion (``\\S{0,300}``, ``[^"]{0,600}+``) is
  *hard*: what it needs at the end of its match (its last characters, its ``afterbreak``) is
  a cheap necessary condition, and where that holds the exact ``regex`` chain decides.

``Scan.breaks`` runs one ``finditer`` per paragraph. At each character a break rule can start
with (a full stop, ``?``, ``!``…), it follows every such break rule's ``beforebreak`` forward,
exactly, to its end *p* and reports *p* only when its ``afterbreak`` matches there and the
rules before it (in file order) do not keep *p* together. Candidates it cannot settle come
back as ``unsure``; the caller decides them with the exact chain.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants
import re._parser as sre_parse
import sys
import warnings
from collections.abc import Sequence

import regex

from tm.segment.srx import Rule
from tm.segment.trigger import first_characters, loosened

# How many distinct widths a look-behind may expand into before it counts as hard.
MAX_WIDTHS = 24
# A look-behind longer than this (in pattern characters) is cut short: a looser condition.
MAX_TEXT = 30_000
# Repeats up to this count are expanded one count at a time.
MAX_EXPANDED_REPEAT = 16


class Untranslatable(Exception):
    """A pattern the standard engine cannot run with the same meaning."""


# -- Unicode classes as the regex module sees them -------------------------------------------


@functools.cache
def _every_character() -> str:
    return "".join(map(chr, range(sys.maxunicode + 1)))


@functools.cache
def class_contents(expression: str) -> str:
    """The inside of a ``[...]`` class holding exactly the characters ``regex`` matches with
    the one-character ``expression`` (``\\w``, ``\\p{Lu}``…)."""
    parts = []
    for run in regex.finditer(f"(?:{expression})+", _every_character()):
        first, last = ord(run.group()[0]), ord(run.group()[-1])
        parts.append(_escape(first) if first == last else f"{_escape(first)}-{_escape(last)}")
    return "".join(parts)


_SPECIAL = frozenset("\\[]^-.$*+?{}()|&~#")


def _escape(code: int) -> str:
    """A character for a pattern: itself when it is plain, else an escape."""
    char = chr(code)
    if char in _SPECIAL:
        return "\\" + char
    if char.isprintable() and not char.isspace() and not 0xD800 <= code < 0xE000:
        return char
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


_PROPERTY = regex.compile(r"\\([pP])(\{[^}]*\}|\w)")
_CLASS_ESCAPES = "wWdDsS"
_PLAIN_ESCAPES = set("AZntrfvaux0") | {c for c in map(chr, range(128)) if not c.isalnum()}


def translate(pattern: str) -> str:
    """``pattern`` (regex dialect) in the standard engine's syntax, with the same meaning."""
    out = []
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt in ("p", "P"):
                match = _PROPERTY.match(pattern, i)
                if match is None:
                    raise Untranslatable(pattern)
                contents = class_contents(match.group())
                out.append(contents if in_class else f"[{contents}]")
                i = match.end()
                continue
            if nxt and nxt in _CLASS_ESCAPES:
                contents = class_contents("\\" + nxt)
                out.append(contents if in_class else f"[{contents}]")
            elif nxt in ("b", "B") and not in_class:
                word = "[" + class_contents(r"\w") + "]"
                if nxt == "b":
                    out.append(f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))")
                else:
                    out.append(f"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))")
            elif nxt in _PLAIN_ESCAPES:
                out.append(pattern[i : i + 2])
            else:
                raise Untranslatable(pattern)
            i += 2
            continue
        if in_class:
            if ch == "[":
                raise Untranslatable(pattern)  # nested sets mean something else in regex V1
            if ch == "]" and not (pattern[i - 1] == "[" or pattern[i - 2 : i] == "[^"):
                in_class = False
        elif ch == "[":
            in_class = True
        elif ch == "(" and pattern[i + 1 : i + 2] == "?" and pattern[i + 2 : i + 3].isalpha():
            raise Untranslatable(pattern)  # inline flags: case folding differs between engines
        out.append(ch)
        i += 1
    translated = "".join(out)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            sre_parse.parse(translated)
        except (re.error, FutureWarning, RecursionError, OverflowError) as exc:
            raise Untranslatable(pattern) from exc
    return translated


# -- From the parsed pattern back to text, look-behinds made fixed-width ---------------------

_AT = {
    sre_constants.AT_BEGINNING: "^",
    sre_constants.AT_BEGINNING_STRING: r"\A",
    sre_constants.AT_END: "$",
    sre_constants.AT_END_STRING: r"\Z",
}
_REPEATS = {
    sre_constants.MAX_REPEAT: "",
    sre_constants.MIN_REPEAT: "?",
    sre_constants.POSSESSIVE_REPEAT: "+",
}


def emit(items) -> str:
    """Parsed items as pattern text; every look-behind becomes fixed-width ones."""
    return "".join(_emit_one(op, av) for op, av in items)


def _emit_one(op, av) -> str:
    if op is sre_constants.LITERAL:
        return _escape(av)
    if op is sre_constants.NOT_LITERAL:
        return f"[^{_escape(av)}]"
    if op is sre_constants.ANY:
        return "."
    if op is sre_constants.IN:
        return _emit_class(av)
    if op is sre_constants.AT and av in _AT:
        return _AT[av]
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        if add_flags or del_flags:
            raise Untranslatable("inline flags")
        return f"(?:{emit(inner)})"
    if op is sre_constants.ATOMIC_GROUP:
        return f"(?>{emit(av)})"
    if op is sre_constants.BRANCH:
        return "(?:" + "|".join(emit(branch) for branch in av[1]) + ")"
    if op in _REPEATS:
        low, high, inner = av
        count = f"{{{low},}}" if high == sre_constants.MAXREPEAT else f"{{{low},{high}}}"
        return f"(?:{emit(inner)}){count}{_REPEATS[op]}"
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        direction, inner = av
        positive = op is sre_constants.ASSERT
        if direction > 0:
            return f"(?={emit(inner)})" if positive else f"(?!{emit(inner)})"
        by_width, exact = widths(list(inner))
        if not exact:
            raise Untranslatable("look-behind without a fixed-width expansion")
        return lookbehind(by_width, positive)
    raise Untranslatable(str(op))


def _emit_class(items) -> str:
    parts = []
    for kind, value in items:
        if kind is sre_constants.NEGATE:
            parts.insert(0, "^")
        elif kind is sre_constants.LITERAL:
            parts.append(_escape(value))
        elif kind is sre_constants.RANGE:
            parts.append(f"{_escape(value[0])}-{_escape(value[1])}")
        else:
            raise Untranslatable(str(kind))
    return f"[{''.join(parts)}]"


def lookbehind(by_width: dict[int, str], positive: bool = True) -> str:
    """A look-behind per width: any of them (positive) or none of them (negative)."""
    if positive:
        if by_width.get(0) == "":
            return ""
        return "(?:" + "|".join(f"(?<={text})" for _width, text in sorted(by_width.items())) + ")"
    if not by_width:
        return ""
    if by_width.get(0) == "":
        return "(?!)"
    return "".join(f"(?<!{text})" for _width, text in sorted(by_width.items()))


# -- What a beforebreak can end with, width by width ------------------------------------------
#
# A sequence is worked from its end: ``open`` maps a width to the (alternative) texts that
# match the last characters so far exactly; ``closed`` holds texts after which nothing more to
# the left is required (a long repeat cut short). Texts in ``closed`` make a necessary
# condition, not an exact one.


def _alternatives(texts: Sequence[str]) -> str:
    unique = list(dict.fromkeys(texts))
    return unique[0] if len(unique) == 1 else "(?:" + "|".join(unique) + ")"


def _join(a: dict[int, list[str]], b: dict[int, list[str]]) -> dict[int, list[str]]:
    """Every text of ``a`` followed by every text of ``b``, by total width."""
    joined: dict[int, list[str]] = {}
    for wa, ta in a.items():
        left = _alternatives(ta)
        for wb, tb in b.items():
            joined.setdefault(wa + wb, []).append(left + _alternatives(tb))
    return joined


def _size(texts_by_width: dict[int, list[str]]) -> int:
    return sum(len(t) for texts in texts_by_width.values() for t in texts)


def _merge(*maps: dict[int, list[str]]) -> dict[int, list[str]]:
    merged: dict[int, dict[str, None]] = {}
    for m in maps:
        for width, texts in m.items():
            merged.setdefault(width, {}).update(dict.fromkeys(texts))
    return {width: list(texts) for width, texts in merged.items()}


def widths(items: list) -> tuple[dict[int, str], bool]:
    """The texts that the end of a match of ``items`` matches, by width, and whether they are
    exact (else they are only a necessary condition)."""
    state = _Widths()
    open_, closed = state.sequence(items)
    merged = _merge(open_, closed)
    return {w: _alternatives(t) for w, t in merged.items()}, state.exact and not closed


class _Widths:
    def __init__(self):
        self.exact = True

    def sequence(self, items: list) -> tuple[dict, dict]:
        open_: dict[int, list[str]] = {0: [""]}
        closed: dict[int, list[str]] = {}
        for op, av in reversed(items):
            item_open, item_closed = self.item(op, av)
            joined_open = _join(item_open, open_)
            joined_closed = _join(item_closed, open_)
            if len(joined_open) > MAX_WIDTHS or _size(joined_open) + _size(joined_closed) > MAX_TEXT:
                # Too many alternatives: what is known so far is the condition (a looser one).
                if open_ != {0: [""]} or closed:
                    return {}, _merge(closed, open_)
                self.exact = False  # this item alone: its own (already cut) condition
                return {}, _merge(joined_open, joined_closed)
            closed = _merge(closed, joined_closed)
            open_ = joined_open
            if not open_:
                break
        return open_, closed

    def item(self, op, av) -> tuple[dict, dict]:
        if op in (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY, sre_constants.IN):
            return {1: [_emit_one(op, av)]}, {}
        if op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            try:
                return {0: [_emit_one(op, av)]}, {}
            except Untranslatable:
                self.exact = False  # left out: the condition only gets looser
                return {0: [""]}, {}
        if op is sre_constants.SUBPATTERN:
            if av[1] or av[2]:
                raise Untranslatable("inline flags")
            return self.sequence(list(av[3]))
        if op is sre_constants.ATOMIC_GROUP:
            self.exact = False  # read as a plain group: it matches at least as much
            return self.sequence(list(av))
        if op is sre_constants.BRANCH:
            opens, closeds = zip(*(self.sequence(list(branch)) for branch in av[1]), strict=True)
            return _merge(*opens), _merge(*closeds)
        if op in _REPEATS:
            low, high, inner = av
            if op is sre_constants.POSSESSIVE_REPEAT:
                self.exact = False  # read as a greedy repeat: it matches at least as much
            inner = list(inner)
            inner_open, inner_closed = self.sequence(inner)
            if high <= MAX_EXPANDED_REPEAT and len(inner_open) == 1 and not inner_closed:
                # One width inside: one text per count, the copies written as a count.
                ((width, texts),) = inner_open.items()
                text = _alternatives(texts)
                counted = {0: "", 1: text}
                return {
                    width * count: [counted.get(count, f"(?:{text}){{{count}}}")] for count in range(low, high + 1)
                }, {}
            if high <= MAX_EXPANDED_REPEAT:
                parts = [self.sequence(inner * count) for count in range(low, high + 1)]
                return _merge(*(p[0] for p in parts)), _merge(*(p[1] for p in parts))
            # A long repeat: shorter counts exactly, then "at least this many" cut short.
            least = max(low, 1)
            if least > MAX_EXPANDED_REPEAT:
                return {}, self.sequence(inner)[0] or {0: [""]}
            parts = [self.sequence(inner * count) for count in range(low, least)]
            cut_open, cut_closed = self.sequence(inner * least)
            return _merge(*(p[0] for p in parts)), _merge(*(p[1] for p in parts), cut_open, cut_closed)
        raise Untranslatable(str(op))


# -- The rules as standard-engine tests -----------------------------------------------------


class _Compiled:
    """One rule for the standard engine: its exact test at a position, or (hard rule) a
    condition that holds wherever it can match."""

    def __init__(self, rule: Rule):
        self.breaks = rule.breaks
        self.exact: str | None = None
        ahead, ahead_exact = "", True
        if rule.after:
            try:
                ahead = f"(?={emit(sre_parse.parse(translate(rule.after)))})"
            except Untranslatable:
                ahead_exact = False
        behind, behind_exact = "", True
        if rule.before:
            try:
                by_width, behind_exact = widths(list(sre_parse.parse(translate(rule.before))))
                behind = lookbehind(by_width)
            except Untranslatable:
                behind_exact = False
        self.necessary = ahead + behind
        if ahead_exact and behind_exact:
            self.exact = self.necessary


def _chain(tests: list[tuple[bool, str]]) -> str:
    """A pattern that matches where the tests, in order, say break or where none matches."""
    chain = ""
    blocks: list[tuple[bool, list[str]]] = []
    for breaks, test in tests:
        if not blocks or blocks[-1][0] != breaks:
            blocks.append((breaks, []))
        blocks[-1][1].append(test)
    for breaks, block in reversed(blocks):
        if "" in block:
            chain = "" if breaks else "(?!)"
        elif breaks:
            chain = "" if chain == "" else "(?:" + "|".join(block) + f"|{chain})"
        else:
            chain = f"(?!{'|'.join(block)}){chain}"
    return chain


class Scan:
    """The break positions of a paragraph for one list of rules (see the module's docstring)."""

    def __init__(self, rules: Sequence[Rule], scoped):
        compiled = [_Compiled(rule) for rule in rules]
        last_keep = max((n for n, r in enumerate(rules) if not r.breaks), default=-1)
        # Hard rules the chains leave out; where one of them may match, the exact chain decides.
        # A hard break rule after the last no-break rule changes nothing: leaving it out of a
        # chain that ends in "break" gives the same answer.
        hard = [c.necessary for n, c in enumerate(compiled) if c.exact is None and (not c.breaks or n < last_keep)]
        self.unsure = re.compile("|".join(hard)).match if hard else None
        # At the end of a break rule's match (so that rule matches there), the easy rules in
        # order decide; when none of them matches, a hard break rule does (the one that
        # matched, or one before it): break. Where a hard rule may match, the caller decides.
        keep = _chain([(c.breaks, c.exact) for c in compiled if c.exact is not None])
        if hard and keep:
            keep = f"(?:(?={'|'.join(hard)})|{keep})"
        # Per character a break rule can start with: (group of the rule's test, the test).
        by_char: dict[str, list[int]] = {}
        bodies: list[str] = []
        self._loose: set[int] = set()  # groups whose ends the exact chain must decide
        self.slow: list = []  # break rules searched on their own, decided exactly
        for number, rule in enumerate(rules):
            if not rule.breaks:
                continue
            before = scoped(rule.before) if rule.before else ""
            after = scoped(rule.after) if rule.after else ""
            exact = before + (f"(?={after})" if after else "") if before else f"(?={after})"
            first = first_characters(exact)
            loose = loosened(exact)
            if first is None or loose is None:
                self.slow.append(re.compile(loose) if loose is not None else regex.compile(exact))
                continue
            try:
                test = emit(sre_parse.parse(translate(exact)))
            except Untranslatable:
                test = loose
                self._loose.add(len(bodies) + 1)
            else:
                test += keep
            bodies.append(test)
            for char in first:
                by_char.setdefault(char, []).append(len(bodies))
        # One alternative per starting character: the character, then (looking back at it)
        # each test that can start with it, in its own optional group so that none hides
        # another. The alternative fails unless one test matched: most characters cost no
        # Python at all.
        # Characters that start the same tests share one alternative: the character, then
        # (looking back at it) each test in its own optional group, so that none hides
        # another; a conditional fails the alternative unless one test matched, so that most
        # characters cost no Python at all.
        chars_of: dict[tuple[int, ...], list[str]] = {}
        for char, numbers in by_char.items():
            chars_of.setdefault(tuple(numbers), []).append(char)
        alternatives = []
        self._group_test: list[int] = []  # scan group number - 1 -> test number
        for numbers, chars in sorted(chars_of.items()):
            first_group = len(self._group_test) + 1
            each = "".join(f"(?:(?<=(?=({bodies[n - 1]})).))?" for n in numbers)
            self._group_test.extend(numbers)
            anyone = "(?!)"
            for group in reversed(range(first_group, first_group + len(numbers))):
                anyone = f"(?({group})|{anyone})"
            chars_class = "[" + "".join(_escape(ord(c)) for c in sorted(chars)) + "]"
            alternatives.append(f"{chars_class}{each}{anyone}")
        self._scan = re.compile("|".join(alternatives)) if alternatives else None

    def breaks(self, text: str) -> tuple[set[int], set[int]]:
        """(sure breaks, candidates the exact chain must decide)."""
        sure: set[int] = set()
        unsure: set[int] = set()
        if self._scan is not None:
            loose = self._loose
            tests = self._group_test
            for match in self._scan.finditer(text):
                for number, (start, end) in enumerate(match.regs[1:]):
                    if start >= 0:
                        if loose and tests[number] in loose:
                            unsure.add(end)
                        else:
                            sure.add(end)
        for pattern in self.slow:
            unsure.update(m.end() for m in pattern.finditer(text))
        if self.unsure is not None and sure:
            check = self.unsure
            doubtful = {p for p in sure if check(text, p)}
            sure -= doubtful
            unsure |= doubtful
        return sure, unsure - sure
