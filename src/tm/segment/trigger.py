"""Finding candidate break positions fast, and what can be told about a rule's patterns
before running them.

A break can only happen where some break rule matches. Searching text for one alternation
of all the rules is slow in Python's regular expression engines (they try every alternative
at every character), so the trigger runs loosened copies of the break rules (look-behinds
dropped, Unicode properties widened) that the standard ``re`` engine, much faster per call
than ``regex``, can run: the candidates are a superset, and the rules decide exactly at
each one. Most break rules end with a mark or a closing quote: one scan finds where such a
character is followed by what one of those rules needs after it. A rule that can end with a
letter, a digit or white space would make most positions candidates that way: it is
searched on its own, and only in paragraphs holding a string it needs (``1.`` for a list).
"""

from __future__ import annotations

import operator
import re
import re._parser as sre_parse
from collections.abc import Iterable

import regex

from tm.segment.source import LOOK_BEHINDS, without_groups

_END = re.Match.end
_PROPERTY = regex.compile(r"\\[pP](?:\{[^}]*\}|\w)")


class Trigger:
    """The candidate positions (ends of break-rule matches) in a text.

    Candidates are a superset: the patterns run here are loosened copies of the rules
    (``loosened``), and the rule chain decides exactly at each candidate.

    Most break rules end with a mark or a closing quote (``[.!?…]``, ``»``): for those, a
    position is a candidate when the character before it is one a match of the rule can
    end with and the rule's ``afterbreak`` (loosened) matches there. One pattern tries them
    all, and the standard engine skips in C to the next character that ends any of them.
    A rule that can end with a letter, a digit or white space (or whose end cannot be told)
    would make most positions candidates that way: it is searched on its own.

    ``ends(text)`` iterates over the matches of that one pattern (their ``end()`` are the
    candidates, in order); ``alone`` holds the others, each with the strings one of which a
    text must hold for it to match (None: none known), a search for what its look-behind
    needs (None: none), its search and finditer, and what gives a match's end.
    """

    def __init__(self, rules: Iterable[tuple[str, str]]):
        """``rules``: (beforebreak, afterbreak) of each break rule."""
        # Rules that end with one of a few characters: {loosened afterbreak: [end characters]}.
        ends: dict[str, list[str]] = {}
        alone = []
        for before, after in dict.fromkeys(rules):
            loose_before = loosened(before) if before else None
            loose_after = loosened(after) if after else ""
            last = last_characters(loose_before) if loose_before else None
            if last is not None and loose_after is not None:
                ends.setdefault(loose_after, []).append(last)
                continue
            exact = before + (f"(?={after})" if after else "") if before else f"(?={after})"
            loose = loosened(exact)
            compiled = re.compile(loose) if loose is not None else regex.compile(exact)
            end = _END if loose is not None else operator.methodcaller("end")
            # A rule that needs a few strings: a search for what its look-behind needs, when
            # the paragraph holds one of them (a scan of each paragraph otherwise: dearer).
            needed = necessary_strings(exact)
            behind = behind_search(exact) if needed else None
            alone.append((needed, behind, compiled.search, compiled.finditer, end))
        self.ends = _nothing
        if ends:
            # Most rules need white space after the mark: tried once for all of them, since
            # most characters found (an apostrophe in a word, a decimal point) have none.
            spaced = [(after, last) for after, last in ends.items() if _starts_with_space(after)]
            others = [(after, last) for after, last in ends.items() if not _starts_with_space(after)]

            def tests(group: list) -> str:
                return "|".join(
                    f"(?<=[{''.join(dict.fromkeys(last))}])" + (f"(?=(?:{after}))" if after else "")
                    for after, last in group
                )

            branches = [f"(?=\\s)(?:{tests(spaced)})"] if spaced else []
            if others:
                branches.append(tests(others))
            every_end = "".join(dict.fromkeys(c for last in ends.values() for c in last))
            self.ends = re.compile(f"[{every_end}](?:{'|'.join(branches)})").finditer
        # Strings one of which a text must hold for a rule searched alone to match there.
        self.alone = tuple(alone)
        self.needed = tuple(dict.fromkeys(s for needed, *_ in alone if needed for s in needed))


def parsed(pattern: str | None, case_sensitive: bool = True) -> sre_parse.SubPattern | None:
    """``pattern`` (for the standard engine: see :func:`widened`) parsed by the standard
    library's parser; None when there is no pattern, when it holds syntax only ``regex``
    knows, or, with ``case_sensitive``, when it ignores case (the characters worked out
    from it would then be wrong)."""
    if pattern is None:
        return None
    try:
        found = sre_parse.parse(pattern)
    except Exception:
        return None
    if case_sensitive and found.state.flags & re.IGNORECASE:
        return None
    return found


