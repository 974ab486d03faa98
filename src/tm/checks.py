"""Quality checks on one translated segment: plain functions (source, target, languages) → problems.

Each check has an ID, a severity (``error`` blocks publishing, ``warning`` does not) and a
one-line explanation. A check function returns the problems it found as short phrases
(``"missing 55"``); :func:`check_segment` turns them into :class:`Finding` objects and sets
aside those waived for the segment with a ``# tm-waive: <id>`` comment on its translation.

The checks know Arabic, English and French conventions, so that the false alarms of generic
tools do not happen: Arabic-Indic (U+0660–0669), Eastern Arabic-Indic (U+06F0–06F9) and
Western digits are the same number; ``1,250``, ``1 250`` and ``١٬٢٥٠`` are the same number;
``?`` and ``؟`` end a sentence the same way; ``’’…‘‘``, ``«…»`` and ``“…”`` are all quotes;
Arabic has no capitals.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tm.model import Catalog, Entry
from tm.placeholders import TAG, tag_problems

ERROR = "error"
WARNING = "warning"
WAIVER = "tm-waive:"
_WAIVER_SEPARATORS = re.compile(r"[\s,]+")

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_SPACES = "\u00a0\u202f\u2007\u2009"  # no-break, narrow no-break, figure and thin spaces
_NO_BREAK = "\u00a0\u202f"
_CASED_LANGUAGES = frozenset({"en", "fr"})

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
URL = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»“”’‘]+"
    # a bare domain, optionally with a path: grou.ps, interpol.int/Forms
    r"|\b[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,6}\b(?:/[^\s<>\"«»“”’‘]*)?"
)
_URL_TRAILER = ".,;:!?)]}'’”»،؛؟"
PHONE_DIGITS = 6
_SPACE_RUN = re.compile(rf"[ {_SPACES}]+")
_DOUBLE_SPACE = re.compile(rf"[ {_SPACES}]{{2,}}")
PHONE = re.compile(rf"\+\d{{1,3}}(?:[ {_SPACES}.\-]?(?:\(\d+\)|\d+))+")
PLACEHOLDER = re.compile(r"<\/?\d+\/?>|\{[A-Za-z_][\w]*\}|\{\d+\}|%(?:\([\w]+\))?[sd]")
_BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][\w]*\}|\{\d+\}|%(?:\([\w]+\))?[sd]")

# Numbers as each language writes them (after every digit is read as a Western digit).
_GROUP = r"(?!\d)"
NUMBER = {
    "en": re.compile(rf"\d{{1,3}}(?:,\d{{3}}{_GROUP})+(?:\.\d+)?|\d+(?:\.\d+)?"),
    "fr": re.compile(rf"\d{{1,3}}(?:[ {_SPACES}]\d{{3}}{_GROUP})+(?:,\d+)?|\d+(?:,\d+)?"),
    "ar": re.compile(rf"\d{{1,3}}(?:[٬,]\d{{3}}{_GROUP})+(?:[٫.]\d+)?|\d+(?:[٫.,]\d+)?"),
}
_ANY_DIGIT = re.compile(r"\d")
_DOTTED = re.compile(r"\d+(?:\.\d+){2,}")
_DECIMAL_MARK = {"en": ".", "fr": ",", "ar": "٫.,"}

# Brackets and quotes: an opener, its closer and the kind they share.
_PAIRS = {"(": ("paren", 1), ")": ("paren", -1), "[": ("square", 1), "]": ("square", -1)}
_PAIRS |= {q: ("quote", 1) for q in ("“", "«", "’’", "„")}
_PAIRS |= {q: ("quote", -1) for q in ("”", "»", "‘‘")}
_PAIR_TOKEN = re.compile(r"’’|‘‘|[()\[\]“”«»„]")
_CLOSERS = "”»’‘)]\"'" + _SPACES + " "

# End punctuation by kind: ``?`` and ``؟`` are the same question mark.
_END_KIND = {
    ".": "full stop",
    "?": "question mark",
    "؟": "question mark",
    "!": "exclamation mark",
    ":": "colon",
    ";": "semicolon",
    "؛": "semicolon",
    ",": "comma",
    "،": "comma",
    "…": "ellipsis",
}


@dataclass(frozen=True)
class Check:
    id: str
    severity: str
    explanation: str
    run: Callable[[str, str, str, str], list[str]]


@dataclass(frozen=True)
class Finding:
    """One problem in one segment's translation."""

    check: str
    severity: str
    message: str
    segment: str = ""
    source: str = ""
    target: str = ""
    waived: bool = False


