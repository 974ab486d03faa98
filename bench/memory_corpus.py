"""A synthetic press-release archive for the memory benchmark, English with French.

Sentences are built from an opening, a main clause and a closing clause (about 8,000
combinations), with names, organisations, countries, cities, numbers and dates in slots.
Archives are made of *families*: a sentence and its near repeats a few releases later with
one to three slots changed (another country, a new figure, a later date), as real
boilerplate is. The release to leverage has exact repeats, near repeats and new sentences.
"""

from __future__ import annotations

import random

FIRST = [
    "Jürgen",
    "Ana",
    "Mohamed",
    "Fatima",
    "Karim",
    "Leila",
    "Jean",
    "Marie",
    "Pierre",
    "Amina",
    "Youssef",
    "Sara",
    "Omar",
    "Nadia",
    "Ali",
    "Hassan",
    "Claire",
    "Luc",
    "Sophie",
    "Ahmed",
    "Mariam",
    "Khalid",
    "Yasmine",
    "Paul",
    "Anne",
    "Rachid",
    "Samir",
    "Ines",
    "Hugo",
    "Lina",
    "Tarek",
    "Salma",
    "Ibrahim",
    "Zineb",
    "Antoine",
    "Camille",
    "Walid",
    "Hiba",
    "Bilal",
    "Nour",
    "Mehdi",
    "Rania",
    "Adel",
    "Dina",
    "Farid",
    "Hana",
    "Kamel",
    "Laila",
    "Malik",
    "Nabil",
]
LAST = [
    "Stock",
    "Benali",
    "Haddad",
    "Dupont",
    "Martin",
    "Mansour",
    "Khoury",
    "Nasser",
    "Bernard",
    "Moreau",
    "Saleh",
    "Rahman",
    "Aziz",
    "Lefebvre",
    "Girard",
    "Touma",
    "Karam",
    "Fontaine",
    "Chevalier",
    "Amrani",
    "Idrissi",
    "Ziani",
    "Hamdi",
    "Sabbagh",
    "Farah",
    "Laurent",
    "Roux",
    "Petit",
    "Darwish",
    "Qasim",
    "Barakat",
    "Nassar",
    "Leclerc",
    "Fournier",
    "Mercier",
    "Gharbi",
    "Jaziri",
]
COUNTRIES = [
    ("France", "la France"),
    ("Morocco", "le Maroc"),
    ("Egypt", "l'Égypte"),
    ("Jordan", "la Jordanie"),
    ("Lebanon", "le Liban"),
    ("Tunisia", "la Tunisie"),
    ("Algeria", "l'Algérie"),
    ("Qatar", "le Qatar"),
    ("Senegal", "le Sénégal"),
    ("Spain", "l'Espagne"),
    ("Italy", "l'Italie"),
    ("Germany", "l'Allemagne"),
    ("Canada", "le Canada"),
    ("Brazil", "le Brésil"),
    ("Kenya", "le Kenya"),
    ("Nigeria", "le Nigeria"),
    ("Oman", "Oman"),
    ("Iraq", "l'Irak"),
    ("Libya", "la Libye"),
    ("Sudan", "le Soudan"),
    ("Mali", "le Mali"),
    ("Niger", "le Niger"),
    ("Chad", "le Tchad"),
    ("Ghana", "le Ghana"),
    ("Japan", "le Japon"),
    ("India", "l'Inde"),
    ("Mexico", "le Mexique"),
    ("Chile", "le Chili"),
    ("Peru", "le Pérou"),
    ("Norway", "la Norvège"),
    ("Sweden", "la Suède"),
    ("Kuwait", "le Koweït"),
]
CITIES = [
    "Lyon",
    "Paris",
    "Rabat",
    "Cairo",
    "Amman",
    "Beirut",
    "Tunis",
    "Algiers",
    "Doha",
    "Dakar",
    "Madrid",
    "Rome",
    "Berlin",
    "Ottawa",
    "Brasilia",
    "Nairobi",
    "Abuja",
    "Muscat",
    "Baghdad",
    "Tripoli",
    "Khartoum",
    "Bamako",
    "Niamey",
    "Accra",
    "Tokyo",
    "Delhi",
    "Singapore",
    "Geneva",
    "Vienna",
    "Brussels",
    "Casablanca",
    "Marrakesh",
    "Alexandria",
    "Sfax",
    "Oran",
    "Dubai",
]
ORGS = [
    ("INTERPOL", "INTERPOL"),
    ("the World Customs Organization", "l'Organisation mondiale des douanes"),
    ("Europol", "Europol"),
    ("the United Nations", "les Nations Unies"),
    ("the African Union", "l'Union africaine"),
    ("the Arab League", "la Ligue arabe"),
    ("the European Commission", "la Commission européenne"),
    ("the national police", "la police nationale"),
    ("the ministry of the interior", "le ministère de l'Intérieur"),
    ("the customs service", "le service des douanes"),
    ("the coast guard", "les garde-côtes"),
]
CRIMES = [
    ("counterfeit medicines", "les faux médicaments"),
    ("child sexual abuse", "les abus sexuels sur enfants"),
    ("human trafficking", "la traite des êtres humains"),
    ("stolen vehicles", "les véhicules volés"),
    ("illegal fishing", "la pêche illicite"),
    ("firearms trafficking", "le trafic d'armes à feu"),
    ("cybercrime", "la cybercriminalité"),
    ("money laundering", "le blanchiment d'argent"),
    ("wildlife crime", "la criminalité liée aux espèces sauvages"),
    ("drug trafficking", "le trafic de drogue"),
    ("fraud", "la fraude"),
    ("terrorism financing", "le financement du terrorisme"),
]
MONTHS = [
    ("January", "janvier"),
    ("February", "février"),
    ("March", "mars"),
    ("April", "avril"),
    ("May", "mai"),
    ("June", "juin"),
    ("July", "juillet"),
    ("September", "septembre"),
    ("October", "octobre"),
    ("November", "novembre"),
    ("December", "décembre"),
]
OPENINGS = [
    ("In {city} on {day} {month} {year},", "À {city}, le {day} {month_fr} {year},"),
    ("Speaking at a press conference in {city},", "Lors d'une conférence de presse à {city},"),
    (
        "According to figures released on {day} {month} {year},",
        "Selon les chiffres publiés le {day} {month_fr} {year},",
    ),
    ("During a visit to {country},", "Lors d'une visite en {country_fr},"),
    ("After {n} months of investigation,", "Après {n} mois d'enquête,"),
    ("At the close of a meeting in {city},", "À l'issue d'une réunion à {city},"),
    ("Following a request from {org},", "À la suite d'une demande de {org_fr},"),
    ("For the {n}th consecutive year,", "Pour la {n}e année consécutive,"),
    ("In a statement issued on {day} {month},", "Dans un communiqué publié le {day} {month_fr},"),
    ("On behalf of {org},", "Au nom de {org_fr},"),
    ("With the support of {org},", "Avec le soutien de {org_fr},"),
    ("Earlier this week in {city},", "Plus tôt cette semaine à {city},"),
    ("Responding to questions from journalists,", "En réponse aux questions des journalistes,"),
    ("As part of its annual report,", "Dans le cadre de son rapport annuel,"),
    ("Two years after the first operation,", "Deux ans après la première opération,"),
    ("Ahead of the summit in {city},", "En amont du sommet de {city},"),
    ("", ""),
]
MAINS = [
    (
        "{person} announced the arrest of {n} suspects linked to {crime}",
        "{person} a annoncé l'arrestation de {n} suspects liés à {crime_fr}",
    ),
    (
        "{org} coordinated an operation against {crime} involving {m} countries",
        "{org_fr} a coordonné une opération contre {crime_fr} impliquant {m} pays",
    ),
    (
        "police officers from {country} seized {n} tonnes of goods related to {crime}",
        "des policiers de {country_fr} ont saisi {n} tonnes de marchandises liées à {crime_fr}",
    ),
    (
        "{person}, head of the unit in {city}, warned that {crime} was growing",
        "{person}, chef de l'unité de {city}, a averti que {crime_fr} progressait",
    ),
    (
        "{org} trained {n} investigators from {country} to fight {crime}",
        "{org_fr} a formé {n} enquêteurs de {country_fr} à la lutte contre {crime_fr}",
    ),
    (
        "the authorities of {country} identified {n} victims of {crime}",
        "les autorités de {country_fr} ont identifié {n} victimes de {crime_fr}",
    ),
    (
        "a new agreement between {org} and {country} will strengthen the fight against {crime}",
        "un nouvel accord entre {org_fr} et {country_fr} renforcera la lutte contre {crime_fr}",
    ),
    (
        "{person} said that {m} countries had shared intelligence on {crime}",
        "{person} a déclaré que {m} pays avaient partagé des renseignements sur {crime_fr}",
    ),
    (
        "{n} websites selling {crime} were closed by the police of {country}",
        "{n} sites internet liés à {crime_fr} ont été fermés par la police de {country_fr}",
    ),
    (
        "{org} opened a regional office in {city} dedicated to {crime}",
        "{org_fr} a ouvert à {city} un bureau régional consacré à {crime_fr}",
    ),
    (
        "the operation led to the rescue of {n} children in {country}",
        "l'opération a permis de secourir {n} enfants en {country_fr}",
    ),
    (
        "{person} met the minister of justice of {country} to discuss {crime}",
        "{person} a rencontré le ministre de la Justice de {country_fr} pour évoquer {crime_fr}",
    ),
    (
        "investigators in {city} dismantled a network responsible for {crime}",
        "des enquêteurs de {city} ont démantelé un réseau responsable de {crime_fr}",
    ),
    (
        "{org} published a report showing a rise of {n} per cent in {crime}",
        "{org_fr} a publié un rapport montrant une hausse de {n} pour cent de {crime_fr}",
    ),
    (
        "more than {n} officers from {m} countries took part in the exercise",
        "plus de {n} agents de {m} pays ont participé à l'exercice",
    ),
    (
        "the general assembly in {city} adopted {n} resolutions on {crime}",
        "l'assemblée générale réunie à {city} a adopté {n} résolutions sur {crime_fr}",
    ),
    (
        "{person} called on all {m} member countries to share data on {crime}",
        "{person} a appelé les {m} pays membres à partager leurs données sur {crime_fr}",
    ),
    (
        "the border police of {country} stopped {n} vehicles carrying {crime}",
        "la police aux frontières de {country_fr} a arrêté {n} véhicules transportant {crime_fr}",
    ),
    (
        "a conference on {crime} brought together {n} experts in {city}",
        "une conférence sur {crime_fr} a réuni {n} experts à {city}",
    ),
    (
        "{org} and {country} signed a memorandum on {crime}",
        "{org_fr} et {country_fr} ont signé un protocole d'accord sur {crime_fr}",
    ),
    (
        "the campaign against {crime} reached {n} million people in {country}",
        "la campagne contre {crime_fr} a touché {n} millions de personnes en {country_fr}",
    ),
    (
        "{person} praised the work of the {n} officers deployed in {city}",
        "{person} a salué le travail des {n} agents déployés à {city}",
    ),
    (
        "the database on {crime} now holds {n} thousand records from {m} countries",
        "la base de données sur {crime_fr} contient désormais {n} mille fiches de {m} pays",
    ),
    (
        "{n} suspects wanted for {crime} were located in {country}",
        "{n} suspects recherchés pour {crime_fr} ont été localisés en {country_fr}",
    ),
]
CLOSINGS = [
    (".", "."),
    (", a spokesperson for {org} said.", ", a déclaré un porte-parole de {org_fr}."),
    (", according to {person}.", ", selon {person}."),
    (" in cooperation with {org}.", " en coopération avec {org_fr}."),
    (", the first such operation in {country}.", ", une première en {country_fr}."),
    (" between {month} and {month2} {year}.", " entre {month_fr} et {month2_fr} {year}."),
    (", with {m} countries taking part.", ", avec la participation de {m} pays."),
    (" and further arrests are expected.", " et d'autres arrestations sont attendues."),
    (", {person} told reporters in {city}.", ", a déclaré {person} aux journalistes à {city}."),
    (" as part of Operation {code}.", " dans le cadre de l'opération {code}."),
    (", up from {n2} the previous year.", ", contre {n2} l'année précédente."),
    (
        " for the period ending on {day} {month} {year}.",
        " pour la période se terminant le {day} {month_fr} {year}.",
    ),
    (" under the project funded by {org}.", " dans le cadre du projet financé par {org_fr}."),
    (".", "."),
]
CODES = [
    "Laminar",
    "Pangea",
    "Infra",
    "Storm",
    "Lionfish",
    "Giboia",
    "Hydra",
    "Sunbird",
    "Trigger",
    "Jackal",
    "Atlas",
    "Kenzo",
    "Sarah",
]


