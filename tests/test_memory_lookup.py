"""Candidate selection measured against a brute-force scan scored the way tm scores, on a
memory large enough that the first lookup round cannot read every posting."""

from __future__ import annotations

import random

import pytest

from conftest import need_oracle
from tm.memory import Provenance, Unit, indexing, open_memory, store
from tm.memory import normalise as normalise_module
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


def test_a_sentence_with_other_names_and_figures_is_found_among_many_sharing_as_many_rare_terms(
    memory_url, monkeypatch
):
    """The nearest neighbour shares the sentence's clauses (terms too common to read) but none
    of its names or figures, and ties on the rare terms read with hundreds of texts of the
    sentence's very length: only the sketches of their terms tell it apart."""
    monkeypatch.setattr(store, "ROUNDS", ((1000, 5),))  # the clauses' terms are never read
    clause = (
        "The general assembly in {} adopted {} resolutions on human trafficking and further arrests are"
        " expected in the coming weeks, a spokesperson for the agency said."
    )
    query = clause.format("Marrakesh", 795)
    mate = clause.format("Bamako", 958)  # three letters shorter
    weaker = query.replace("coming weeks", "next months").replace("for the agency", "of the police")
    rng = random.Random(3)
    words = ["police", "customs", "seized", "goods", "week", "border", "officers", "report", "agency", "case"]
    decoys = set()
    while len(decoys) < 300:  # each as long as the sentence, sharing its rare terms
        text = f"{rng.choice(PLACES)} {' '.join(rng.sample(words, 4))} on human trafficking and "
        filler = " ".join(rng.choices(words, k=20))
        body = (text + filler)[: len(query) - 3]
        decoys.add(f"{body.rstrip()}{'x' * (len(body) - len(body.rstrip()))} z.")
    fillers = []  # the clauses, each in a thousand other texts: too common to read
    for i in range(1000):
        fillers.append(f"The general assembly in {PLACES[i % 10]} met {i} times to review budget {i}.")
        fillers.append(f"Delegates adopted {i} resolutions on budgets for region {i}.")
        fillers.append(f"Police in {PLACES[i % 10]} said on case {i} and further arrests are expected.")
        fillers.append(
            f"In the coming weeks, a spokesperson for the agency said case {i} was expected in court."
        )
    pairs = [(text, f"fr {i}") for i, text in enumerate([mate, weaker, *sorted(decoys), *fillers])]
    assert all(len(normalise(d)) == len(normalise(query)) for d in decoys)
    memory = open_memory(memory_url)
    try:
        memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs])
        best = memory.matches("en", query, "fr", threshold=75, limit=1)
        assert _reference(query, pairs, 75)[0] == score(normalise(query), normalise(mate), "x", "fr").score
        assert best[0].source == mate
    finally:
        memory.close()


def _ranked(read: int, far_shares: int, close_share: int) -> list[int]:
    """The 5 units a lookup re-scores of 51 texts as long as the sentence: unit 1, whose
    sketch differs from the sentence's in every bit, sharing ``far_shares`` terms read;
    units 2-51, whose sketches equal the sentence's, sharing ``close_share``. Ten terms,
    ``read`` of them read."""
    lookup = store._Lookup([], {f"term {k}": 100 + k for k in range(10)}, 90, sketched=0)
    assert len(lookup.choose(100 * read + 45)) == read
    far = indexing.entry(1, 90, 2**24 - 1)
    close = [indexing.entry(uid, 90, 0) for uid in range(2, 52)]
    lookup.count([indexing.pack([far] * (k < far_shares) + close * (k < close_share)) for k in range(read)])
    return lookup._most_shared(5)


def test_a_sketch_stands_for_the_terms_not_read():
    # two terms of ten read: a closer sketch outweighs a rare term shared
    assert 1 not in _ranked(read=2, far_shares=2, close_share=1)
    # every term read: the terms shared decide
    assert 1 in _ranked(read=10, far_shares=8, close_share=7)
    # all but one read: the sketches still tell apart texts sharing as many
    assert 1 not in _ranked(read=9, far_shares=7, close_share=7)


@pytest.mark.parametrize("copy", ["compiled", "definition"])
def test_counts_beyond_what_a_rank_can_hold_are_capped_not_wrapped_round(copy, monkeypatch):
    if copy == "definition":
        monkeypatch.setattr(normalise_module, "compiled", lambda: None)
    else:
        need_oracle(normalise_module.compiled() is not None, "the compiled term extraction (make fast)")
    # a hundred terms read, a text in two languages alike: counted twice per term
    lookup = store._Lookup([], {f"term {k}": 100 for k in range(100)}, 90, sketched=0)
    assert len(lookup.choose(10**6)) == 100
    twice = indexing.entry(1, 90, 0)
    others = [indexing.entry(uid, 90, 0) for uid in range(2, 52)]
    lookup.count([indexing.pack([twice, twice, *others[: k % 50 + 1]]) for k in range(100)])
    assert isinstance(lookup.shared, indexing.Tally) == (copy == "definition")
    assert lookup.shared.counts()[0] == 200
    assert lookup._most_shared(5)[0] == 1


