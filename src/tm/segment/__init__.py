"""Sentence segmentation for Arabic, English and French, driven by SRX 2.0 rules files.

``Segmenter.split`` cuts a paragraph into sentences without losing a character: the pieces
joined give back the paragraph, and the white space between sentences stays at the end of
the piece before it.

How a paragraph is cut (SRX semantics: at each position the first rule whose
``beforebreak`` matches the text ending there and whose ``afterbreak`` matches the text
starting there decides, break or no break):

1. Invisible bidi controls are set aside, so that they never change the result.
2. Candidate positions come from the break rules alone (``trigger.py``): one scan of the
   paragraph for the rules that end with a mark or a closing quote, and a search of its own
   for each other break rule, run only when the paragraph holds a string it needs.
3. Rules that look far (a quotation, a list) and need a string the paragraph lacks (a
   quote, a list's ``1.``) cannot match anywhere in it and are left out.
4. At each candidate the window around it (the last word before it, the next four
   characters) tells which rules cannot match there and which surely match
   (``exclusion.py``); when the first rule that may match surely matches, it decides,
   otherwise one compiled chain of look-ahead/look-behind tests applies the rules that may
   match, in file order. What a window tells is learnt once, from what its tail and its
   head tell, each learnt once: tails (heads) that differ only by characters no rule tells
   apart (digits, mostly) count as one.
5. A break moves past the white space that follows it, so the white space ends the sentence.

tests/test_segment.py checks that this gives exactly what the rules applied at every
position give.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import regex

from tm.errors import RulesError
from tm.segment.exclusion import after_sure, after_test, before_sure, before_test, equivalent_characters
from tm.segment.srx import Rule, RulesFile, read_srx
from tm.segment.trigger import _END, Trigger, necessary_strings, presence, required_characters, scans_far

# Invisible bidi controls: transparent to the rules.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_SPACE_RUN = re.compile(r"\s*")
_LEADING_FLAGS = re.compile(r"^\(\?([a-zA-Z]+)\)")
_OVERRIDE_KEYS = ("abbreviations", "no_break", "rules")
# How many characters before (at most: the last word) and after a candidate make the window
# that tells which rules can match there.
TAIL = 12
HEAD = 4
# A word this short or shorter (with its space) comes with the character before it.
_SHORT = 5
# The last characters of a tail, tried first (what they rule out is learnt for many tails).
_SUFFIX = 3
# What to do at a candidate when the window around it does not say where to cut (see
# Segmenter._cuts): no break, or run the rules that may match (_RUN - their bit mask).
_NO_BREAK = -1
_RUN = -2
# How many tails, heads and windows are remembered, at most (bounded memory on endless input).
_MEMORY = 100_000


class Segmenter:
    """Splits paragraphs of one language into sentences with a list of SRX rules.

    ``warnings`` says what the caller should tell the user (for instance that a language
    has no rules of its own and the default rules are used); the segmenter never prints.
    """

    def __init__(self, lang: str, rules: Sequence[Rule], warnings: Iterable[str] = ()):
        self.lang = lang
        self.rules = tuple(rules)
        self.warnings = tuple(warnings)
        plan = _compile(self.rules)
        self._trigger, self._optional, self._far = plan.trigger, plan.optional, plan.far
        self._ends = plan.trigger.ends
        self._befores, self._afters, self._sure = plan.befores, plan.afters, plan.sure
        self._held_ascii = _Strings(s for s in plan.tested if s.isascii()).held
        self._held_bidi = _Strings((*plan.tested, *BIDI_CONTROLS)).held
        self._held = _Strings(plan.tested).held
        self._same = plan.same
        # Sets of rules are bit masks (bit n: rule n).
        self._every = (1 << len(self.rules)) - 1
        self._far_mask = sum(bit for bit, _before, _after in plan.far)
        self._breaking = sum(1 << n for n, rule in enumerate(self.rules) if rule.breaks)
        self._unconditional = sum(
            1 << n for n, rule in enumerate(self.rules) if not (rule.before or rule.after)
        )
        # What was learnt on the way, shared by every segmenter of these rules.
        learnt = _learnt(self.rules)
        self._absent, self._by_tail, self._by_head = learnt.absent, learnt.by_tail, learnt.by_head
        self._actions, self._decisions = learnt.actions, learnt.decisions

    def split(self, text: str) -> list[str]:
        """The sentences of ``text``, each with the white space that follows it."""
        if not text:
            return []
        # The strings some rules need (see _compile) and the bidi controls the paragraph
        # holds, looked for at once (in ASCII text, only the ASCII ones can be there).
        if text.isascii():
            cuts = self._cuts(text, self._held_ascii(text))
        else:
            present = self._held_bidi(text)
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

    def _cuts(self, text: str, present: frozenset[str]) -> list[int]:
        """Where to cut ``text`` (no bidi controls), which holds the strings ``present`` of
        those tested."""
        candidates = list(map(_END, self._ends(text)))
        more = self._trigger.more(text, present)
        if more:
            candidates += more
        elif not candidates:
            return []
        end = len(text)
        # Sets of rules are bit masks (bit n: rule n). Rules that look far and need a string
        # the paragraph lacks (a quote, a list's "1.") cannot match: leave them out.
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
        add, known, rfind = cuts.append, actions.get, text.rfind
        last = end - HEAD
        for position in candidates:
            start = position - TAIL if position > TAIL else 0
            space = rfind(" ", start, position - 1)
            if space >= 0:
                # A short word (an initial, a list number) with the character before it.
                start = space - 1 if position - space < _SHORT and space else space
            if 0 < position <= last:
                window = text[start : position + HEAD]
                action = known(window)
                if action is None:
                    action = self._action(absent, actions, window, position - start)
                if action >= 0:
                    add(position + action)
                    continue
                if action == _NO_BREAK:
                    continue
                cut = self._cut_at(absent, text, position, start, action)
            elif 0 < position < end:
                cut = self._cut_at(absent, text, position, start, None)
            else:
                continue
            if cut is not None and cut < end:
                add(cut)
        # Candidates come in order from the trigger's main scan (so do the cuts); the rules
        # searched alone add theirs after, and may land on a cut already made.
        return sorted(set(cuts)) if more else cuts

    def _action(self, absent: int, actions: dict, window: str, split: int) -> int:
        """What to do at the position ``split`` of ``window`` whatever the text around it,
        in a paragraph where the rules ``absent`` cannot match (see ``_cuts``); learnt.

        The first rule that may match decides when the window shows that it matches;
        otherwise the rules that may match are to run. A window is new far more often than
        its tail or its head (a tail meets many heads): what they tell is looked up apart."""
        if len(actions) > _MEMORY:
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
        decide = self._decision(may)
        if decide is True or (decide is not False and decide(text, position) is not None):
            return _SPACE_RUN.match(text, position).end()
        return None

    def _decision(self, may: int):
        """The decision of the rules in ``may`` (see ``_decision``), compiled once."""
        decide = self._decisions.get(may)
        if decide is None:
            decide = self._decisions[may] = _decision(self.rules, self._every & ~may)
        return decide

    def _tail_facts(self, tail: str) -> tuple[int, int]:
        """What the characters before a position tell, whatever comes before them: the
        rules that cannot match there, and those whose beforebreak surely matches (an empty
        one included); learnt. Tails that differ only by characters no rule tells apart
        (digits) tell the same."""
        facts = self._by_tail.get(tail)
        if facts is None:
            if len(self._by_tail) > _MEMORY:
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
            if len(self._by_head) > _MEMORY:
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
        for cut in self._cuts(visible, self._held(visible)):
            # The visible character at ``cut`` comes after the controls before it.
            position = cut
            for control in controls:
                if control > position:
                    break
                position += 1
            # Controls just before the next sentence belong to it, not to the white space.
            while position > 0 and text[position - 1] in BIDI_CONTROLS:
                position -= 1
            cuts.append(position)
        return cuts


class _Strings:
    """Which of some strings a text holds, cheaply. A character is looked for at memory
    speed, a longer string costs ten times as much: it is looked for only where the text
    holds its rarest character (``a)`` only where there is a ``)``), and two-character
    strings ending alike (``1.``, ``a.``) are found by one scan for that end. The answer may
    also hold those rarest characters."""

    def __init__(self, strings: Iterable[str]):
        first, gated, pairs = [], {}, {}
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
        found = frozenset(filter(text.__contains__, self._first))
        for starts, end in self._pairs:
            pairs = starts(text)
            if pairs:
                found = found.union([start + end for start in pairs])
        if found.isdisjoint(self._gates):
            return found
        more = [s for gate in found & self._gates for s in self._gated[gate] if s in text]
        return found.union(more)


def segmenter_for(lang: str, overrides: Mapping | None = None, rules: str | Path | None = None) -> Segmenter:
    """The segmenter for ``lang``: the shipped rules, or a whole SRX file of the office's own
    (``rules``, else ``rules = "…"`` in tm.toml), with the workspace's additions from
    ``[segmentation.<lang>]`` (``abbreviations``, ``no_break``) tried first.

    A language without rules gets the default rules, and the segmenter carries a warning.
    """
    primary = re.split(r"[-_]", lang, maxsplit=1)[0].lower()
    overrides = overrides or {}
    table = overrides.get(lang) or overrides.get(primary) or {}
    if not isinstance(table, Mapping):
        raise RulesError(f"[segmentation.{lang}] must be a table", "tm.toml")
    unknown = sorted(set(table) - set(_OVERRIDE_KEYS))
    if unknown:
        raise RulesError(
            f"[segmentation.{lang}]: unknown setting '{unknown[0]}' (known: {', '.join(_OVERRIDE_KEYS)})",
            "tm.toml",
        )
    warnings = []
    base = None
    chosen = rules if rules is not None else table.get("rules")
    if chosen is not None:
        if not isinstance(chosen, str | Path):
            raise RulesError(f"[segmentation.{lang}] rules must be the path of an SRX file", "tm.toml")
        base = load_rules(chosen).rules_for(lang)
        if base is None:
            warnings.append(f"{chosen} has no rules for language '{lang}'; using the shipped rules")
    if base is None:
        shipped = shipped_rules(primary) if re.fullmatch(r"[a-z]{2,3}", primary) else None
        if shipped is None:
            warnings.append(f"no segmentation rules for language '{lang}'; using the default rules")
            shipped = shipped_rules("default")
        base = shipped.rules_for(lang) or shipped.rules_for(primary) or ()
    return Segmenter(lang, (*workspace_rules(lang, table), *base), warnings)


def workspace_rules(lang: str, table: Mapping) -> list[Rule]:
    """No-break rules from ``[segmentation.<lang>]`` in tm.toml.

    ``abbreviations = ["Amb.", …]``: never break after these words. ``no_break`` entries are
    regular expressions for the text just before a position where no break may be made
    (``"\\bArt\\.\\s\\d+"``), or tables ``{before = "…", after = "…"}`` for both sides.
    """
    section = f"[segmentation.{lang}]"
    found = []
    abbreviations = table.get("abbreviations", [])
    if not isinstance(abbreviations, list) or not all(isinstance(a, str) and a for a in abbreviations):
        raise RulesError(f"{section} abbreviations must be a list of words", "tm.toml")
    for word in abbreviations:
        found.append(
            Rule(
                False,
                before=rf"(?<![\w.]){regex.escape(word)}",
                after=r"\s",
                where=f"abbreviation '{word}' in {section}",
                source="tm.toml",
            )
        )
    patterns = table.get("no_break", [])
    if not isinstance(patterns, list):
        raise RulesError(f"{section} no_break must be a list of regular expressions", "tm.toml")
    for number, pattern in enumerate(patterns, 1):
        where = f"no_break pattern {number} in {section}"
        if isinstance(pattern, str):
            found.append(Rule(False, before=pattern, where=where, source="tm.toml"))
        elif isinstance(pattern, Mapping) and set(pattern) <= {"before", "after"}:
            before, after = pattern.get("before", ""), pattern.get("after", "")
            found.append(Rule(False, before=str(before), after=str(after), where=where, source="tm.toml"))
        else:
            raise RulesError(f"{where} must be a regular expression or {{before, after}}", "tm.toml")
    return found


def shipped_rules(name: str) -> RulesFile | None:
    """The rules file shipped for a language (``ar``, ``en``, ``fr``) or ``default``."""
    resource = resources.files("tm.segment") / "rules" / f"{name}.srx"
    if not resource.is_file():
        return None
    return _read_rules(str(resource), f"tm/segment/rules/{name}.srx")


def load_rules(path: str | Path) -> RulesFile:
    """An office's own SRX file."""
    return _read_rules(str(Path(path).resolve()), str(path))