def outermost(items: list, case_sensitive: bool = True) -> list:
    """The parsed items of a pattern, out of the groups that hold all of it (``(?:…)``; with
    ``case_sensitive``, not out of one that ignores case)."""
    while len(items) == 1 and str(items[0][0]) == "SUBPATTERN":
        if case_sensitive and items[0][1][1] & re.IGNORECASE:
            break
        items = list(items[0][1][3])
    return items


def _nothing(text: str) -> tuple:
    return ()


def necessary_strings(pattern: str) -> tuple[str, ...] | None:
    """A few short strings one of which is in any text where ``pattern`` can match (``1.``,
    ``a)`` for a list opener, the bullets for a bulleted item), or None when no such set is
    worth testing. Testing them (``in``, at memory speed) is much cheaper than a scan by the
    regular expression engine, and usually shows that a rule cannot match at all."""
    found = parsed(widened(pattern))
    if found is None:
        return None
    best = _required_strings(list(found))
    if not best:
        return None
    # A string holding another is redundant: the shorter one is there too.
    kept = sorted(best, key=len)
    kept = [s for n, s in enumerate(kept) if not any(t in s for t in kept[:n])]
    rare = all(len(s) > 1 or not (s.isalnum() or s.isspace() or s in ".,") for s in kept)
    return tuple(kept) if rare and len(kept) <= _MAX_STRINGS // 2 else None


_MAX_STRINGS = 16


def _required_strings(items: list) -> set[str] | None:
    """A set of strings one of which every match of ``items`` holds (the best found)."""
    best: set[str] | None = None

    def better(found: set[str] | None) -> None:
        nonlocal best
        if found and "" not in found and (best is None or _score(found) > _score(best)):
            best = found

    run: set[str] | None = {""}
    for op, av in items:
        strings = _strings([(op, av)])
        if strings is not None and run is not None:
            product = {a + b for a in run for b in strings}
            run = product if len(product) <= _MAX_STRINGS else strings
        else:
            run = strings if strings is not None else {""}
        better(run)
        name = str(op)
        if name == "ASSERT":
            better(_required_strings(list(av[1])))
        elif name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
            better(_required_strings(list(av[3])))
        elif name in _REPEATS and av[0] >= 1:
            better(_required_strings(list(av[2])))
        elif name == "BRANCH":
            branches = [_required_strings(list(branch)) for branch in av[1]]
            if all(branches):
                better(set().union(*branches))
    return best


def _score(strings: set[str]) -> tuple[int, int]:
    return min(map(len, strings)), -len(strings)


def _strings(items: list) -> set[str] | None:
    """Every string ``items`` can match (look-arounds aside), when few; else None."""
    results = {""}
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        if name == "LITERAL":
            options = {chr(av)}
        elif name == "IN":
            chars = _charset(av)
            options = chars if chars is not None and len(chars) <= _MAX_STRINGS else None
        elif name == "SUBPATTERN":
            options = None if av[1] & re.IGNORECASE else _strings(list(av[3]))
        elif name == "BRANCH":
            branches = [_strings(list(branch)) for branch in av[1]]
            options = None if any(b is None for b in branches) else set().union(*branches)
        elif name in _REPEATS and av[1] <= 3:
            inner = _strings(list(av[2]))
            options = None
            if inner is not None:
                options, power = set(), {""}
                for count in range(av[1] + 1):
                    if count >= av[0]:
                        options |= power
                    power = {a + b for a in power for b in inner}
                    if len(power) > _MAX_STRINGS:
                        return None
        else:
            options = None
        if options is None:
            return None
        results = {a + b for a in results for b in options}
        if len(results) > _MAX_STRINGS:
            return None
    return results


def _starts_with_space(pattern: str) -> bool:
    """Whether every match of ``pattern`` (for the standard engine) starts with white space."""
    found = parsed(pattern, case_sensitive=False)
    items = list(found) if found is not None else []
    while items:
        op, av = items[0]
        name = str(op)
        if name == "SUBPATTERN":
            items = list(av[3])
        elif name in _REPEATS and av[0] >= 1:
            items = list(av[2])
        elif name == "IN":
            return [(str(kind), str(value)) for kind, value in av] == [("CATEGORY", "CATEGORY_SPACE")]
        else:
            return False
    return False


