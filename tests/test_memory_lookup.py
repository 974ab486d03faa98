"""Candidate selection measured against a brute-force scan scored the way tm scores, on a
memory large enough that the first lookup round cannot read every posting."""

from __future__ import annotations

import random

from tm.memory import Unit, open_memory
from tm.memory.normalise import normalise
from tm.memory.scoring import score

SUBJECTS = ["The minister", "INTERPOL", "The agency", "The police", "Customs", "Europol"]
VERBS = ["announced", "reported", "confirmed", "welcomed", "launched"]
OBJECTS = ["the arrest of", "a campaign against", "an inquiry into", "funding for"]
THINGS = ["counterfeit medicines", "human trafficking", "stolen vehicles", "illegal fishing", "fraud"]
PLACES = ["Paris", "Lyon", "Cairo", "Rabat", "Amman", "Dakar", "Tunis", "Beirut", "Doha", "Algiers"]
NAMES = ["Nadia Karam", "Omar Haddad", "Claire Petit", "Youssef Saleh", "Leila Aziz", "Jean Moreau"]


def _slots(rng: random.Random) -> dict:
    return {
        "who": rng.choice(SUBJECTS),
        "verb": rng.choice(VERBS),
        "what": rng.choice(OBJECTS),
        "thing": rng.choice(THINGS),
        "place": rng.choice(PLACES),
        "name": rng.choice(NAMES),
        "day": rng.randint(1, 28),
        "year": rng.randint(2005, 2024),
        "n": rng.randint(2, 90),
    }


def _sentence(s: dict) -> tuple[str, str]:
    en = (
        f"{s['who']} {s['verb']} {s['what']} {s['thing']} in {s['place']} on {s['day']} May {s['year']},"
        f" with {s['n']} countries taking part, {s['name']} said."
    )
    fr = f"[fr] {s['who']} / {s['thing']} / {s['place']} / {s['day']} mai {s['year']}"
    fr += f" / {s['n']} pays / {s['name']}."
    return en, fr


def _archive(families: int, seed: int = 12) -> list[tuple[str, str]]:
    """Families of near repeats: a sentence and copies of it with one slot changed."""
    rng = random.Random(seed)
    pairs = []
    for _ in range(families):
        slots = _slots(rng)
        pairs.append(_sentence(slots))
        for _ in range(rng.randint(1, 4)):
            changed = dict(slots)
            key = rng.choice(list(slots))
            changed[key] = _slots(rng)[key]
            pairs.append(_sentence(changed))
    return sorted(set(pairs))


def _reference(query: str, pairs: list[tuple[str, str]], threshold: int) -> list[int]:
    """The scores of the best three distinct suggestions over the whole archive."""
    norm = normalise(query)
    scored = sorted((score(norm, normalise(en), fr, "fr") for en, fr in pairs), key=lambda s: -s.score)
    best, seen = [], set()
    for result in scored:
        if result.score >= threshold and result.target not in seen:
            seen.add(result.target)
            best.append(result.score)
    return best[:3]


def test_three_suggestions_are_as_good_as_a_brute_force_scan(memory_url):
    pairs = _archive(1500)
    memory = open_memory(memory_url)
    try:
        memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs])
        rng = random.Random(5)
        queries = [rng.choice(pairs)[0] for _ in range(20)]  # exact repeats, siblings in memory
        held = wanted = 0
        for query in queries:
            reference = _reference(query, pairs, 75)
            got = [m.score for m in memory.matches("en", query, "fr", threshold=75, limit=3)]
            wanted += len(reference)
            held += sum(1 for rank, best in enumerate(reference) if rank < len(got) and got[rank] >= best)
        assert wanted >= 40
        assert held / wanted >= 0.95
    finally:
        memory.close()
