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

Steps 1, 2 (with what the trigger compiled), 4 and 5 run on every paragraph: they are
``cutter.py``, which ``make`` compiles with mypyc when it can (see ``cutter_module``).
tests/test_segment.py checks that this gives exactly what the rules applied at every
position give, with either copy of the cutter.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import regex

from tm.compiled import built_from
from tm.errors import RulesError
from tm.segment.cutter import BIDI_CONTROLS as BIDI_CONTROLS
from tm.segment.cutter import Learnt
from tm.segment.exclusion import after_sure, after_test, before_sure, before_test, equivalent_characters
from tm.segment.srx import Rule, RulesFile, read_srx
from tm.segment.trigger import Trigger, necessary_strings, presence, required_characters, scans_far

_LEADING_FLAGS = re.compile(r"^\(\?([a-zA-Z]+)\)")
_OVERRIDE_KEYS = ("abbreviations", "no_break", "rules")
# How many tails, heads and windows are remembered, at most (bounded memory on endless input).
_MEMORY = 100_000


class Segmenter:
    """Splits paragraphs of one language into sentences with a list of SRX rules.

    ``warnings`` says what the caller should tell the user (for instance that a language
    has no rules of its own and the default rules are used); the segmenter never prints.
    """

    def __init__(
        self, lang: str, rules: Sequence[Rule], warnings: Iterable[str] = (), cutter: ModuleType | None = None
    ):
        """``cutter``: the module that does the work on each paragraph (``tm.segment.cutter``
        or its compiled copy; by default the compiled copy when there is one)."""
        self.lang = lang
        self.rules = tuple(rules)
        self.warnings = tuple(warnings)
        plan = _compile(self.rules)
        rules = self.rules
        cutter = cutter or cutter_module()
        self._cutter = cutter.Cutter(
            ends=plan.trigger.ends,
            alone=plan.trigger.alone,
            tested=plan.tested,
            optional=plan.optional,
            far=plan.far,
            befores=plan.befores,
            afters=plan.afters,
            sure=plan.sure,
            same=plan.same,
            every=(1 << len(rules)) - 1,
            breaking=sum(1 << n for n, rule in enumerate(rules) if rule.breaks),
            unconditional=sum(1 << n for n, rule in enumerate(rules) if not (rule.before or rule.after)),
            decision=functools.partial(_decision, rules),
            # What was learnt on the way, shared by every segmenter of these rules.
            learnt=_learnt(rules, cutter.__name__),
            memory=_MEMORY,
        )
        # The same as the method, without a call in between (it is called for every paragraph).
        self.split = self._cutter.split  # type: ignore[method-assign]

    def split(self, text: str) -> list[str]:
        """The sentences of ``text``, each with the white space that follows it."""
        return self._cutter.split(text)


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
def _learnt(rules: tuple[Rule, ...], cutter: str) -> Learnt:
    """What the segmenters of ``rules`` learn on the way (see ``Cutter._cuts``), for each
    copy of the cutter apart (each is tested apart)."""
    return Learnt()


@functools.cache
def cutter_module() -> ModuleType:
    """``tm.segment._cutter``, the copy of ``tm/segment/cutter.py`` compiled with mypyc
    (``make fast``), when it was built from the file beside it
    (:func:`tm.compiled.built_from`); that file's module otherwise."""
    from tm.segment import cutter

    return built_from("tm.segment._cutter", Path(cutter.__file__)) or cutter


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