@pytest.fixture
def archive_memory(memory_url):
    """A memory of 300 families of near repeats (:func:`_archive`), and their English."""
    pairs = _archive(300)
    memory = open_memory(memory_url)
    try:
        memory.add_units([Unit({"en": en, "fr": fr}) for en, fr in pairs])
        yield memory, [en for en, _fr in pairs]
    finally:
        memory.close()


def test_units_re_scored_give_the_same_matches_read_in_one_query_or_two(archive_memory, monkeypatch):
    memory, sentences = archive_memory
    queries = [en.replace(" on ", " since ") for en in sentences[:40:4]]
    many = memory.matches_many("en", queries, "fr", threshold=75, limit=3)
    monkeypatch.setattr(store, "FEW_UNITS", 0)  # a server too: texts first, then the rest
    assert memory.matches_many("en", queries, "fr", threshold=75, limit=3) == many
    monkeypatch.setattr(store, "FEW_UNITS", 10**6)  # a server: all in one query
    assert memory.matches_many("en", queries, "fr", threshold=75, limit=3) == many
    assert sum(map(len, many)) >= 10


def test_only_sentences_with_weak_matches_are_looked_for_further(memory_url, monkeypatch):
    memory = open_memory(memory_url)
    try:
        remembered = (
            "The police of France arrested 55 suspects in Lyon on Monday after a long inquiry into fraud"
        )
        memory.add_units([Unit({"en": remembered, "fr": "La police française a arrêté 55 suspects."})])
        memory.add_units([Unit({"en": f"{s}.", "fr": f"fr {i}"}) for i, (s, _fr) in enumerate(_archive(200))])
        asked = []
        candidates = store._Lookups.candidates

        def spy(self, which, budget, size):
            asked.append((budget, list(which)))
            return candidates(self, which, budget, size)

        monkeypatch.setattr(store._Lookups, "candidates", spy)
        strong = remembered.replace("Lyon", "Paris")  # 95: settled
        weak = "The police of Spain detained suspects in Madrid on Friday after an inquiry into fraud"  # 78
        found = memory.matches_many("en", [strong, weak], "fr", threshold=75, limit=1)
        assert [m[0].score for m in found] == [95, 78]
        assert [which for budget, which in asked if budget == store.FURTHER[0]] == [[1]]
        # three suggestions asked for: the strong sentence's second and third are not near
        # exact, so it is looked for further too
        asked.clear()
        found = memory.matches_many("en", [strong, weak], "fr", threshold=75, limit=3)
        assert found[0][0].score == 95
        assert [which for budget, which in asked if budget == store.FURTHER_SEVERAL[0]] == [[0, 1]]
    finally:
        memory.close()


def test_only_units_that_can_be_among_the_best_are_read_in_full(archive_memory, monkeypatch):
    memory, sentences = archive_memory
    queries = [en.replace(" on ", " since ") for en in sentences[:80:4]]
    monkeypatch.setattr(store, "FEW_UNITS", 0)  # a server too: texts first, then the rest
    read: list[int] = []
    read_and_score = store.IndexedMemory._read_and_score

    def spy(self, norms, langs, threshold, wanted, found, checked=True):
        read.extend(u for units in wanted.values() for u in units)
        return read_and_score(self, norms, langs, threshold, wanted, found, checked)

    monkeypatch.setattr(store.IndexedMemory, "_read_and_score", spy)
    for limit in (1, 3):
        read.clear()
        chosen = memory.matches_many("en", queries, "fr", threshold=75, limit=limit)
        few = len(read)
        # the same as reading every unit that reaches the threshold in full
        with monkeypatch.context() as every:
            every.setattr(store, "_worth_reading", lambda found, offered, limit: [u for _b, u in offered])
            read.clear()
            assert memory.matches_many("en", queries, "fr", threshold=75, limit=limit) == chosen
        assert few < len(read) / 2
        assert sum(map(len, chosen)) >= len(queries) * limit // 2


def test_of_equal_matches_the_unit_added_last_comes_first(memory_url):
    memory = open_memory(memory_url)
    try:
        same = Provenance(date="2012-05-22T10:00:00+00:00")
        memory.add_units([Unit({"en": "The meeting ended.", "fr": "La réunion a pris fin."}, same)])
        memory.add_units([Unit({"en": "The meeting ended.", "fr": "La réunion s'est achevée."}, same)])
        best = memory.matches("en", "The meeting ended.", "fr", limit=2)
        assert [m.target for m in best] == ["La réunion s'est achevée.", "La réunion a pris fin."]
    finally:
        memory.close()


