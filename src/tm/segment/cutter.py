"""The work done on every paragraph: where to cut it, with what ``Segmenter`` worked out
from the rules once (see the docstring of ``tm/segment/__init__.py`` for how).

This module holds only that loop and what it learns, with exact type hints and nothing but
the standard library, so that ``make`` can compile it with mypyc (about 10 seconds; 1.5
times faster). The compiled copy is a module of its own (``tm.segment._cutter``, built from
this file and stamped with its digest); ``Segmenter`` uses it when it is there and was built
from this very file, and this one otherwise. Both cut exactly alike (tests/test_segment*.py
run with both). Compiled, types are checked at run time: keep the hints exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

# Constants are Final: compiled, they are inlined rather than looked up.
# Invisible bidi controls: transparent to the rules.
BIDI_CONTROLS: Final = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI: Final = re.compile(f"[{BIDI_CONTROLS}]")
_SPACE_RUN: Final = re.compile(r"\s*")
_END: Final = re.Match.end
# How many characters before (at most: the last word) and after a candidate make the window
# that tells which rules can match there.
TAIL: Final = 12
HEAD: Final = 4
# A word this short or shorter (with its space) comes with the character before it.
_SHORT: Final = 5
# The last characters of a tail, tried first (what they rule out is learnt for many tails).
_SUFFIX: Final = 3
# What to do at a candidate when the window around it does not say where to cut (see
# Cutter._cuts): no break, or run the rules that may match (_RUN - their bit mask).
_NO_BREAK: Final = -1
_RUN: Final = -2
_NOTHING: Final[frozenset[str]] = frozenset()

Test = Callable[[str], Any]
# A rule searched on its own (see trigger.py): strings one of which it needs (None: none
# known), a search for what its look-behind needs (None: none), its search and finditer,
# and the end of one of its matches.
Alone = tuple[
    tuple[str, ...] | None,
    Test | None,
    Test,
    Callable[[str], Iterator[Any]],
    Callable[[Any], int],
]


class Learnt:
    """What the segmenters of one list of rules learn on the way (see ``Cutter._cuts``)."""

    def __init__(self) -> None:
        # strings a paragraph holds -> rules that cannot match there
        self.absent: dict[frozenset[str], int] = {}
        # tail -> (rules left out, rules whose beforebreak surely matches)
        self.by_tail: dict[str, tuple[int, int]] = {}
        # head -> (rules left out, rules whose afterbreak surely matches, white space)
        self.by_head: dict[str, tuple[int, int, int]] = {}
        # rules absent -> {window -> what to do}
        self.actions: dict[int, dict[str, int]] = {}
        # rules that may match -> their decision (True, False or a match function)
        self.decisions: dict[int, Any] = {}


class Cutter:
    """Where to cut paragraphs, given what was worked out from a list of rules (the
    arguments are described in ``tm.segment._Plan``; sets of rules are bit masks, bit n
    for rule n). ``decision(left_out)`` compiles what the rules not left out say at a
    position (True, False or a match function); ``learnt`` (a ``Learnt``, maybe of the
    other copy of this module) keeps what is learnt, ``memory`` bounds it."""

    def __init__(
        self,
        *,
        ends: Callable[[str], Iterator[Any]],
        alone: tuple[Alone, ...],
        tested: tuple[str, ...],
        optional: tuple[tuple[int, tuple[tuple[str, ...], ...]], ...],
        far: tuple[tuple[int, Test, Test], ...],
        befores: tuple[tuple[int, Test], ...],
        afters: tuple[tuple[int, Test], ...],
        sure: tuple[tuple[int, Test | None, Test | None], ...],
        same: dict[int, str] | None,
        every: int,
        breaking: int,
        unconditional: int,
        decision: Callable[[int], Any],
        learnt: Any,
        memory: int,
    ) -> None:
        self._ends = ends
        self._alone = alone
        # The rules searched in every paragraph (nothing cheaper tells where they cannot match).
        self._always = tuple(rule for rule in alone if rule[0] is None)
        self._held_ascii = Strings(s for s in tested if s.isascii())
        self._held_bidi = Strings((*tested, *BIDI_CONTROLS))
        self._held = Strings(tested)
        self._optional = optional
        self._far = far
        self._far_mask = sum(bit for bit, _before, _after in far)
        self._befores = befores
        self._afters = afters
        self._sure = sure
        self._same = same
        self._every = every
        self._breaking = breaking
        self._unconditional = unconditional
        self._decision = decision
        self._absent: dict[frozenset[str], int] = learnt.absent
        self._by_tail: dict[str, tuple[int, int]] = learnt.by_tail
        self._by_head: dict[str, tuple[int, int, int]] = learnt.by_head
        self._actions: dict[int, dict[str, int]] = learnt.actions
        self._decisions: dict[int, Any] = learnt.decisions
        self._memory = memory

    def split(self, text: str) -> list[str]:
        """The sentences of ``text``, each with the white space that follows it."""
        if not text:
            return []
        # The strings some rules need (see _compile) and the bidi controls the paragraph
        # holds, looked for at once (in ASCII text, only the ASCII ones can be there).
        if text.isascii():
            cuts = self._cuts(text, self._held_ascii.held(text))
        else:
            present = self._held_bidi.held(text)
            if present.isdisjoint(BIDI_CONTROLS):
                cuts = self._cuts(text, present)
            else:
                cuts = self._cuts_around_bidi(text)
        if not cuts:
            return [text]
        pieces = []
        start = 0
        for cut in cuts:
            pieces.append(text[start:cut])
            start = cut
        pieces.append(text[start:])
        return pieces

    def _more(self, text: str, present: frozenset[str]) -> list[int]:
        """The candidates of the rules searched alone, in no particular order, maybe some
        twice. ``present``: the strings tested that ``text`` holds."""
        found: list[int] = []
        for needed, behind, search, finditer, end in self._alone if present else self._always:
            # Most paragraphs hold no match: cheaper tests say so first (a string it needs,
            # what its look-behind needs), then a search, cheaper than finditer.
            if (
                (needed is None or not present.isdisjoint(needed))
                and (behind is None or behind(text))
                and search(text)
            ):
                found += map(end, finditer(text))
        return found

    def _cuts(self, text: str, present: frozenset[str]) -> list[int]:
        """Where to cut ``text`` (no bidi controls), which holds the strings ``present`` of
        those tested."""
        candidates: list[int] = list(map(_END, self._ends(text)))
        more = self._more(text, present)
        if more:
            candidates += more
        elif not candidates:
            return []
        end = len(text)
        # Rules that look far and need a string the paragraph lacks (a quote, a list's "1.")
        # cannot match: leave them out.
        absent = self._absent.get(present)
        if absent is None:
            absent = 0
            for bit, groups in self._optional:
                if any(present.isdisjoint(group) for group in groups):
                    absent |= bit
            self._absent[present] = absent
        # Rules that scan far on both sides (an opening quote up to 600 characters back, its
        # closing one as far ahead) cost most where they cannot match: leave them out when
        # the paragraph holds nowhere what they need.
        if ~absent & self._far_mask:
            for bit, before, after in self._far:
                if not absent & bit and not (before(text) and after(text)):
                    absent |= bit
        # What to do at a candidate, by the window around it (the last word before it from
        # its space, then HEAD characters): cut after that many white space characters
        # (>= 0), do not cut (_NO_BREAK), or run the rules that may match (below _NO_BREAK).
        actions = self._actions.get(absent)
        if actions is None:
            actions = self._actions[absent] = {}
        cuts: list[int] = []
        last = end - HEAD
        for position in candidates:
            start = position - TAIL if position > TAIL else 0
            space = text.rfind(" ", start, position - 1)
            if space >= 0:
                # A short word (an initial, a list number) with the character before it.
                start = space - 1 if position - space < _SHORT and space else space
            cut: int | None
            if 0 < position <= last:
                window = text[start : position + HEAD]
                action = actions.get(window)
                if action is None:
                    action = self._action(absent, actions, window, position - start)
                if action >= 0:
                    cuts.append(position + action)
                    continue
                if action == _NO_BREAK:
                    continue
                cut = self._cut_at(absent, text, position, start, action)
            elif 0 < position < end:
                cut = self._cut_at(absent, text, position, start, None)
            else:
                continue
            if cut is not None and cut < end:
                cuts.append(cut)
        # Candidates come in order from the trigger's main scan (so do the cuts); the rules
        # searched alone add theirs after, and may land on a cut already made.
        return sorted(set(cuts)) if more else cuts

    def _action(self, absent: int, actions: dict[str, int], window: str, split: int) -> int:
        """What to do at the position ``split`` of ``window`` whatever the text around it,
        in a paragraph where the rules ``absent`` cannot match (see ``_cuts``); learnt.

        The first rule that may match decides when the window shows that it matches;
        otherwise the rules that may match are to run. A window is new far more often than
        its tail or its head (a tail meets many heads): what they tell is looked up apart."""
        if len(actions) > self._memory:
            actions.clear()
        left_out_before, sure_before = self._tail_facts(window[:split])
        left_out_after, sure_after, skip = self._head_facts(window[split:])
        may = self._every & ~(left_out_before | left_out_after | absent)
        if not may:
            action = _NO_BREAK
        else:
            first = may & -may
            if not first & ((sure_before & sure_after) | self._unconditional):
                action = _RUN - may
            elif not first & self._breaking:
                action = _NO_BREAK
            else:
                action = skip if skip >= 0 else _RUN - may
        actions[window] = action
        return action

    def _cut_at(self, absent: int, text: str, position: int, start: int, action: int | None) -> int | None:
        """Where to cut for ``position`` when the window starting at ``start`` did not say
        (``action``, None near the end of the text): the rules that may match are run."""
        if action is None:
            tail, head = text[start:position], text[position : position + HEAD]
            may = self._every & ~(self._tail_facts(tail)[0] | self._head_facts(head)[0] | absent)
        else:
            may = _RUN - action
        decide = self._decisions.get(may)
        if decide is None:
            decide = self._decisions[may] = self._decision(self._every & ~may)
        if decide is True or (decide is not False and decide(text, position) is not None):
            return _SPACE_RUN.match(text, position).end()  # type: ignore[union-attr]
        return None

    def _tail_facts(self, tail: str) -> tuple[int, int]:
        """What the characters before a position tell, whatever comes before them: the
        rules that cannot match there, and those whose beforebreak surely matches (an empty
        one included); learnt. Tails that differ only by characters no rule tells apart
        (digits) tell the same."""
        facts = self._by_tail.get(tail)
        if facts is None:
            if len(self._by_tail) > self._memory:
                self._by_tail.clear()
            same = tail.translate(self._same) if self._same else tail
            if same != tail:
                facts = self._by_tail[tail] = self._tail_facts(same)
                return facts
            # What its last characters rule out, any tail ending with them rules out too.
            left_out = self._tail_facts(tail[-_SUFFIX:])[0] if len(tail) > _SUFFIX else 0
            for bit, can_match in self._befores:
                if not bit & left_out and not can_match(tail):
                    left_out |= bit
            sure = 0
            for bit, before, _after in self._sure:
                if not bit & left_out and (before is None or before(tail)):
                    sure |= bit
            facts = self._by_tail[tail] = left_out, sure
        return facts

    def _head_facts(self, head: str) -> tuple[int, int, int]:
        """What the characters after a position tell, whatever follows them: the rules
        that cannot match there, those whose afterbreak surely matches, and how many white
        space characters start the head (-1 when it is all white space); learnt."""
        facts = self._by_head.get(head)
        if facts is None:
            if len(self._by_head) > self._memory:
                self._by_head.clear()
            same = head.translate(self._same) if self._same else head
            if same != head:
                facts = self._by_head[head] = self._head_facts(same)
                return facts
            left_out = 0
            for bit, can_match in self._afters:
                if not can_match(head):
                    left_out |= bit
            sure = 0
            for bit, _before, after in self._sure:
                if not bit & left_out and (after is None or after(head)):
                    sure |= bit
            skip = len(head) - len(head.lstrip())
            facts = self._by_head[head] = left_out, sure, skip if skip < len(head) else -1
        return facts

    def _cuts_around_bidi(self, text: str) -> list[int]:
        controls = [m.start() for m in _BIDI.finditer(text)]
        visible = _BIDI.sub("", text)
        cuts = []
        # How many controls come before the visible character at a cut; cuts come in
        # order, so the count goes on from the cut before.
        before = 0
        for cut in self._cuts(visible, self._held.held(visible)):
            while before < len(controls) and controls[before] <= cut + before:
                before += 1
            position = cut + before
            # Controls just before the next sentence belong to it, not to the white space.
            while position > 0 and text[position - 1] in BIDI_CONTROLS:
                position -= 1
            cuts.append(position)
        return cuts


class Strings:
    """Which of some strings a text holds, cheaply. A character is looked for at memory
    speed, a longer string costs ten times as much: it is looked for only where the text
    holds its rarest character (``a)`` only where there is a ``)``), and two-character
    strings ending alike (``1.``, ``a.``) are found by one scan for that end. The answer may
    also hold those rarest characters."""

    def __init__(self, strings: Iterable[str]) -> None:
        first: list[str] = []
        gated: dict[str, list[str]] = {}
        pairs: dict[str, list[str]] = {}
        for string in dict.fromkeys(strings):
            rare = [c for c in string if not (c.isalnum() or c.isspace() or c in ".,")]
            if len(string) > 1 and rare:
                gated.setdefault(rare[0], []).append(string)
            elif len(string) == 2:
                pairs.setdefault(string[1], []).append(string[0])
            else:
                first.append(string)
        self._first = tuple(dict.fromkeys((*first, *gated)))
        self._gates = frozenset(gated)
        self._gated = {gate: tuple(strings) for gate, strings in gated.items()}
        # For each last character: a scan for it (memory speed) giving the first characters
        # of the strings found before it.
        self._pairs = tuple(
            (
                re.compile(
                    f"{re.escape(end)}(?<=([{re.escape(''.join(starts))}]){re.escape(end)})", re.S
                ).findall,
                end,
            )
            for end, starts in pairs.items()
        )

    def held(self, text: str) -> frozenset[str]:
        found = [s for s in self._first if s in text]
        for starts, end in self._pairs:
            found += [start + end for start in starts(text)]
        if not found:
            # Most paragraphs: one answer, whose hash is computed once.
            return _NOTHING
        held = frozenset(found)
        if held.isdisjoint(self._gates):
            return held
        return held.union([s for gate in held & self._gates for s in self._gated[gate] if s in text])