# Characters that are in most texts: a rule that can end with one of them is searched alone.
_COMMON = "aZz0 \t\n\u00a0\u00e9\u0628\u0661"


def last_characters(pattern: str) -> str | None:
    """The inside of a character class (``.!?``) holding every character a match of
    ``pattern`` (a loosened rule, for the standard engine) can end with; None when that
    is not a short list of characters rare in ordinary words."""
    found = parsed(pattern)
    if found is None:
        return None
    (classes,) = _tail(list(found), 1)
    if classes is None or any(c.startswith("[^") for c in classes):
        return None
    inside = "".join(sorted(c[1:-1] if c.startswith("[") else c for c in classes))
    try:
        members = re.compile(f"[{inside}]")
    except re.error:
        return None
    if any(members.match(c) for c in _COMMON):
        return None
    return inside


_LETTER_PROPERTIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "Letter", "Alphabetic", "Arabic", "Latin"}
# Outside a class a property becomes a class holding at least its letters: for \p{Lu}, every
# letter but the ASCII lower-case ones.
_OUTSIDE_CLASS_STAND_INS = {"Lu": "[^\\W\\d_a-z]", "Ll": "[^\\W\\d_A-Z]"}
_NEGATED_CLASS_STAND_INS = {"Ll": "a-z", "Lu": "A-Z", "L": "a-zA-Z", "Arabic": "\\u0600-\\u06ff"}


def loosened(pattern: str) -> str | None:
    """A pattern for the standard engine that matches wherever ``pattern`` does (and maybe
    elsewhere): look-behinds dropped, Unicode properties widened. None when that cannot be
    done safely (the caller then uses the exact pattern with ``regex``)."""
    candidate = widened(without_lookbehinds(pattern))
    if candidate is None:
        return None
    try:
        re.compile(candidate)
    except re.error:
        return None
    return candidate


def widened(pattern: str) -> str | None:
    """``pattern`` with its Unicode properties widened into classes the standard engine
    knows (look-arounds kept); None when that cannot be done safely."""
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
    return "".join(out)


def without_lookbehinds(pattern: str) -> str:
    """``pattern`` with its look-behind assertions removed: it matches wherever the pattern
    does (and maybe elsewhere), with the same extent."""
    return without_groups(pattern, LOOK_BEHINDS)


def required_characters(pattern: str) -> frozenset[str]:
    """Characters that every text matched by ``pattern`` contains (empty when none is sure)."""
    found = parsed(_PROPERTY.sub(r"\\w", pattern))
    return frozenset(_required(list(found))) if found is not None else frozenset()


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


def _charset(items: list) -> set[str] | None:
    """The members of a parsed character class, when it lists them (small ranges at most)."""
    chars: set[str] = set()
    for kind, value in items:
        if str(kind) == "LITERAL":
            chars.add(chr(value))
        elif str(kind) == "RANGE" and value[1] - value[0] < _MAX_STRINGS:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return chars


