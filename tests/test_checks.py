"""The quality checks of SPEC section 9, on the real release and on broken translations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import RELEASE, REPO, need_oracle
from tm.checks import (
    CHECK_IDS,
    CHECKS,
    ERROR,
    WARNING,
    carry_waivers,
    check_segment,
    end_kind,
    entry_waivers,
    has_errors,
    numbers,
    waivers,
)
from tm.model import Entry

NBSP, NNBSP = "\u00a0", "\u202f"


def real(lang: str) -> dict[str, polib.POEntry]:
    return {e.msgctxt: e for e in polib.pofile(str(REPO / "locales" / lang / f"{RELEASE}.po"))}


def ids(findings) -> list[str]:
    return [f.check for f in findings]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_real_release_translations_raise_nothing(lang):
    # pofilter flags these Arabic → English/French files for capitals, ؟ against ?, ’’…‘‘
    # against “…”, and Arabic-Indic against Western digits; none of that is a problem.
    entries = real(lang)
    assert len(entries) == 32
    findings = [f for e in entries.values() for f in check_segment(e.msgid, e.msgstr, "ar", lang, e.msgctxt)]
    assert [(f.segment, f.check, f.message) for f in findings] == []


def broken(lang: str, segment: str, old: str, new: str) -> tuple[str, str]:
    entry = real(lang)[segment]
    assert old in entry.msgstr, (segment, old)
    return entry.msgid, entry.msgstr.replace(old, new)


@pytest.mark.parametrize(
    ("lang", "segment", "old", "new", "check", "severity", "message"),
    [
        (
            "fr",
            "p3.s1",
            "55 suspects",
            "56 suspects",
            "numbers",
            ERROR,
            "missing number 55; unexpected number 56",
        ),
        ("en", "p15.s1", "The 55", "The fifty-five", "numbers", ERROR, "missing number 55"),
        (
            "fr",
            "p2.s1",
            "22 mai 2012",
            "21 mai 2012",
            "numbers",
            ERROR,
            "missing number 22; unexpected number 21",
        ),
        (
            "fr",
            "p22.s1",
            f"{NBSP}: www.interpol.int/Forms/CPO",
            " d’INTERPOL",
            "urls",
            ERROR,
            "missing URL www.interpol.int/Forms/CPO",
        ),
        (
            "en",
            "p4.s1",
            "grou.ps",
            "Groups",
            "urls",
            ERROR,
            "missing URL grou.ps",
        ),
        (
            "fr",
            "p20.s1",
            "495 7211",
            "495 7221",
            "phones",
            ERROR,
            "missing phone number +64 (0)4 495 7211; unexpected phone number +64 (0)4 495 7221",
        ),
        (
            "en",
            "p25.s1",
            "Danielle.bennett@dhs.gov",
            "Daniel.bennett@dhs.gov",
            "emails",
            ERROR,
            "missing e-mail address Danielle.bennett@dhs.gov; "
            "unexpected e-mail address Daniel.bennett@dhs.gov",
        ),
        ("fr", "p12.s1", f"physiques{NBSP}»", "physiques", "brackets", ERROR, "a quote is not closed"),
        ("en", "p12.s1", "abuse”", "abuse", "brackets", ERROR, "a quote is not closed"),
        (
            "fr",
            "p17.s1",
            f"médias{NBSP}:",
            "médias :",
            "french-spacing",
            WARNING,
            "no no-break space before ':'",
        ),
        (
            "fr",
            "p17.s1",
            f"médias{NBSP}:",
            "médias:",
            "french-spacing",
            WARNING,
            "no no-break space before ':'",
        ),
        ("fr", "p8.s1", f"«{NBSP}Le", "« Le", "french-spacing", WARNING, "no no-break space after '«'"),
        (
            "en",
            "p17.s1",
            "contacts:",
            "contacts.",
            "end-punctuation",
            WARNING,
            "the source ends with a colon, the translation with a full stop",
        ),
        ("en", "p6.s1", "the support", "the  support", "double-space", WARNING, "two spaces in a row"),
    ],
)
def test_each_broken_translation_is_caught(lang, segment, old, new, check, severity, message):
    source, target = broken(lang, segment, old, new)
    findings = check_segment(source, target, "ar", lang, segment)
    assert [(f.check, f.severity, f.message, f.segment) for f in findings] == [
        (check, severity, message, segment)
    ]
    assert has_errors(findings) is (severity == ERROR)


def test_missing_and_unbalanced_placeholders():
    source = "Read <1>the report</1> at page <2/>."
    assert check_segment(source, "Lisez <1>le rapport</1> à la page <2/>.", "en", "fr") == []
    (missing,) = check_segment(source, "Lisez <1>le rapport</1> à la page.", "en", "fr")
    assert (missing.check, missing.message) == ("tags", "missing <2/>")
    (swapped,) = check_segment(source, "Lisez </1>le rapport<1> à la page <2/>.", "en", "fr")
    assert swapped.message == "</1> does not close the last opened tag"
    (named,) = check_segment("Dear {name},", "Cher ,", "en", "fr")
    assert (named.check, named.message) == ("tags", "missing placeholder {name}")


@pytest.mark.parametrize(
    ("source", "source_lang", "target", "target_lang"),
    [
        ("٢٢ مايو، ٢٠١٢", "ar", "22 May 2012", "en"),
        ("اعتُقل ١٬٢٥٠ شخصا", "ar", "1,250 people were arrested", "en"),
        ("اعتُقل ١٬٢٥٠ شخصا", "ar", f"1{NBSP}250 personnes ont été arrêtées", "fr"),
        ("1,250 people", "en", f"1{NNBSP}250 personnes", "fr"),
        ("1,250 people", "en", "1 250 personnes", "fr"),
        ("a rise of 3.5%", "en", "une hausse de 3,5 %", "fr"),
        ("ارتفاع بنسبة ٣٫٥٪", "ar", "a rise of 3.5%", "en"),
        ("ارتفاع بنسبة ۳٫۵٪", "ar", "une hausse de 3,5 %", "fr"),  # Eastern Arabic-Indic digits
        ("in 2010, 150 children", "en", "en 2010, 150 enfants", "fr"),
        ("1,250,000 euros", "en", f"1{NBSP}250{NBSP}000 euros", "fr"),
        ("on 22.05.2012, version 1.2.3", "en", "le 22.05.2012, version 1.2.3", "fr"),
    ],
)
def test_numbers_are_the_same_whatever_the_digits_and_separators(source, source_lang, target, target_lang):
    assert numbers(source, source_lang) == numbers(target, target_lang)
    assert "numbers" not in ids(check_segment(source, target, source_lang, target_lang))


@pytest.mark.parametrize(
    ("source", "target"),
    [("1,250 people", "1 205 personnes"), ("3.5 million", "35 millions"), ("12 children", "21 enfants")],
)
def test_different_numbers_are_errors(source, target):
    assert "numbers" in ids(check_segment(source, target, "en", "fr"))


def test_a_signed_number_is_a_number_not_a_phone():
    assert numbers("a rise of +5% in 2012", "en") == numbers("une hausse de 5 % en 2012", "fr")
    assert check_segment("a rise of +5%", "une hausse de +5 %", "en", "fr") == []


def test_numbers_inside_phones_urls_and_tags_are_left_to_their_own_checks():
    source = "Call +33 4 72 44 71 69 or see www.example.org/2012 <1>now</1>."
    assert numbers(source, "en") == {}
    target = "Appelez le +33 4 72 44 71 69 ou voyez www.example.org/2012 <1>maintenant</1>."
    assert check_segment(source, target, "en", "fr") == []


@pytest.mark.parametrize(
    ("source", "target", "same"),
    [
        ("Is it true?", "هل هذا صحيح؟", True),
        ("first, second", "الأول، الثاني،", False),
        ("Countries:", "البلدان:", True),
        ("one; two;", "واحد؛ اثنان؛", True),
        ("He said: “Enough.”", "Il a dit : « Assez ».", True),  # the closing quote is set aside
        ("He left.", "Il est parti ?", False),
        ("Wait...", "Attendez…", True),
    ],
)
def test_end_punctuation_by_kind(source, target, same):
    assert (end_kind(source) == end_kind(target)) is same


def test_a_quotation_across_sentences_is_fine_when_the_source_does_the_same():
    opens = ("He said: “It is over.", f"Il a dit{NBSP}: «{NBSP}C’est fini.")
    closes = ("We won”.", f"Nous avons gagné{NBSP}».")
    for source, target in (opens, closes):
        assert check_segment(source, target, "en", "fr") == []
    # The translation closes a quotation the source leaves open: unbalanced.
    assert ids(check_segment(opens[0], opens[1] + f"{NBSP}»", "en", "fr")) == ["brackets"]
    # Straight quotes have no direction: an odd one opens or closes, as the other side does.
    assert check_segment('He said: "It is over.', f"Il a dit{NBSP}: «{NBSP}C’est fini.", "en", "fr") == []
    assert check_segment('We won".', f"Nous avons gagné{NBSP}».", "en", "fr") == []
    assert check_segment("He said: “It is over.", 'Er sagte: "Es ist vorbei.', "en", "de") == []
    # A source with stray brackets does not force the translation to copy them.
    assert check_segment("terms (kiddiporn) and porn)", "des termes (pédoporno) et porno", "en", "fr") == []
    assert ids(check_segment("terms (kiddiporn)", "des termes )pédoporno(", "en", "fr")) == ["brackets"]


def test_french_spacing_accepts_both_no_break_spaces_and_ignores_urls_and_times():
    assert check_segment("Note: yes", f"Note{NBSP}: oui", "en", "fr") == []
    assert check_segment("Note: yes", f"Note{NNBSP}: oui", "en", "fr") == []
    assert (
        check_segment("See https://example.org at 10:30", "Voir https://example.org à 10:30", "en", "fr")
        == []
    )
    assert check_segment("Really?!", f"Vraiment{NNBSP}?!", "en", "fr") == []
    assert "french-spacing" not in ids(check_segment("Note: yes", "Note: yes", "fr", "en"))


def test_no_capital_check_for_arabic():
    assert check_segment("السيد موران", "mr Moran", "ar", "en") == []
    assert ids(check_segment("Mr Moran left.", "monsieur Moran est parti.", "en", "fr")) == ["capitals"]


def test_empty_untranslated_and_spaces():
    assert ids(check_segment("Media contacts:", " ", "en", "fr")) == [
        "empty",
        "end-punctuation",
        "whitespace",
    ]
    source = "The operation was coordinated by INTERPOL."
    assert ids(check_segment(source, source, "en", "fr")) == ["untranslated"]
    assert check_segment("INTERPOL", "INTERPOL", "en", "fr") == []  # a short name stays
    assert ids(check_segment("الإنتربول", "الإنتربول", "ar", "en")) == ["untranslated"]
    assert ids(check_segment("Contacts", " Contacts ", "en", "fr")) == ["whitespace"]


def test_waivers_are_translator_comments_or_flags_per_check():
    assert waivers(["tm-waive: numbers, urls", "checked by Sam"]) == {"numbers", "urls"}
    assert waivers(["fuzzy", "tm-waive:numbers", " tm-waive:phones"]) == {"numbers", "phones"}
    assert waivers(["tm-waive: all"]) == set(CHECK_IDS)
    entry = Entry("p1.s1", "55 suspects", "56 suspects", comments=["tm-waive: numbers"])
    assert entry_waivers(entry) == {"numbers"}
    findings = check_segment("55 suspects", "56 suspects", "en", "fr", "p1.s1", entry_waivers(entry))
    assert [(f.check, f.waived) for f in findings] == [("numbers", True)]
    assert not has_errors(findings)
    working = Entry("p1.s1", "55 suspects", "56 suspects", comments=["kept"], flags=["no-wrap"])
    carry_waivers(
        working, Entry("p1.s1", "", "", comments=["tm-waive: numbers", "other"], flags=["tm-waive:urls"])
    )
    assert (working.comments, working.flags) == (["kept", "tm-waive: numbers"], ["no-wrap", "tm-waive:urls"])


def test_every_check_has_a_unique_id_a_severity_and_a_one_line_explanation():
    assert len(set(CHECK_IDS)) == len(CHECKS)
    for check in CHECKS:
        assert check.severity in (ERROR, WARNING)
        assert check.explanation and "\n" not in check.explanation
        assert check.id.replace("-", "").isalpha() and check.id != "all"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_pofilter_false_alarms_on_the_real_release_do_not_happen_here(lang, tmp_path):
    """translate-toolkit's pofilter, run on the same files, raises what our checks must not."""
    pofilter = Path(sys.executable).parent / "pofilter"
    need_oracle(pofilter.exists(), "translate-toolkit's pofilter")
    report = tmp_path / "pofilter.po"
    tests = ["numbers", "startcaps", "simplecaps", "doublequoting", "endpunc", "brackets"]
    subprocess.run(
        [
            str(pofilter),
            *(f"--test={t}" for t in tests),
            str(REPO / "locales" / lang / f"{RELEASE}.po"),
            str(report),
        ],
        check=True,
        capture_output=True,
    )
    flagged = {
        (entry.msgctxt, note.split(":")[0].removeprefix("(pofilter) "))
        for entry in polib.pofile(str(report))
        for note in entry.tcomment.splitlines()
        if note.startswith("(pofilter)")
    }
    raised = {check for _, check in flagged}
    assert {"startcaps", "doublequoting"} <= raised
    if lang == "en":
        assert ("p2.s1", "numbers") in flagged  # ٢٢ مايو، ٢٠١٢ against 22 May 2012
    ours = [f for e in real(lang).values() for f in check_segment(e.msgid, e.msgstr, "ar", lang, e.msgctxt)]
    assert ours == []


def test_end_punctuation_looks_through_inline_tags():
    from tm.checks import check_end_punctuation

    source = "“<1>But the real success is that heritage returns home.</1>”"
    assert check_end_punctuation(source, "’’<1>لكن النجاح الحقيقي هو عودة التراث</1>‘‘.", "en", "ar") == []
    assert check_end_punctuation(source, "« <1>Mais le vrai succès</1> »", "en", "fr") != []
