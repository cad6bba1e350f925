"""What the speaker resolver reads in a phrase: the word lists it tests heads against, the
name of an unnamed group, a clause's number, where a noun's modifiers start, and the
mentions it keeps in view (``Mention``), and a head's lemma and determiners."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from onrecord.lexicon import (
    DOCUMENT_NOUNS,
    PERSON_NOUNS,
    ROLE_NOUNS,
    WRITING_NOUNS,
)
from onrecord.nlp.text import doc_text

_CANDIDATE = {"candidate", "nominee", "hopeful", "contender"}
_LAWMAKER = {"lawmaker", "congressman", "congresswoman", "representative", "senator", "legislator"}
_DOCTOR = {"doctor", "physician", "dr"}
_GENERAL = {"general", "gen"}
ROLE_SYNONYMS: dict[str, set[str]] = {
    **dict.fromkeys(_CANDIDATE, _CANDIDATE),
    **dict.fromkeys(_LAWMAKER, _LAWMAKER),
    **dict.fromkeys(_DOCTOR, _DOCTOR),
    **dict.fromkeys(_GENERAL, _GENERAL),
}
#: Offices one person does not hold together: "the senator" is not whoever the article
#: describes as a representative, a governor or a mayor.
OFFICES: tuple[frozenset[str], ...] = (
    frozenset({"senator", "sen"}),
    frozenset({"congressman", "congresswoman", "representative", "rep"}),
    frozenset({"governor", "gov"}),
    frozenset({"mayor"}),
    frozenset({"president"}),  # "the senator" is not "President Ana Ortiz"
    frozenset({"secretary"}),  # nor "the former secretary of state"
)
#: A member of a party, as news calls a politician it has named: "the Florida Republican".
PARTY_MEMBERS = frozenset("republican democrat independent libertarian conservative liberal".split())
#: What a news outlet publishes, or the outlet itself: "the article says", "the influential
#: daily said" is the outlet in view speaking.
#: What a news outlet publishes ("an article on Monday" is the outlet's own).
PIECE_NOUNS = frozenset("article piece story editorial".split())
NEWS_NOUNS = PIECE_NOUNS | frozenset("daily weekly newspaper tabloid broadsheet magazine".split())
ORGANISATION_NOUNS = frozenset(
    """
    bank company firm agency campaign group department administration committee network newspaper
    government ministry council party organization organisation union association foundation
    institute center centre court office board commission coalition team club journal
    brand retailer startup manufacturer business chain
    """.split()
)
#: Nouns that say the name after them is a product's or a body's, not a person's ("app Strava").
THING_NOUNS = ORGANISATION_NOUNS | frozenset(
    "app platform service site website tool software product device model maker label".split()
)
OWNED_NOUNS = frozenset("campaign administration team government party office staff aides camp".split())
WINDOW = 1500  # characters a pronoun may reach back
#: What a mention inside someone's reported words loses as an antecedent: "Ana Ortiz said Ben
#: Lutz would resign. She added ..." (a penalty of 0.5 to 2 gives the same on train_resolved).
REPORTED_PENALTY = 1.0
#: What a name loses as an antecedent where it only modifies a noun ("why voters should prefer
#: a Lutz presidency. He concluded ...": not Lutz).
MODIFIER_PENALTY = 1.0


#: Nouns that describe a person, a role or otherwise ("the senator", "the editor").
PERSON_WORDS = ROLE_NOUNS | PERSON_NOUNS
#: Those who speak for someone else: never the one they speak for.
SPOKESPERSON_NOUNS = frozenset("spokesman spokeswoman spokesperson".split())

#: An advertisement under its names: "the ad", "the 30-second spot" speak for who paid for it.
AD_NOUNS = frozenset("ad ads advertisement commercial spot".split())
#: Verbs by whose "by" a document names its maker ("a report released by", "a poll conducted
#: by"); a document "owned by" or "funded by" someone is not theirs to speak for.
MAKING_VERBS = frozenset(
    "write co-write author co-author pen publish release issue conduct produce compile prepare"
    " lead carry commission sponsor draft create make do run file submit post present send sign"
    " co-sign take deliver give".split()
)
#: An ad speaks for whoever pays for it: "an ad funded by the Harbour PAC".
FUNDING_VERBS = frozenset("fund pay finance back buy bankroll underwrite".split())
#: What someone made or did that speaks for its maker named after "by" ("a count by the Harbour
#: Post", "a projection from Tidewater Analytics", "a gaffe by Ana Ortiz"), and for no one else.
MADE_NOUNS = frozenset(
    "count tally average projection estimate forecast examination declaration filing gaffe".split()
)
#: How many sentences back "the ad" or "the statement" may find the one its maker made.
DOCUMENT_SENTENCES = 5

#: People of someone's: "his supporters" are a group of their own ("Lutz supporters"), where
#: "his eyes" or "her remarks" speak for the owner.
FOLLOWER_NOUNS = frozenset(
    """supporter aide ally adviser advisor follower critic fan voter donor backer staffer friend
    colleague lawyer attorney opponent rival member loyalist surrogate associate deputy assistant
    lieutenant partner employee worker volunteer recruit child kid parent relative""".split()
)

#: Marks that open a quotation.
QUOTE_OPENERS = frozenset("\"“‘'«„")

#: A party's documents: "the Democratic platform" speaks for the Democratic Party.
PARTY_DOCUMENTS = frozenset({"platform", "manifesto"})

#: Nouns that a place's name follows after "of": "the city of Nice".
PLACE_NOUNS = frozenset(
    "city town village state country nation province region county island kingdom republic".split()
)

#: Heads that take a part of a group: "most of the voters", "two-thirds of caucus attendees".
PARTITIVES = frozenset(
    """majority minority number most many some all half third thirds quarter percent share portion
    handful few several none each both dozens hundreds thousands millions lot lots rest %""".split()
)
#: Words before a group's noun that count it, not name it: "many whites", "some voters".
QUANTIFIERS = frozenset("many some several few most all both other various numerous".split())
#: Quantifiers that, alone, stand for people left unnamed ("Some say ...", "few agree"), not for
#: a group in view, as "many", "most" and "several" do ("Many Democrats ... but several oppose").
UNSPECIFIED = frozenset({"some", "few"})
#: Pronouns for people no one names ("Nobody said ...", "Someone told me ..."): never a group in view.
INDEFINITE_PRONOUNS = frozenset("someone somebody anyone anybody everyone everybody nobody noone".split())


def unnamed_people(head: Token) -> bool:
    """'Some say', 'Nobody said', 'no one thinks': people the article does not name, not a group
    in view (but "some of them" is a share of one)."""
    lower = head.lower_
    if lower in UNSPECIFIED:
        return not any(c.lower_ == "of" for c in head.children)
    return lower in INDEFINITE_PRONOUNS or (lower == "one" and any(c.lower_ == "no" for c in head.children))


def group_words(head: Token, source: tuple[int, int]) -> list[str]:
    """The name of an unnamed group from its phrase: the part the partitive takes ("about
    two-thirds of caucus attendees" -> "caucus attendees"), without determiners, counts and
    quantifiers ("many Jewish leaders" -> "Jewish leaders") or what follows a comma (a
    non-restrictive clause: "whites, who were insured ..." -> "whites"). A restrictive clause
    stays: "voters who identify as independents". Only words inside ``source`` count; a phrase
    whose head is not a plural noun gives [] (the caller keeps the source text)."""
    seen = set()
    while head.i not in seen and (head.lower_ in PARTITIVES or head.pos_ == "NUM"):
        seen.add(head.i)
        of = next(
            (
                c
                for c in head.children
                if c.dep_ == "prep" and (c.lower_ == "of" or (c.lower_ == "in" and head.pos_ == "NUM"))
            ),
            None,
        )  # "two-thirds of ferry commuters", "6 in 10 commuters"
        target = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if target is None:
            break
        head = target
    tokens = [t for t in head.subtree if source[0] <= t.idx and t.idx + len(t.text) <= source[1]]
    plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
    if head not in tokens or not plural:
        return []  # not a group: "one resident", "an aide" stay as they are
    comma = next((t.i for t in tokens if t.i > head.i and t.text in (",", "(", "—", "–")), None)
    if comma is not None:
        tokens = [t for t in tokens if t.i < comma]
    while (
        tokens
        and tokens[0].i < head.i
        and (
            tokens[0].dep_ in ("det", "predet", "nummod", "quantmod", "advmod", "case")
            or (tokens[0].dep_ == "poss" and tokens[0].pos_ == "PRON")  # "his", not "Hale's"
            or tokens[0].lower_ in QUANTIFIERS
            or tokens[0].lower_ in ("more", "fewer", "less")  # "More than 6 in 10 commuters"
            or tokens[0].is_punct
        )
    ):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens or tokens[-1].i - tokens[0].i + 1 != len(tokens):
        return []  # not one stretch of text: keep the source as it is
    return doc_text(head.doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)].split()


def clause_number(verb: Token) -> str | None:
    """ "singular" or "plural" as a clause's verb or its auxiliary shows it ("who has called",
    "who say"); None when the tense does not tell ("who called")."""
    for token in (*[c for c in verb.children if c.dep_ in ("aux", "auxpass")], verb):
        if token.tag_ == "VBZ" or token.lower_ == "was":
            return "singular"
        if token.tag_ == "VBP" or token.lower_ == "were":
            return "plural"
    return None


def modifiers_start(head: Token) -> int:
    """Where the words before a noun that say which ones it means begin: 'Kent Republicans',
    'white working-class Democrats', 'the Obama administration' ('Obama'); not determiners,
    counts or quantifiers ('many', 'four in 10')."""
    doc = head.doc
    lo = head.i
    while lo > 0:
        before = doc[lo - 1]
        hyphen = before.text in ("-", "‐") and before.dep_ == "punct"
        if (
            not (
                hyphen
                or (before.dep_ in ("compound", "amod", "nmod") and before.pos_ in ("ADJ", "PROPN", "NOUN"))
            )
            or not lo <= before.head.i <= head.i
            or before.lower_ in QUANTIFIERS
            or before.lower_ in ("such", "more", "fewer", "less", "certain", "same")
        ):
            break
        lo -= 1
    while lo < head.i and doc[lo].is_punct:
        lo += 1
    return lo


#: Verbs of a clause that names the noun it hangs on: "a teacher named Ana Ortiz", "a group
#: called Harbour Watch", "a man identified as Ben Lutz", "a firm known as ...".
NAMING_VERBS = frozenset("name call identify know dub".split())


def clause_names(head: Token) -> list[Token]:
    """The words a naming clause on ``head`` gives as its name ("named Ana Ortiz": Ortiz)."""
    found: list[Token] = []
    for clause in head.children:
        if clause.dep_ == "acl" and clause.lemma_.lower() in NAMING_VERBS:
            for c in clause.children:
                if c.dep_ in ("oprd", "dobj", "attr", "xcomp"):
                    found.append(c)
                elif c.dep_ == "prep" and c.lower_ == "as":
                    found.extend(g for g in c.children if g.dep_ == "pobj")
    return found


def word_before(token: Token) -> Token:
    """The word before ``token``, past one punctuation mark ("Ben Lutz, who")."""
    before = token.doc[token.i - 1] if token.i > 0 else token
    if before.is_punct and before.i > 0:
        before = token.doc[before.i - 1]
    return before


def inside(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(lo <= offset < hi for lo, hi in spans)


@dataclass(slots=True)
class Mention:
    offset: int
    cluster: int
    subject: bool
    speaker: bool
    reported: bool = False  # inside someone's reported words
    modifier: bool = False  # a name that modifies a noun ("a Trump presidency")


#: Clauses whose subject is not salient for a later pronoun (complements and small clauses).
EMBEDDED_CLAUSES = frozenset({"ccomp", "xcomp", "acomp", "oprd"})
#: Lower-case words inside an organisation's name ("Bill and Melinda Gates Foundation").
NAME_CONNECTORS = frozenset({"and", "of", "for", "&", "on"})


#: Words that give how many a definite plural stands for: "the two candidates", "both men",
#: "the pair", "those three".
COUNT_WORDS = {"two": 2, "both": 2, "pair": 2, "duo": 2, "three": 3, "trio": 3, "four": 4, "five": 5}


#: Nouns for kinds of people beyond roles and followers: what a plural subject that "they" may
#: stand for names ("Dozens of commuters ... They said").
PEOPLE_NOUNS = frozenset(
    """person people family citizen resident immigrant refugee protester demonstrator adult user
    customer consumer patient farmer soldier troop delegate shopper commuter rider driver passenger
    tourist viewer reader listener legislator conservative liberal progressive independent""".split()
)


def people_subject(token: Token) -> Token | None:
    """The plural noun of people a subject names ("voters who identify as independents"; "a chunk
    of voters", "dozens of ferry workers": the people the share is of), or None: not a subject,
    not people, or the subject of "is" that the sentence says who they are ("The two reporters
    ... are Ana Ortiz and Ben Lutz")."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    if token.head.lemma_ == "be" and any(c.dep_ == "attr" for c in token.head.children):
        return None
    of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    members = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    share = token.tag_ == "NN" or token.lower_ in PARTITIVES or token.pos_ == "NUM"
    people = members if members is not None and share else token
    if people.tag_ != "NNS" or people.lemma_.lower() not in PERSON_WORDS | FOLLOWER_NOUNS | PEOPLE_NOUNS:
        return None
    return people


def partitive_noun(head: Token) -> Token:
    """'None of those three', 'neither of the candidates': the noun the quantifier takes."""
    if head.lower_ in ("none", "neither", "all", "each", "both"):
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        noun = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if noun is not None and noun.pos_ != "PRON":
            return noun
    return head


def plural_count(head: Token) -> int | None:
    """How many a definite plural names ("the two candidates", "both men", "those three",
    "the pair"), or None when it does not say or is not definite."""
    determiners = {c.lower_ for c in head.children if c.dep_ in ("det", "predet")}
    if head.lower_ in COUNT_WORDS and determiners & {"the", "these", "those"}:
        return COUNT_WORDS[head.lower_]  # "the two", "those three", "the pair"
    if head.tag_ != "NNS":
        return None
    numbers = [c.lower_ for c in head.children if c.dep_ == "nummod" and c.lower_ in COUNT_WORDS]
    if numbers and determiners & {"the", "these", "those"}:
        return COUNT_WORDS[numbers[0]]
    if "both" in determiners:
        return 2
    return None


def head_lemma(head: Token) -> str:
    """The head's lemma, but a writing or document noun as written ("data", not "datum")."""
    if head.lower_ in WRITING_NOUNS | DOCUMENT_NOUNS:
        return head.lower_
    return head.lemma_.lower()


def determiners(head: Token) -> set[str]:
    return {c.lower_ for c in head.children if c.dep_ == "det"}


def definite(head: Token, words: tuple[str, ...]) -> bool:
    return any(c.dep_ == "det" and c.lower_ in words for c in head.children)