@functools.lru_cache(maxsize=32)
def _read_rules(path: str, shown: str) -> RulesFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RulesError(f"cannot read rules file: {exc.strerror}", shown) from None
    return read_srx(data, shown)


class _Plan(NamedTuple):
    """What is worked out once per list of rules (``_compile``); rules are named by bits."""

    # The candidate finder.
    trigger: Trigger
    # The strings to look for in each paragraph, and the rules that need some of them:
    # (rule, groups of strings, one of each group needed).
    tested: tuple[str, ...]
    optional: tuple[tuple[int, tuple[tuple[str, ...], ...]], ...]
    # The rules that scan far on both sides (quotations), with searches that find something
    # in any text where they can match.
    far: tuple
    # For each rule with a beforebreak (afterbreak), a test false where a tail (head) shows
    # that it cannot match.
    befores: tuple
    afters: tuple
    # The rules a tail and a head can show to match, with the tests that tell (None for an
    # empty side).
    sure: tuple
    # Characters no rule tells apart, each to the one standing for its kind (str.translate).
    same: dict | None


class _Learnt(NamedTuple):
    """What the segmenters of one list of rules learn on the way (see Segmenter._cuts)."""

    absent: dict  # strings a paragraph holds -> rules that cannot match there
    by_tail: dict  # tail -> (rules left out, rules whose beforebreak surely matches)
    by_head: dict  # head -> (rules left out, rules whose afterbreak surely matches, white space)
    actions: dict  # rules absent -> {window -> what to do}
    decisions: dict  # rules that may match -> their decision (see _decision)