def _slots(rng: random.Random) -> dict[str, str]:
    month, month_fr = rng.choice(MONTHS)
    month2, month2_fr = rng.choice(MONTHS)
    country, country_fr = rng.choice(COUNTRIES)
    org, org_fr = rng.choice(ORGS)
    crime, crime_fr = rng.choice(CRIMES)
    return {
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "country": country,
        "country_fr": country_fr,
        "city": rng.choice(CITIES),
        "org": org,
        "org_fr": org_fr,
        "crime": crime,
        "crime_fr": crime_fr,
        "n": str(rng.randint(2, 999)),
        "n2": str(rng.randint(2, 999)),
        "m": str(rng.randint(2, 190)),
        "day": str(rng.randint(1, 28)),
        "month": month,
        "month_fr": month_fr,
        "month2": month2,
        "month2_fr": month2_fr,
        "year": str(rng.randint(1995, 2026)),
        "code": rng.choice(CODES),
    }


_PAIRED_SLOTS = {"country": "country_fr", "org": "org_fr", "crime": "crime_fr", "month": "month_fr"}


def _render(shape: tuple[int, int, int], slots: dict[str, str]) -> tuple[str, str]:
    (open_en, open_fr), (main_en, main_fr), (close_en, close_fr) = (
        OPENINGS[shape[0]],
        MAINS[shape[1]],
        CLOSINGS[shape[2]],
    )
    en = f"{open_en} {main_en}{close_en}".strip().format(**slots)
    fr = f"{open_fr} {main_fr}{close_fr}".strip().format(**slots)
    return en[0].upper() + en[1:], fr[0].upper() + fr[1:]