@functools.lru_cache(maxsize=64)
def _base(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()


@functools.lru_cache(maxsize=1024)
def _spans(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str]:
    """E-mail addresses, URLs and phone numbers in ``text``, and the text with them blanked.

    Each pattern runs only when the character it cannot do without is there: most
    sentences hold no ``@``, no ``+`` and no tag, and this runs on every finished one."""
    emails = EMAIL.findall(text) if "@" in text else []
    rest = EMAIL.sub(" ", text) if emails else text
    urls = [u.rstrip(_URL_TRAILER) for u in URL.findall(rest)] if "." in rest else []
    rest = URL.sub(" ", rest) if urls else rest
    phones: list[str] = []

    def phone(match: re.Match) -> str:
        if sum(c.isdigit() for c in match[0]) < PHONE_DIGITS:
            return match[0]  # "+5" is a number, not a phone number
        phones.append(_SPACE_RUN.sub(" ", match[0]))
        return " "

    rest = rest.translate(_DIGITS)
    if "+" in rest:
        rest = PHONE.sub(phone, rest)
    if "<" in rest or "{" in rest or "%" in rest:
        rest = PLACEHOLDER.sub(" ", rest)
    return tuple(emails), tuple(urls), tuple(phones), rest


def numbers(text: str, lang: str) -> Counter:
    """The numbers in ``text`` by value, whatever the digits and separators of ``lang``."""
    rest = _spans(text)[3]
    found: Counter = Counter()
    if _ANY_DIGIT.search(rest) is None:
        return found  # most sentences: nothing to count
    lang = _base(lang) if _base(lang) in NUMBER else "en"
    for dotted in _DOTTED.findall(rest):  # 22.05.2012, 1.2.3: the same parts in every language
        found.update(Decimal(part) for part in dotted.split("."))
    rest = _DOTTED.sub(" ", rest)
    for written in NUMBER[lang].findall(rest):
        found[_value(written, lang)] += 1
    return found


def _value(written: str, lang: str) -> Decimal | str:
    marks = _DECIMAL_MARK[lang]
    digits = "".join(c if c.isdigit() else "." if c in marks else "" for c in written)
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns only let numbers through
        return written


def _compare(name: str, expected: Iterable, found: Iterable, show=str) -> list[str]:
    if expected == found:
        return []  # the usual case, decided without counting
    missing = Counter(expected) - Counter(found)
    extra = Counter(found) - Counter(expected)
    problems = []
    if missing:
        problems.append(f"missing {name} " + ", ".join(show(v) for v in sorted(missing.elements(), key=str)))
    if extra:
        problems.append(f"unexpected {name} " + ", ".join(show(v) for v in sorted(extra.elements(), key=str)))
    return problems


def check_numbers(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    return _compare("number", numbers(source, source_lang), numbers(target, target_lang), _show_number)


def _show_number(value: Decimal | str) -> str:
    return format(value, "f") if isinstance(value, Decimal) else value


def check_urls(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    return _compare("URL", _spans(source)[1], _spans(target)[1])


def check_emails(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    return _compare("e-mail address", _spans(source)[0], _spans(target)[0])


def check_phones(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    return _compare("phone number", _spans(source)[2], _spans(target)[2])


def check_tags(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    problems = tag_problems(source, target)
    problems += _compare(
        "placeholder", _BRACE_PLACEHOLDER.findall(source), _BRACE_PLACEHOLDER.findall(target)
    )
    return problems


def _has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def check_empty(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    if _has_words(source) and not _has_words(PLACEHOLDER.sub("", target)):
        return ["the translation has no words"]
    return []


def check_untranslated(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    same = " ".join(source.split()) == " ".join(target.split())
    if not same or not any(c.isalpha() for c in source):
        return []
    other_script = "ar" in {_base(source_lang), _base(target_lang)}
    if other_script or len(source.split()) >= 4:
        return ["the translation is the source text"]
    return []


def end_kind(text: str) -> str:
    """What ends a sentence: ``full stop``, ``question mark``…, or ``none``; closing quotes
    and brackets after the stop, and inline tags anywhere, are set aside."""
    rest = TAG.sub("", text).rstrip().rstrip(_CLOSERS)
    if rest.endswith("..."):
        return "ellipsis"
    return _END_KIND.get(rest[-1:], "none")


def check_end_punctuation(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    expected, found = end_kind(source), end_kind(target)
    if expected != found:
        return [f"the source ends with {_article(expected)}, the translation with {_article(found)}"]
    return []


def _article(kind: str) -> str:
    return "no punctuation" if kind == "none" else ("an " if kind[0] in "aeiou" else "a ") + kind


def _balance(text: str) -> dict[str, tuple[int, int]]:
    """Per kind of bracket or quote: (openers minus closers, lowest depth reached)."""
    depth: dict[str, int] = {}
    lowest: dict[str, int] = {}
    for token in _PAIR_TOKEN.findall(text):
        kind, step = _PAIRS[token]
        depth[kind] = depth.get(kind, 0) + step
        lowest[kind] = min(lowest.get(kind, 0), depth[kind])
    straight = text.count('"')
    if straight % 2:
        depth["straight quote"] = 1
    return {kind: (depth[kind], lowest.get(kind, 0)) for kind in depth}


def _open_quotes(balance: dict[str, tuple[int, int]]) -> int:
    return (abs(balance.get("quote", (0, 0))[0]) + ("straight quote" in balance)) % 2


def check_brackets(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    """Unbalanced brackets or quotes, unless the source is unbalanced the same way (a quotation
    that opens in one sentence and closes in the next)."""
    expected, found = _balance(source), _balance(target)
    problems = []
    if "straight quote" in expected or "straight quote" in found:
        # A straight quote has no direction: compare only whether a quotation is left open.
        if _open_quotes(expected) != _open_quotes(found):
            problems.append("a quote is not closed")
        for kind in ("quote", "straight quote"):
            expected.pop(kind, None)
            found.pop(kind, None)
    for kind in sorted(found.keys() | expected.keys()):
        want, got = expected.get(kind, (0, 0)), found.get(kind, (0, 0))
        if got == want or (got == (0, 0) and kind != "quote"):
            continue  # a translation may mend the source's stray brackets, not its quotations
        delta, lowest = got
        if lowest < 0:
            problems.append(f"a {kind} closes before it opens")
        elif delta > 0:
            problems.append(f"a {kind} is not closed")
        else:
            problems.append(f"a {kind} that the source leaves open or closes from before is balanced here")
    return problems


_FRENCH_BEFORE = re.compile(r"(.)([:;!?»])")
_FRENCH_AFTER = re.compile(r"(«)(.)")


def check_french_spacing(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    if _base(target_lang) != "fr":
        return []
    text = _spans(target)[3]
    problems = []
    for before, mark in _FRENCH_BEFORE.findall(text):
        if before in _NO_BREAK or before in "!?" or (mark == ":" and before.isdigit()):
            continue
        problems.append(f"no no-break space before '{mark}'")
    for mark, after in _FRENCH_AFTER.findall(text):
        if after not in _NO_BREAK:
            problems.append(f"no no-break space after '{mark}'")
    return list(dict.fromkeys(problems))


def check_double_space(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    return ["two spaces in a row"] if _DOUBLE_SPACE.search(target.strip()) else []


def check_whitespace(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    problems = []
    if target[: len(target) - len(target.lstrip())] != source[: len(source) - len(source.lstrip())]:
        problems.append("leading spaces differ from the source")
    if target[len(target.rstrip()) :] != source[len(source.rstrip()) :]:
        problems.append("trailing spaces differ from the source")
    return problems


def check_capitals(source: str, target: str, source_lang: str, target_lang: str) -> list[str]:
    if not {_base(source_lang), _base(target_lang)} <= _CASED_LANGUAGES:
        return []  # Arabic has no capitals
    first_source = next((c for c in source if c.isalpha()), "")
    first_target = next((c for c in target if c.isalpha()), "")
    if first_source.isupper() and first_target.islower():
        return ["the source starts with a capital, the translation does not"]
    return []


CHECKS: tuple[Check, ...] = (
    Check("numbers", ERROR, "numbers differ (any digits and separators of ar/en/fr count)", check_numbers),
    Check("urls", ERROR, "a URL or domain is not copied exactly", check_urls),
    Check("emails", ERROR, "an e-mail address is not copied exactly", check_emails),
    Check("phones", ERROR, "an international phone number is not copied exactly", check_phones),
    Check("tags", ERROR, "inline tags or placeholders are missing, extra or unbalanced", check_tags),
    Check("empty", ERROR, "the translation is empty or has no words", check_empty),
    Check("brackets", ERROR, "brackets or quotes are unbalanced where the source's are not", check_brackets),
    Check("untranslated", WARNING, "the translation is the source text", check_untranslated),
    Check(
        "end-punctuation",
        WARNING,
        "the sentence ends with another kind of punctuation",
        check_end_punctuation,
    ),
    Check(
        "french-spacing",
        WARNING,
        "French needs a no-break space before : ; ! ? » and after «",
        check_french_spacing,
    ),
    Check("double-space", WARNING, "two spaces in a row inside the translation", check_double_space),
    Check("whitespace", WARNING, "leading or trailing spaces differ from the source", check_whitespace),
    Check(
        "capitals",
        WARNING,
        "the source starts with a capital, the translation does not (en/fr)",
        check_capitals,
    ),
)
CHECK_IDS = tuple(c.id for c in CHECKS)


def waivers(lines: Iterable[str]) -> frozenset[str]:
    """The check IDs waived by ``tm-waive: <id>, <id>`` lines (translator comments or PO
    flags); ``tm-waive: all`` waives every check."""
    waived: set[str] = set()
    for line in lines:
        line = line.strip()
        if line.startswith(WAIVER):
            waived.update(w for w in _WAIVER_SEPARATORS.split(line[len(WAIVER) :]) if w)
    return frozenset(CHECK_IDS) if "all" in waived else frozenset(waived)


def entry_waivers(entry: Entry) -> frozenset[str]:
    """Waivers stored with a translation: ``# tm-waive: numbers`` translator comments, which
    gettext's msgcat and msgmerge, Poedit and Lokalize keep, or ``#, tm-waive:numbers`` flags,
    which polib keeps but gettext tools drop."""
    return waivers([*entry.comments, *entry.flags])


def carry_waivers(entry: Entry, returned: Entry) -> None:
    """Add to ``entry`` the waivers a returned file added to its copy of the translation."""
    entry.comments += [c for c in returned.comments if waivers([c]) and c not in entry.comments]
    entry.flags += [f for f in returned.flags if waivers([f]) and f not in entry.flags]


def check_segment(
    source: str,
    target: str,
    source_lang: str,
    target_lang: str,
    segment: str = "",
    waived: Iterable[str] = (),
    checks: Iterable[Check] = CHECKS,
) -> list[Finding]:
    """Every problem in one translation, in check order; waived ones are marked, not dropped."""
    waived = frozenset(waived)
    findings = []
    for check in checks:
        problems = check.run(source, target, source_lang, target_lang)
        if problems:
            message = "; ".join(problems)
            findings.append(
                Finding(check.id, check.severity, message, segment, source, target, check.id in waived)
            )
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when a finding that is not waived blocks publishing."""
    return any(f.severity == ERROR and not f.waived for f in findings)


def check_catalog(catalog: Catalog, checks: Iterable[Check] = CHECKS) -> list[Finding]:
    """The problems in every finished translation of a catalog (fuzzy entries are unfinished
    work, already held back from publishing, and are not checked)."""
    checks = tuple(checks)
    findings = []
    for entry in catalog.active:
        if entry.target and not entry.fuzzy:
            findings += check_segment(
                entry.source,
                entry.target,
                catalog.source_lang,
                catalog.lang,
                entry.id,
                entry_waivers(entry),
                checks,
            )
    return findings