@functools.lru_cache(maxsize=32)
def _compile(rules: tuple[Rule, ...]) -> _Plan:
    """Check every rule's patterns and work out what the segmenter needs (``_Plan``)."""
    for rule in rules:
        for side, pattern in (("beforebreak", rule.before), ("afterbreak", rule.after)):
            try:
                regex.compile(pattern)
            except regex.error as exc:
                raise RulesError(
                    f"{rule.where}: bad regular expression in {side} '{pattern}': {exc}",
                    rule.source or None,
                    rule.line,
                ) from None
    trigger = Trigger(
        (_scoped(r.before) if r.before else "", _scoped(r.after) if r.after else "")
        for r in rules
        if r.breaks
    )
    # The rules that look far (a quotation, a list), which the window around a candidate
    # cannot rule out, each with what a paragraph must hold for it to match: groups of
    # strings, one of each group (the rare characters it needs, one of a few strings such as
    # "1." "a)"). Other rules are ruled out by the windows; looking for what they need in
    # every paragraph would cost more than it saves.
    optional = []
    for number, rule in enumerate(rules):
        before, after = _scoped(rule.before), _scoped(rule.after)
        if not (scans_far(before) or scans_far(after)):
            continue
        needed = required_characters(rule.before) | required_characters(rule.after)
        groups = [(c,) for c in sorted(needed) if not (c.isalnum() or c.isspace() or c == ".")]
        strings = necessary_strings(before + (f"(?={after})" if rule.after else ""))
        if strings:
            groups.append(strings)
        if groups:
            optional.append((1 << number, tuple(groups)))
    tested = (*(s for _, groups in optional for group in groups for s in group), *trigger.needed)
    tested = tuple(dict.fromkeys(tested))
    far = []
    for number, rule in enumerate(rules):
        before, after = _scoped(rule.before), _scoped(rule.after)
        if scans_far(before) and scans_far(after):
            before_search, after_search = presence(before), presence(after)
            if before_search is not None and after_search is not None:
                far.append((1 << number, before_search, after_search))
    befores, afters = [], []
    for number, rule in enumerate(rules):
        tail_test = before_test(_scoped(rule.before) if rule.before else "")
        if tail_test is not None:
            befores.append((1 << number, tail_test))
        head_test = after_test(_scoped(rule.after) if rule.after else "")
        if head_test is not None:
            afters.append((1 << number, head_test))
    # Rules that a tail and a head can show to match (both sides either empty or sure).
    sure = []
    for number, rule in enumerate(rules):
        before = before_sure(_scoped(rule.before)) if rule.before else None
        after = after_sure(_scoped(rule.after)) if rule.after else None
        if (before is not None or not rule.before) and (after is not None or not rule.after):
            sure.append((1 << number, before, after))
    patterns = [pattern for rule in rules for pattern in (rule.before, rule.after) if pattern]
    same = {c: kind for c, kind in equivalent_characters(patterns).items() if c != kind}
    return _Plan(
        trigger,
        tested,
        tuple(optional),
        tuple(far),
        tuple(befores),
        tuple(afters),
        tuple(sure),
        str.maketrans(same) if same else None,
    )