_ZERO_WIDTH = ("ASSERT", "ASSERT_NOT", "AT")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_CATEGORIES = {
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _tail(items: list, depth: int) -> list[frozenset[str] | None]:
    if depth == 0:
        return []
    items = [item for item in items if str(item[0]) not in _ZERO_WIDTH]
    if not items:
        return [None] * depth
    (op, av), prefix = items[-1], items[:-1]
    name = str(op)
    if name == "LITERAL":
        return [frozenset({re.escape(chr(av))}), *_tail(prefix, depth - 1)]
    if name == "IN":
        cls = _class(av)
        return [None if cls is None else frozenset({cls}), *_tail(prefix, depth - 1)]
    if name == "SUBPATTERN":
        if av[1] & re.IGNORECASE:
            return [None] * depth
        return _tail(prefix + list(av[3]), depth)
    if name == "ATOMIC_GROUP":
        return _tail(prefix + list(av), depth)
    if name == "BRANCH":
        return _union([_tail(prefix + list(branch), depth) for branch in av[1]])
    if name in _REPEATS:
        low, high, inner = av
        inner = list(inner)
        if not inner or inner[0][0] is None:
            return [None] * depth
        copies = range(min(low, depth), min(high, depth) + 1)
        return _union([_tail(prefix + inner * n, depth) for n in copies])
    return [None] * depth


def _union(tails: list[list]) -> list[frozenset[str] | None]:
    merged = []
    for position in zip(*tails, strict=True):
        merged.append(None if any(p is None for p in position) else frozenset().union(*position))
    return merged


def _class(items: list) -> str | None:
    """A character class for the standard engine from a parsed ``[...]``."""
    parts = []
    negate = ""
    for kind, value in items:
        kind = str(kind)
        if kind == "NEGATE":
            negate = "^"
        elif kind == "LITERAL":
            parts.append(re.escape(chr(value)))
        elif kind == "RANGE":
            parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
        elif kind == "CATEGORY" and str(value) in _CATEGORIES:
            parts.append(_CATEGORIES[str(value)])
        else:
            return None
    return f"[{negate}{''.join(parts)}]"


# A repeat longer than this over a class that holds letters and the space can scan a whole
# paragraph at every candidate (an opening quote looked for up to 600 characters back).
_LONG_REPEAT = 50


def scans_far(pattern: str) -> bool:
    """Whether ``pattern`` holds a long repeat that crosses words (``[^"\\n]{0,600}``)."""
    found = parsed(loosened(pattern), case_sensitive=False)
    return found is not None and _scans_far(found)


def _scans_far(items) -> bool:
    return any(
        (str(op) in _REPEATS and av[1] > _LONG_REPEAT and _crosses_words(av[2]))
        or any(map(_scans_far, _inner(op, av)))
        for op, av in items
    )


def _crosses_words(items) -> bool:
    match = _compiled(items).fullmatch
    return match(" ") is not None and match("x") is not None


def _inner(op, av) -> list:
    """The parsed sub-patterns inside one parsed item."""
    name = str(op)
    if name in _REPEATS:
        return [av[2]]
    if name == "SUBPATTERN":
        return [av[3]]
    if name == "ATOMIC_GROUP":
        return [av]
    if name == "BRANCH":
        return list(av[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]
    return []


def presence(pattern: str):
    """A search that finds something in any text holding a match of ``pattern``, in either
    direction (look-behinds run backwards): ``pattern`` loosened, its possessive repeats and
    atomic groups made ordinary ones, which can only match more. None when that cannot be
    built."""
    found = parsed(loosened(pattern), case_sensitive=False)
    if found is None:
        return None
    try:
        _unpossessive(found)
        return _compiled(found).search
    except Exception:
        return None


def behind_search(pattern: str):
    """A search that finds something in any text where ``pattern`` can match, from the
    look-behind every match of it passes (``(?<=(?:^|[.!?]\\s+)1\\.)``: ``1.`` at the start
    or after a sentence end), or None when it has none. An alternative ``^`` is tried apart,
    so that the engine can skip to the characters the other alternatives start with."""
    found = parsed(widened(pattern))
    if found is None:
        return None
    items = outermost(list(found))
    behind = next((av[1] for op, av in items if str(op) == "ASSERT" and av[0] < 0), None)
    if behind is None:
        return None
    _unpossessive(behind)
    inner = list(behind)
    first, rest = (inner[0], inner[1:]) if inner else (None, [])
    while first is not None and str(first[0]) == "SUBPATTERN" and len(first[1][3]) == 1:
        first = next(iter(first[1][3]))
    state = found.state
    try:
        if first is None or str(first[0]) != "BRANCH":
            return _compiled(behind).search
        at_start, elsewhere = [], []
        for branch in first[1][1]:
            head = list(branch)[:1]
            if head and str(head[0][0]) == "AT" and str(head[0][1]) == "AT_BEGINNING":
                at_start.append(_compiled(sre_parse.SubPattern(state, [*list(branch)[1:], *rest])).match)
            else:
                elsewhere.append(branch)
        searches = list(at_start)
        if len(elsewhere) == 1:  # no branch left: the engine can skip to its first character
            searches.append(_compiled(sre_parse.SubPattern(state, [*list(elsewhere[0]), *rest])).search)
        elif elsewhere:
            branched = (sre_parse.BRANCH, (None, elsewhere))
            searches.append(_compiled(sre_parse.SubPattern(state, [branched, *rest])).search)
    except Exception:
        return None
    return lambda text: any(search(text) for search in searches)


def _unpossessive(items) -> None:
    for index, (op, av) in enumerate(list(items)):
        if str(op) == "POSSESSIVE_REPEAT":
            items[index] = (sre_parse.MAX_REPEAT, av)
        elif str(op) == "ATOMIC_GROUP":
            items[index] = (sre_parse.SUBPATTERN, (None, 0, 0, av))
        for inner in _inner(op, av):
            _unpossessive(inner)


def _compiled(tree) -> re.Pattern:
    """A parsed pattern compiled as it is (the standard library's own compiler)."""
    import re._compiler as sre_compile

    return sre_compile.compile(tree)