def test_the_pairs_of_a_fixed_phrase_cost_the_budget_once_and_count_each():
    # "the general secretariat in lyon": four pairs, each in the same 500 units
    frequency = {"rare name": 3, "general secretariat": 500, "secretariat in": 500, "in lyon": 500}
    frequency |= {"the general": 500, "said that": 900}
    lookup = store._Lookup([], frequency, 40)
    chosen = lookup.choose(600)
    assert chosen[0] == "rare name"
    assert sorted(chosen[1:]) == ["general secretariat", "in lyon", "secretariat in", "the general"]
    assert lookup.spent == 503  # the phrase's list once
    assert lookup.choose(600) == ["said that"]  # at least one term a round, over budget or not
    phrase = indexing.pack([indexing.entry(u, 40, 0) for u in range(1, 501)])
    other = indexing.pack([indexing.entry(u, 40, 0) for u in range(400, 901)])
    lookup.count([indexing.pack([indexing.entry(7, 40, 0)]), phrase, phrase, phrase, phrase])
    lookup.count([other])
    one_by_one = indexing.tally()
    for blob in [indexing.pack([indexing.entry(7, 40, 0)]), phrase, phrase, phrase, phrase, other]:
        one_by_one.add(blob)
    assert lookup.shared.entries() == one_by_one.entries()
    assert lookup.shared.counts() == one_by_one.counts()
    assert max(lookup.shared.counts()) == 5  # unit 7: the rare name and the phrase's four pairs


def _read_and_counted(memory, monkeypatch, query: str) -> tuple[list[str], store._Lookup, list[int]]:
    """The terms whose postings a lookup of ``query`` reads (all its terms asked for), its
    count of them and the units it offers; and checks that count against adding each term's
    postings one by one."""
    read: list[str] = []
    rows = memory._rows

    def spy(sql, params, values):
        if sql.startswith("SELECT term, units FROM posting"):
            read.extend(values)
        return rows(sql, params, values)

    monkeypatch.setattr(memory, "_rows", spy)
    lookups = store._Lookups(memory, "en", [normalise(query)])
    found = lookups.candidates([0], 10**6, 10)[0]
    lookup = lookups.sentences[0]
    one_by_one = indexing.tally()
    for term in sorted(lookup.frequency):
        one_by_one.add(
            b"".join(blob for (blob,) in rows("SELECT units FROM posting WHERE term IN ({})", (), [term]))
        )
    assert lookup.shared.entries() == one_by_one.entries()
    assert lookup.shared.counts() == one_by_one.counts()
    return read, lookup, found


def test_the_postings_of_a_fixed_phrase_are_read_once_for_all_its_pairs(memory_url, monkeypatch):
    monkeypatch.setattr(store, "SAME_LIST_LENGTH", 3)
    memory = open_memory(memory_url)
    try:
        # the pairs of a clause each in the same four units; each name in one unit
        names = ["Nadia Karam", "Omar Haddad", "Claire Petit", "Jean Moreau"]
        memory.add_units(
            [
                Unit({"en": f"{name} spoke at the general secretariat in Lyon.", "fr": f"{name} a parlé."})
                for name in names
            ]
        )
        read, lookup, found = _read_and_counted(
            memory, monkeypatch, "Leila Aziz spoke at the general secretariat in Lyon."
        )
        phrase = ["at the", "general secretariat", "in lyon", "secretariat in", "spoke at", "the general"]
        assert set(phrase) <= set(lookup.frequency)
        assert len([term for term in read if term in phrase]) == 1
        assert len(found) == 4
    finally:
        memory.close()


def test_short_lists_of_the_same_length_are_each_read(memory_url, monkeypatch):
    memory = open_memory(memory_url)
    try:
        memory.add_units([Unit({"en": "Nadia Karam spoke in Lyon on Monday.", "fr": "Nadia Karam a parlé."})])
        memory.add_units([Unit({"en": "Omar Haddad wrote in Lyon on Monday.", "fr": "Omar Haddad a écrit."})])
        read, lookup, found = _read_and_counted(memory, monkeypatch, "Nadia Karam wrote in Lyon on Monday.")
        # "nadia karam" (both texts of the first unit) and "in lyon" (both units): as long,
        # in the same range of unit ids, but not the same postings
        assert lookup.frequency["nadia karam"] == lookup.frequency["in lyon"] == 2
        assert {"nadia karam", "in lyon"} <= set(read)
        assert sorted(found) == [1, 2]
    finally:
        memory.close()


def test_a_unit_is_scored_within_the_same_reach_in_one_query_or_two(memory_url, monkeypatch):
    """Numbers alone differ, by so many digits that the plain similarity is far below the
    threshold: neither way of reading suggests it, and a near repeat is suggested by both."""
    memory = open_memory(memory_url)
    try:
        memory.add_units([Unit({"en": "Call 5 now.", "fr": "Appelez le 5."})])
        memory.add_units([Unit({"en": "Arrests made in 12 countries.", "fr": "Arrestations dans 12 pays."})])
        asked = ["Call 98765432101 now.", "Arrests made in 14 countries."]
        for few in (0, 10**6):  # texts first, then the rest; all in one query
            monkeypatch.setattr(store, "FEW_UNITS", few)
            found = memory.matches_many("en", asked, "fr", threshold=75, limit=1)
            assert found[0] == []
            assert [m.target for m in found[1]] == ["Arrestations dans 14 pays."]
    finally:
        memory.close()
