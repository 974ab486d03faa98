"""TMX in and out: DTD-valid export, round trips, foreign files, hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import assert_valid
from tm.errors import FormatError, MemoryStoreError
from tm.formats.tmx import read_tmx, tmx_bytes, write_tmx
from tm.memory import Provenance, Unit, open_memory, store
from tm.memory.child import spawn
from tm.memory.exchange import export_tmx, import_file
from tm.memory.normalise import keyed_texts

DATA = Path(__file__).parent / "data" / "tmx"


UNITS = [
    Unit(
        {
            "ar": "أتاحت العملية تبيّن ٥٥ مشبوها.",
            "en": "The operation identified 55 suspects.",
            "fr": "55 suspects.",
        },
        Provenance(
            "2012-05-22-operation-laminar",
            "p3.s1",
            "laminar.fr.po",
            "Marie",
            "imported",
            "2012-05-23T09:15:00+00:00",
        ),
    ),
    Unit(
        {"en": "Read the <1>report</1>.<2/>", "fr": "Lisez le <1>rapport</1>.<2/>"}, Provenance(origin="tmx")
    ),
    Unit({"en": 'A draft & <its> "quotes".', "fr": "Un brouillon."}, Provenance(origin="aligned"), "draft"),
]


def comparable(unit: Unit) -> tuple:
    p = unit.provenance
    return (
        sorted(unit.variants.items()),
        p.release,
        p.segment,
        p.file,
        p.translator,
        p.origin,
        p.date,
        unit.status,
    )


def test_written_tmx_is_valid_against_the_dtd(tmx_dtd):
    assert_valid(tmx_bytes(UNITS), tmx_dtd)
    assert_valid(tmx_bytes([]), tmx_dtd)
    assert_valid(tmx_bytes([{"ar": "جملة.", "en": "A sentence."}], source_lang="ar"), tmx_dtd)


def test_write_then_read_gives_the_same_units(tmp_path):
    path = tmp_path / "out.tmx"
    path.write_bytes(tmx_bytes(UNITS))
    assert [comparable(u) for u in read_tmx(path)] == [comparable(u) for u in UNITS]


def test_plain_mappings_are_units_too(tmp_path):
    path = tmp_path / "aligned.tmx"
    with open(path, "wb") as handle:
        assert write_tmx([{"ar": "جملة.", "en": "A sentence.", "fr": "Une phrase."}], handle, "ar") == 1
    [unit] = read_tmx(path)
    assert unit.variants == {"ar": "جملة.", "en": "A sentence.", "fr": "Une phrase."}
    assert b'srclang="ar"' in path.read_bytes()


xml_text = st.text(
    alphabet=st.characters(
        whitelist_categories=("Lu", "Ll", "Nd", "Zs", "Po", "Sm", "Lo"), blacklist_characters="\r"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["ar", "en", "fr"]), xml_text, min_size=1), max_size=5))
@example([{"ar": "<0>"}])  # a segment of inline codes alone: no indentation inside it
@example([{"en": "<0/> <1/>", "fr": "<0></0>"}])
def test_any_units_round_trip_through_tmx(tmp_path_factory, variants):
    path = tmp_path_factory.mktemp("tmx") / "p.tmx"
    path.write_bytes(tmx_bytes(variants))
    assert [dict(u.variants) for u in read_tmx(path)] == variants


def test_memory_round_trip_export_then_import(memory_url, tmp_path, tmx_dtd):
    first = open_memory(memory_url)
    first.add_units(UNITS)
    out = tmp_path / "memory.tmx"
    assert export_tmx(first, out) == 3
    assert_valid(out.read_bytes(), tmx_dtd)
    again = open_memory(str(tmp_path / "again.sqlite"))
    intake = import_file(again, out)
    assert (intake.units, intake.stored, intake.format) == (3, 3, "tmx")
    assert sorted(map(comparable, again.units())) == sorted(map(comparable, first.units()))
    assert import_file(again, out).stored == 0  # importing twice adds nothing
    first.close()


def test_export_of_some_languages(tmp_path):
    memory = open_memory(str(tmp_path / "m.sqlite"))
    memory.add_units(UNITS)
    out = tmp_path / "ar-en.tmx"
    assert export_tmx(memory, out, ["ar", "en"]) == 1
    [unit] = read_tmx(out)
    assert set(unit.variants) == {"ar", "en"}


def test_omegat_tmx_1_1_with_lang_attributes():
    units = list(read_tmx(DATA / "omegat-1.1.tmx"))
    assert [dict(u.variants) for u in units] == [
        {
            "en": "INTERPOL is the world's largest international police organization.",
            "fr": "INTERPOL est la plus grande organisation internationale de police au monde.",
        },
        {
            "en": "Its role is to enable police around the world to work together.",
            "fr": "Son rôle est de permettre aux polices du monde entier de coopérer.",
        },
    ]
    assert units[0].provenance.origin == "tmx"
    assert (units[0].provenance.translator, units[0].provenance.date) == (
        "Marie",
        "2012-05-23T09:15:00+00:00",
    )


def test_inline_codes_become_numbered_tags():
    first, second = read_tmx(DATA / "inline-codes.tmx")
    assert first.variants == {
        "en": "Read the <1>full report</1> online.<2/>",
        "fr": "Lisez le <1>rapport complet</1> en ligne.<2/>",
        "ar": "اقرأ <1>التقرير الكامل</1> على الإنترنت.<2/>",
    }
    assert first.provenance.translator == "jdoe"
    assert first.provenance.date == "2012-05-22T10:10:10+00:00"
    assert first.notes == ("Checked by the desk.",)
    assert second.variants == {
        "en": "<1>Note</1>: <2/>embargoed<3/> until Monday.",
        "fr": "<1>Note</1> : <2/>sous embargo<3/> jusqu'à lundi.",
    }


def test_a_tmx_declaring_an_entity_is_refused_with_its_line():
    with pytest.raises(FormatError) as refused:
        list(read_tmx(DATA / "entity.tmx", "entity.tmx"))
    assert str(refused.value) == "entity.tmx:3: XML declares entities; refused (no entity is ever expanded)"


def test_a_tmx_pointing_at_a_remote_dtd_is_refused(tmp_path):
    path = tmp_path / "remote.tmx"
    path.write_bytes(
        (DATA / "omegat-1.1.tmx").read_bytes().replace(b'"tmx11.dtd"', b'"http://example.com/tmx11.dtd"')
    )
    with pytest.raises(FormatError, match="external DTD"):
        list(read_tmx(path))


def test_a_tmx_broken_half_way_imports_nothing(memory_url):
    memory = open_memory(memory_url)
    with pytest.raises(FormatError) as refused:
        import_file(memory, DATA / "broken-late.tmx")
    assert refused.value.line == 7
    assert memory.count() == 0
    memory.close()


def _many_units(n: int) -> list[Unit]:
    """Variations on :data:`UNITS` (Arabic, inline codes, drafts, provenance)."""
    return [
        Unit(
            {**UNITS[i % 3].variants, "en": f"{UNITS[i % 3].variants['en']} ({i})"},
            UNITS[i % 3].provenance,
            UNITS[i % 3].status,
        )
        for i in range(n)
    ]


def _undated(batches) -> list[tuple]:
    """Batches of rows (tm.memory.rows) without the dates of import, which the clock gives."""
    return [
        ([u[:5] for u in rows.units], [v[:7] for v in rows.variants], rows.firsts, rows.read)
        for rows in batches
    ]


def test_a_large_tmx_read_by_a_reader_process_gives_what_reading_here_gives(tmp_path, monkeypatch):
    from tm.memory import reading

    path = tmp_path / "archive.tmx"
    with open(path, "wb") as handle:
        write_tmx(_many_units(5000), handle)
    here, bulk = reading.read_rows(path, str(path), reading.BATCH)
    here = list(here)
    assert not bulk and sum(rows.read for rows in here) == 5000
    monkeypatch.setattr(reading, "LARGE", 0)  # every file counts as large
    started = []
    monkeypatch.setattr(reading, "spawn", lambda *a, **k: started.append(1) or spawn(*a, **k))
    batches, bulk = reading.read_rows(path, str(path), 10**6)
    batches = list(batches)
    assert started and bulk and _undated(batches) == _undated(here)
    # each unit comes as rows: its texts normalised and fingerprinted by the reader
    keyed = [keyed_texts(unit.variants) for unit in read_tmx(path)]
    assert [first for rows in batches for first in rows.firsts] == [(k[0][0], k[0][3]) for k in keyed]
    assert [v[1:5] for rows in batches for v in rows.variants] == [each for k in keyed for each in k]


def test_a_tmx_imported_through_a_reader_process_is_stored_as_one_read_here(tmp_path, monkeypatch):
    from tm.memory import reading

    path = tmp_path / "archive.tmx"
    # a third of them the same release segment (updated in place, once), and a blank text
    units = [*_many_units(3000), Unit({"en": "Only English.", "fr": "   "})]
    with open(path, "wb") as handle:
        write_tmx(units, handle)
    stored = {}
    monkeypatch.setattr(store, "BATCH", 700)  # several batches read here (a reader's: 2,000)
    for large in (10**12, 0):  # read here, then by a reader process
        monkeypatch.setattr(reading, "LARGE", large)
        memory = open_memory(str(tmp_path / f"read-{large}.sqlite"))
        landed = []
        intake = import_file(memory, path, landed.append)
        assert intake.units == sum(landed) == 3001 and len(landed) == (5 if large else 2)  # each unit once
        kept = [(comparable(u)[:6], comparable(u)[7]) for u in memory.units()]  # not the date of import
        stored[large] = (intake.stored, sorted(kept))
        memory.close()
    assert stored[0] == stored[10**12]
    assert sum(1 for (_v, _r, segment, *_p), _s in stored[0][1] if segment == "p3.s1") == 1
    assert ([("en", "Only English.")], "", "", "", "", "imported") in [k for k, _s in stored[0][1]]


def test_a_reader_process_reports_a_broken_tmx_with_its_line_and_imports_nothing(memory_url, monkeypatch):
    from tm.memory import reading

    monkeypatch.setattr(reading, "LARGE", 0)
    memory = open_memory(memory_url)
    with pytest.raises(FormatError) as refused:
        import_file(memory, DATA / "broken-late.tmx")
    assert (refused.value.path, refused.value.line) == (str(DATA / "broken-late.tmx"), 7)
    assert memory.count() == 0
    memory.close()


def test_where_no_reader_process_can_start_the_tmx_is_read_here(tmp_path, monkeypatch):
    from tm.memory import reading

    tried = []

    def refused(*args, **kwargs):
        tried.append(args)
        raise OSError("no processes here")

    path = tmp_path / "archive.tmx"
    with open(path, "wb") as handle:
        write_tmx(_many_units(50), handle)
    monkeypatch.setattr(reading, "LARGE", 0)
    monkeypatch.setattr(reading, "spawn", refused)
    here = _undated(reading._batches(path, str(path), reading.BATCH))
    batches, bulk = reading.read_rows(path, str(path), 10**6)
    assert _undated(batches) == here and bulk
    assert tried  # a reader process was asked for, and its absence did not matter


def test_a_reader_process_that_dies_mid_message_fails_the_import_cleanly(memory_url, tmp_path, monkeypatch):
    from tm.memory import reading

    path = tmp_path / "archive.tmx"
    with open(path, "wb") as handle:
        write_tmx(_many_units(3000), handle)
    monkeypatch.setattr(reading, "LARGE", 0)
    # a "reader" that writes half a message and dies
    code = "import sys, struct; sys.stdout.buffer.write(struct.pack('<Q', 1000) + b'x' * 10); sys.exit(3)"
    monkeypatch.setattr(reading, "spawn", lambda *a, **k: spawn(("-c", code)))
    memory = open_memory(memory_url)
    with pytest.raises(MemoryStoreError, match=r"the TMX reader stopped \(status 3\)"):
        import_file(memory, path)
    assert memory.count() == 0
    memory.close()


def test_an_import_that_stops_early_ends_its_reader_process(tmp_path, monkeypatch):
    from tm.memory import reading

    path = tmp_path / "archive.tmx"
    with open(path, "wb") as handle:
        write_tmx(_many_units(20000), handle)
    monkeypatch.setattr(reading, "LARGE", 0)
    processes = []
    monkeypatch.setattr(reading, "spawn", lambda *a, **k: processes.append(spawn(*a, **k)) or processes[-1])
    batches, _bulk = reading.read_rows(path, str(path), 10**6)
    assert next(batches).variants
    batches.close()  # the import failed: the reader is stopped, not left running
    assert processes[0].poll() is not None


def _strptime_date(value: str) -> str:
    """What tm.formats.tmx._iso_date must give: strptime's reading of TMX's form."""
    from datetime import datetime

    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%S%z").isoformat(timespec="seconds")
    except ValueError:
        return value


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.builds(
            "{:04d}{:02d}{:02d}T{:02d}{:02d}{:02d}Z".format,
            *(st.integers(0, top) for top in (9999, 13, 32, 25, 61, 62)),
        ),
        st.text(st.sampled_from("0123456789TZ+-:٣ "), min_size=14, max_size=18),
    )
)
def test_tmx_dates_are_read_as_strptime_reads_them(value):
    from tm.formats.tmx import _iso_date

    _iso_date.cache_clear()
    assert _iso_date(value) == _strptime_date(value)


def test_a_tmx_date_becomes_an_iso_date_and_other_forms_stay():
    from tm.formats.tmx import _iso_date

    assert _iso_date("20120522T101010Z") == "2012-05-22T10:10:10+00:00"
    assert _iso_date("20120230T101010Z") == "20120230T101010Z"  # no 30 February
    assert _iso_date("2012-05-22") == "2012-05-22"