@functools.lru_cache(maxsize=32)
def _learnt(rules: tuple[Rule, ...]) -> _Learnt:
    return _Learnt({}, {}, {}, {}, {})


def _decision(rules: tuple[Rule, ...], left_out: int):
    """What the rules not left out say at a position: True (always break), False (never),
    or the ``match`` of a chain that matches where they say break."""
    chain = _chain(rules, frozenset(n for n in range(len(rules)) if left_out >> n & 1))
    if chain.pattern == "":
        return True
    if chain.pattern == "(?!)":
        return False
    return chain.match


def _chain(rules: tuple[Rule, ...], absent: frozenset[int]) -> regex.Pattern:
    """One pattern that matches (empty) at a position where the rules, in order, say break.

    Consecutive rules of one kind form a block: a break block is a list of alternatives, a
    no-break block a negative look-around guarding the blocks after it. Each rule is a
    look-ahead for ``afterbreak`` (usually the cheaper test) and a look-behind for
    ``beforebreak``.
    """
    # Consecutive rules of one kind: (break?, {afterbreak: [beforebreak, …]}). Inside a block
    # order does not matter, so rules sharing an afterbreak share one look-ahead.
    blocks: list[tuple[bool, dict[str, list[str]]]] = []
    for number, rule in enumerate(rules):
        if number in absent:
            continue
        if not blocks or blocks[-1][0] != rule.breaks:
            blocks.append((rule.breaks, {}))
        blocks[-1][1].setdefault(rule.after, []).append(rule.before)
    chain = "(?!)"
    for breaks, by_after in reversed(blocks):
        tests = []
        for after, befores in by_after.items():
            ahead = f"(?={_scoped(after)})" if after else ""
            if "" in befores:
                tests.append(ahead)
            else:
                tests.append(ahead + "(?<=" + "|".join(_scoped(b) for b in befores) + ")")
        if "" in tests:
            chain = "" if breaks else "(?!)"
        elif breaks:
            chain = f"(?:{'|'.join(tests)}|{chain})"
        else:
            chain = f"(?!{'|'.join(tests)}){chain}"
    return regex.compile(chain)


def _scoped(pattern: str) -> str:
    """A rule's pattern as a group; leading inline flags such as ``(?i)`` stay local to it."""
    flags = _LEADING_FLAGS.match(pattern)
    if flags:
        return f"(?{flags.group(1)}:{pattern[flags.end() :]})"
    return f"(?:{pattern})"
