"""Generated English news: a few hundred real words, many inflections, no data files needed.

Enough distinct words that threads stemming at once collide (tests/test_ingest_concurrency.py),
deterministic for a seed.
"""

import random

VERBS = """
announce report increase decrease raise cut trade export import invest borrow lend spend save
buy sell merge acquire hire fire employ reduce expand grow shrink recover decline rally slump
forecast predict warn expect estimate calculate publish release launch open close manage lead
govern regulate tax fund finance subsidise protest strike negotiate agree sign approve reject
vote elect appoint resign retire compete dominate struggle fail succeed survive collapse boost
drive push pull attract discover develop produce manufacture deliver ship transport supply
demand consume charge price value rate rank measure compare question investigate accuse deny
confirm admit claim insist suggest propose recommend require allow prevent restrict ban limit
""".split()
NOUNS = """
market economy company bank government minister president official analyst investor share
price profit loss revenue sale growth inflation rate interest debt deficit budget tax fund
factory worker union employer job wage salary pension contract deal merger talk agreement
industry sector energy oil gas power electricity car airline airport flight railway network
phone computer software service customer consumer shop store brand product export import
country nation region city capital border court judge lawyer police crime election party
campaign parliament law rule policy reform crisis recession recovery boom bubble currency
dollar euro pound yen stock bond asset property house home building farmer crop food water
""".split()
ADJECTIVES = """
strong weak high low rapid slow steady sharp modest huge small large global local national
foreign domestic public private financial economic political industrial commercial official
annual quarterly recent current former future early late major minor serious careful
""".split()
NAMES = "Brazil America China Japan India Germany France Britain Russia Canada Mexico Spain Italy Egypt".split()
PREFIXES = ("re", "un", "over", "pre", "dis", "co", "under", "out")
ABBREVIATED = ("Mr. Silva said", "the U.S. economy", "Dr. Ahmed noted", "about 3.5% of the total")


def _verb_forms(verb: str) -> list[str]:
    stem = verb[:-1] if verb.endswith("e") else verb
    plural = verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    return [verb, plural, stem + "ed", stem + "ing", stem + "er", stem + "ers", stem + "ings",
            verb + "ment", verb + "ments", stem + "ation", stem + "ations", stem + "able", stem + "ability"]


def _noun_forms(noun: str) -> list[str]:
    stem = noun[:-1] if noun.endswith("y") else noun
    plural = stem + "ies" if noun.endswith("y") else noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")
    return [noun, plural, noun + "'s", stem + "ical", stem + "ically", noun + "less", noun + "lessness",
            stem + "ization", stem + "izations", noun + "ism", noun + "ist", noun + "ists"]


def _adjective_forms(adjective: str) -> list[str]:
    return [adjective, adjective + "ly", adjective + "ness", adjective + "er", adjective + "est",
            "un" + adjective, adjective + "ity", adjective + "ities", adjective + "ize", adjective + "ized"]


def inflections() -> list[str]:
    forms = [f for v in VERBS for f in _verb_forms(v)] + [f for n in NOUNS for f in _noun_forms(n)]
    return sorted(set(forms + [f for a in ADJECTIVES for f in _adjective_forms(a)]))


def vocabulary() -> list[str]:
    """Every inflection, with and without a prefix (`overvalued`, `rebuilding`)."""
    forms = inflections()
    return sorted(set(forms) | {p + f for p in PREFIXES for f in forms if len(f) > 4})


def news_articles(count: int, seed: int = 8) -> list[str]:
    """`count` article files: a title, paragraphs of sentences, a source line."""
    rng = random.Random(seed)
    forms, prefixed = inflections(), sorted(set(vocabulary()) - set(inflections()))
    texts = []
    for n in range(count):
        pool = rng.sample(forms, 320) + rng.sample(prefixed, 80)  # its own words: many first sightings

        def sentence() -> str:
            words = [rng.choice(pool) for _ in range(rng.randint(8, 22))]
            words.insert(rng.randrange(len(words)), rng.choice(NAMES))
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), rng.choice(ABBREVIATED))
            text = " ".join(words)
            return text[0].upper() + text[1:] + rng.choice(".....?!")

        title = " ".join(rng.choice(pool) for _ in range(6)).title() + f" {n}"
        paragraphs = [" ".join(sentence() for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 7))]
        texts.append("\n".join([title, *paragraphs, f"Source: {rng.choice(['Reuters', 'BBC', 'AP'])}"]))
    return texts
