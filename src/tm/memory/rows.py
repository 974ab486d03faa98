"""Units as the rows a store writes, worked out once, by whichever process reads them.

A batch of units becomes :class:`Rows`: a row per unit, a row per text (normalised and
fingerprinted by :func:`tm.memory.normalise.keyed_texts`), and the (language, fingerprint)
of each unit's first text, by which the duplicate check looks for it. Rows name their unit
by its place in the batch; the store numbers the units it keeps. A large TMX's reader
process makes them (tm.memory.reading), so that the importing process hands them to SQLite
as they come instead of taking each unit apart again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from itertools import islice

from tm.memory import Provenance, Unit
from tm.memory.normalise import keyed_texts


@dataclass
class Rows:
    """A batch of units as rows (see the module), each row's first field the unit's place in
    the batch, then the fields of the store's tables in their order (tm.memory.store's
    UNIT_FIELDS and VARIANT_FIELDS, the id aside):

    - ``units``: (place, release, segment, origin, status, date);
    - ``variants``: (place, lang, text, norm, key, file, translator, date), each unit's in
      the order of their languages' codes;
    - ``firsts``: the (language, fingerprint) of each unit's first text;
    - ``read``: how many units the batch was made from, those without a text included."""

    units: list[tuple] = field(default_factory=list)
    variants: list[tuple] = field(default_factory=list)
    firsts: list[tuple[str, int]] = field(default_factory=list)
    read: int = 0

    @cached_property
    def texts(self) -> dict[int, list[tuple]]:
        """Each unit's variant rows, by its place (worked out once, when first asked for:
        most batches never need them)."""
        grouped: dict[int, list[tuple]] = {}
        for row in self.variants:
            grouped.setdefault(row[0], []).append(row)
        return grouped


def rows_of(units: Iterable[tuple[Mapping[str, str], Provenance, str]], now: str) -> Rows:
    """The rows of units given as (texts by language, provenance, status); ``now`` dates
    those whose provenance has no date. Blank texts are left out, and units without any."""
    rows = Rows()
    units_out, variants_out, firsts = rows.units, rows.variants, rows.firsts
    for texts, p, status in units:
        rows.read += 1
        keyed = keyed_texts({lang: text for lang, text in texts.items() if text.strip()})
        if not keyed:
            continue
        place = len(units_out)
        date = p.date or now
        units_out.append((place, p.release, p.segment, p.origin, status, date))
        firsts.append((keyed[0][0], keyed[0][3]))
        for lang, text, norm, key in keyed:
            variants_out.append((place, lang, text, norm, key, p.file, p.translator, date))
    return rows


def batches_of(units: Iterable[tuple[Mapping[str, str], Provenance, str]], size: int) -> Iterator[Rows]:
    """The rows of units given as (texts by language, provenance, status), in batches of
    ``size`` units, those without a date dated now."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for batch in in_batches(units, size):
        yield rows_of(batch, now)


def unit_batches(units: Iterable[Unit], size: int) -> Iterator[Rows]:
    """:func:`batches_of` for units."""
    return batches_of(((unit.variants, unit.provenance, unit.status) for unit in units), size)


def in_batches(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    stream = iter(items)
    while batch := list(islice(stream, size)):
        yield batch