def _shape(rng: random.Random) -> tuple[int, int, int]:
    return rng.randrange(len(OPENINGS)), rng.randrange(len(MAINS)), rng.randrange(len(CLOSINGS))


def _vary(rng: random.Random, slots: dict[str, str]) -> dict[str, str]:
    """The same sentence a few releases later: one to three slots changed."""
    changed = dict(slots)
    fresh = _slots(rng)
    for key in rng.sample(
        ["person", "country", "city", "org", "crime", "n", "m", "day", "year", "n2"], rng.randint(1, 3)
    ):
        changed[key] = fresh[key]
        if key in _PAIRED_SLOTS:
            changed[_PAIRED_SLOTS[key]] = fresh[_PAIRED_SLOTS[key]]
    return changed


def archive(size: int, seed: int = 2012) -> list[tuple[str, str]]:
    """``size`` distinct (English, French) sentence pairs in families of near repeats."""
    rng = random.Random(seed)
    seen: set[str] = set()
    pairs: list[tuple[str, str]] = []
    while len(pairs) < size:
        shape, slots = _shape(rng), _slots(rng)
        for _ in range(min(1 + int(rng.expovariate(1 / 4)), 30)):
            en, fr = _render(shape, slots)
            if en not in seen:
                seen.add(en)
                pairs.append((en, fr))
            slots = _vary(rng, slots)
    return pairs[:size]


def release(pairs: list[tuple[str, str]], seed: int = 522) -> list[tuple[str, str]]:
    """50 sentences (English, kind): 15 exact repeats, 20 near repeats, 15 new sentences."""
    rng = random.Random(seed)
    sentences = [(rng.choice(pairs)[0], "exact") for _ in range(15)]
    for _ in range(20):
        en = rng.choice(pairs)[0]
        words = en.split()
        for _ in range(rng.randint(1, 2)):  # a number or a word changed, as editors do
            i = rng.randrange(len(words))
            words[i] = str(rng.randint(2, 999)) if words[i].isdigit() else rng.choice(CITIES)
        sentences.append((" ".join(words), "near"))
    sentences += [(_render(_shape(rng), _slots(rng))[0], "new") for _ in range(15)]
    return sentences
