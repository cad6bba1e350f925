"""The words relations and stances are read from.

A relation comes from a verb (``praised``, ``attacked``), a verb with a fixed object or particle
(``heaped praise on``, ``hit out at``, ``paid tribute to``) or a labelling verb whose label is
loaded (``described her as a liar``). A stance comes from a verb whose object is what the holder
is for or against (``called for an inquiry``, ``opposed the bill``, ``don't need more inquiries``).
"""

from __future__ import annotations

from onrecord.model import Predicate


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


VERBS: dict[str, Predicate] = {}
for _predicate, _lemmas in (
    (
        "praises",
        "praise hail laud commend applaud congratulate salute compliment acclaim extol lionise lionize",
    ),
    (
        "criticises",
        "criticise criticize attack slam blast condemn denounce lambast lambaste rebuke berate chide "
        "castigate deride mock ridicule scold assail excoriate disparage insult savage pillory vilify "
        "smear censure decry belittle",
    ),
    ("thanks", "thank"),
    ("accuses", "accuse blame"),
    ("supports", "support back endorse defend champion"),
    ("opposes", "oppose"),
):
    for _lemma in _lemmas.split():
        VERBS[_lemma] = _predicate  # type: ignore[assignment]

# verb + particle or preposition, the object being the preposition's object: "hit out at X"
PHRASAL: dict[tuple[str, str], Predicate] = {
    ("hit", "at"): "criticises",
    ("lash", "at"): "criticises",
    ("round", "on"): "criticises",
    ("rail", "against"): "criticises",
    ("speak", "against"): "criticises",
    ("turn", "on"): "criticises",
    ("vote", "against"): "opposes",
    ("campaign", "against"): "opposes",
    ("stand", "against"): "opposes",
    ("side", "with"): "supports",
    ("stand", "by"): "supports",
    ("vote", "for"): "supports",
    ("campaign", "for"): "supports",
}

# verb + a noun object + preposition: "heaped praise on X", "took aim at X", "paid tribute to X"
NOUN_OBJECTS: dict[str, Predicate] = {
    "praise": "praises",
    "tribute": "praises",
    "plaudit": "praises",
    "compliment": "praises",
    "scorn": "criticises",
    "criticism": "criticises",
    "aim": "criticises",
    "swipe": "criticises",
    "broadside": "criticises",
    "blame": "accuses",
    "finger": "accuses",
    "gratitude": "thanks",
    "thanks": "thanks",
    "support": "supports",
    "backing": "supports",
}
NOUN_OBJECT_PREPOSITIONS = frozenset({"on", "at", "to", "for", "upon"})

# "described X as a liar", "called him a hero", "branded her a traitor": the label decides
LABELLING = frozenset({"describe", "call", "label", "brand", "dub", "term", "denounce"})

# "X ought to stay out of it", said by someone else: telling X to go away is an attack on X
ADVICE_VERBS = frozenset(
    {
        "stay",
        "keep",
        "butt",
        "back",
        "resign",
        "quit",
        "apologise",
        "apologize",
        "focus",
        "mind",
        "shut",
        "step",
    }
)
ADVICE_MODALS = frozenset({"ought", "should", "must"})

# "a line has been crossed by X": said by someone, X is attacked
MISCONDUCT = frozenset({("cross", "line"), ("overstep", "mark"), ("cross", "boundary")})

# a relation or stance under one of these is not asserted: "refused to praise", "did not back"
NEGATORS = frozenset({"refuse", "decline", "fail", "deny", "stop", "reject", "avoid"})
# "want to praise", "decided to back": the stance or relation holds
CARRIERS = frozenset(
    {
        "want",
        "plan",
        "decide",
        "try",
        "promise",
        "vow",
        "pledge",
        "agree",
        "continue",
        "begin",
        "start",
        "seek",
        "hope",
        "intend",
        "go",
        "be",
        "have",
        "need",
        "choose",
        "move",
        "aim",
        "also",
    }
)

# stance verbs: the holder is for (+1) or against (-1) what follows
STANCE_VERBS: dict[str, int] = {}
for _sign, _lemmas in (
    (
        1,
        "support back endorse welcome favour favor urge demand advocate propose seek request recommend "
        "champion want need order launch hold open commission establish conduct intervene act approve "
        "embrace promote press push",
    ),
    (
        -1,
        "oppose reject resist dismiss block scrap abandon halt veto criticise criticize condemn denounce "
        "attack slam fight",
    ),
):
    for _lemma in _lemmas.split():
        STANCE_VERBS[_lemma] = _sign
# "called for", "pushed for", "argued against": a verb whose preposition carries the stance
STANCE_PREPOSITIONS: dict[tuple[str, str], int] = {
    ("call", "for"): 1,
    ("push", "for"): 1,
    ("press", "for"): 1,
    ("campaign", "for"): 1,
    ("argue", "for"): 1,
    ("vote", "for"): 1,
    ("lobby", "for"): 1,
    ("ask", "for"): 1,
    ("argue", "against"): -1,
    ("vote", "against"): -1,
    ("campaign", "against"): -1,
    ("warn", "against"): -1,
    ("speak", "against"): -1,
    ("rule", "out"): -1,
    ("vote", "down"): -1,
}
# nouns that carry a stance when they are the object: "backed calls for X", "rejected demands for X"
STANCE_NOUNS = frozenset({"call", "demand", "plea", "push", "campaign", "bid", "proposal", "request"})
