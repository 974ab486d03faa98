"""What ``tm memory search`` and ``tm memory stats`` print: plain text or JSON."""

from __future__ import annotations

import json
from dataclasses import asdict

from tm.memory import Hit, Stats


def hits_json(hits: list[Hit]) -> str:
    return json.dumps(
        [
            {
                "score": h.score,
                "lang": h.lang,
                "unit": h.unit.id,
                "variants": dict(h.unit.variants),
                "status": h.unit.status,
                **asdict(h.unit.provenance),
            }
            for h in hits
        ],
        ensure_ascii=False,
        indent=1,
    )


def hits_table(hits: list[Hit]) -> str:
    """One block per unit: the score and the matching language first, then the others."""
    if not hits:
        return "no match"
    blocks = []
    for h in hits:
        p = h.unit.provenance
        lines = [f"{h.score:>3}%  #{h.unit.id}  {h.lang}  {h.unit.variants[h.lang]}"]
        pad = " " * len(f"{h.score:>3}%  #{h.unit.id}  ")
        lines += [f"{pad}{lang}  {text}" for lang, text in h.unit.variants.items() if lang != h.lang]
        where = ", ".join(
            x for x in (f"{p.release} {p.segment}".strip(), p.origin, h.unit.status, p.date) if x
        )
        lines.append(f"{pad}({where})")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def stats_json(stats: Stats) -> str:
    return json.dumps(asdict(stats), ensure_ascii=False, indent=1)


def stats_table(stats: Stats) -> str:
    def listing(counts: dict[str, int]) -> str:
        return ", ".join(f"{k} {v:,}" for k, v in counts.items()) or "-"

    return "\n".join(
        [
            f"units        {stats.units:,}",
            f"languages    {listing(stats.variants)}",
            f"origins      {listing(stats.origins)}",
            f"statuses     {listing(stats.statuses)}",
            f"index terms  {stats.terms:,}",
        ]
    )


RENDERERS = {"table": (hits_table, stats_table), "json": (hits_json, stats_json)}
