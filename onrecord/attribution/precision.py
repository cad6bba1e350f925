"""What looks like an attribution and is not one: the last step of the attribution stage.

Web pages (reviews, guides, explainers) talk to their reader; the cue patterns that find
attributions in news then find advice. An *instruction* is left out, in both modes, wherever it
stands outside quotation marks (inside, it is what someone said): a cue verb in the imperative,
with no subject, opening its sentence ("Read about how ...", "Pay attention to how they feel").

*Scope.* PolNeAR, like PARC, counts as attributions what people think, hope, plan or find as
well as what they say ("voters believe the economy is weak", "TikTok metrics support this
claim"). A user after quotations wants what someone said. ``is_quotation`` keeps a candidate
whose content is (partly) in quotation marks, that continues a quotation, that has no cue verb
to judge by, whose cue is a reporting word (a speech verb, a statement noun, "according to"),
or whose source is a document (what a report finds is what its makers put on record), unless
its unquoted content is one pronoun ("Ben Lutz denied it"); the pipeline's default scope,
``quotations``, leaves out the rest after speakers are
resolved (so that they still help resolve the others); scope ``attributions`` keeps them all,
as PolNeAR annotates them (``onrecord eval polnear`` scores in that scope).

The reader addressed ("you'll want to step up to ...", "if you plan to record on location") is
kept: PolNeAR annotates it as an attribution (a belief or intention of the reader's), and
leaving it out (a source opening with "you", outside quotation marks) cost 0.04 points of
relation F1 on its dev split for 17 fewer unmatched predictions on the 16 web-quotes pages.
"""

from __future__ import annotations

from typing import Literal

from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.quotes import find_quotes
from onrecord.attribution.transcripts import in_faq
from onrecord.lexicon import DOCUMENT_NOUNS, NOUN_CUES, SPEECH_VERBS, WRITING_NOUNS
from onrecord.nlp.text import doc_text

Scope = Literal["quotations", "attributions"]
SCOPES: tuple[Scope, ...] = ("quotations", "attributions")
#: Reporting words: what someone said, wrote, posted or shared, not what they think or plan.
REPORTING_CUES = SPEECH_VERBS | NOUN_CUES | frozenset({"share", "flag", "according"})

#: The reporting words as verbs: the noun cues that are no speech verbs ("her support for ...",
#: "a plan to ...") do not report as verbs ("the platform supports ...", "she plans to ..."),
#: except "call" ("Ortiz, who has called the toll a disgrace").
REPORTING_VERBS = REPORTING_CUES - (NOUN_CUES - SPEECH_VERBS - {"call", "calls"})

#: Words that may stand before an imperative in its sentence: "Also read ...", "So consider ...".
LEAD_WORDS = frozenset({"also", "so", "then", "now", "first", "finally", "next", "just", "and", "but", "or"})


def _imperative(doc: Doc, candidate: Candidate) -> bool:
    if candidate.source is not None or candidate.cue_token is None:
        return False
    verb: Token = doc[candidate.cue_token]
    if verb.tag_ != "VB" or any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        return False
    if verb.dep_ not in ("ROOT", "conj"):
        return False
    before = [t for t in doc[verb.sent.start : verb.i] if not (t.is_punct or t.is_space)]
    return all(t.lower_ in LEAD_WORDS for t in before)


#: Sentence openers built on a speech verb that report nothing: "That said, ...", "That being
#: said, ...", "Having said that, ...", "Needless to say, ...".
DISCOURSE_MARKERS = frozenset(
    {("that", "said"), ("that", "being", "said"), ("having", "said", "that"), ("needless", "to", "say")}
)


def _discourse_marker(doc: Doc, candidate: Candidate) -> bool:
    """The cue is a discourse marker opening its sentence, set off by a comma ("That said, we
    can expect ..."), not an attribution."""
    if candidate.cue_token is None:
        return False
    cue = doc[candidate.cue_token]
    start = cue.sent.start
    while start < cue.i and (
        doc[start].is_punct or doc[start].is_space or doc[start].lower_ in ("but", "and", "so")
    ):
        start += 1
    for marker in DISCOURSE_MARKERS:
        end = start + len(marker)
        if (
            end < len(doc)
            and start <= cue.i < end
            and tuple(t.lower_ for t in doc[start:end]) == marker
            and doc[end].text == ","
        ):
            return True
    return False


def _asked_of(doc: Doc, candidate: Candidate) -> bool:
    """'Asked whether she would accept ..., Ortiz said no': the question put to the subject,
    by someone the sentence does not name, is not the subject's statement."""
    if candidate.cue_token is None:
        return False
    cue = doc[candidate.cue_token]
    return (
        cue.lower_ == "asked"
        and cue.tag_ == "VBN"
        and cue.dep_ == "advcl"
        and cue.i == cue.sent.start
        and not any(c.dep_ in ("nsubj", "nsubjpass", "agent") for c in cue.children)
    )


#: What an unquoted content of one word says nothing with: "denied it", "said so".
CONTENT_PRONOUNS = frozenset("it this that so these those them him her".split())


def is_quotation(doc: Doc, candidate: Candidate) -> bool:
    """True for what someone said (see the module docstring): quoted words, a continued
    quotation, a candidate with no cue verb to judge by, one whose cue is a reporting word (not
    a question put to the subject: "Asked whether ..., Ortiz said"), or what a document (a
    report, a study, a book) finds or shows."""
    if candidate.rule.endswith("transcript") and candidate.source is not None:
        # an interview's question is the publication's own, not a quotation
        text = doc_text(doc)
        label = text[candidate.source[0] : candidate.source[1]].lower().rstrip(".")
        if label in ("a", "answer") and in_faq(text, candidate.source[0]):
            return False  # a FAQ's answer is the publication's own too
        return label not in ("q", "question")
    if candidate.quoted_chars or candidate.continues is not None or candidate.cue_token is None:
        return True
    words = [w for lo, hi in candidate.content for w in doc_text(doc)[lo:hi].split()]
    if len(words) == 1 and words[0].strip(".,;").lower() in CONTENT_PRONOUNS:
        return False  # "Ben Lutz denied it": a quotation says something, not "it"
    if _asked_of(doc, candidate):
        return False  # PolNeAR annotates the question as the subject's; it is not what they said
    cue = doc[candidate.cue_token]
    # a noun cue counts as a noun only: "her support for ..." reports, "the platform supports
    # ..." does not
    reporting = REPORTING_CUES if cue.pos_ in ("NOUN", "PROPN") else REPORTING_VERBS
    if cue.lemma_.lower() in reporting or cue.lower_ in ("according", "per"):
        return True
    # a report, a study, a book: what it finds or shows is what its makers put on record
    source = doc[candidate.source_token] if candidate.source_token is not None else None
    documents = DOCUMENT_NOUNS | WRITING_NOUNS
    # "data" as written: its lemma is "datum"
    return source is not None and (source.lemma_.lower() in documents or source.lower_ in documents)


def keep_attributions(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """``candidates`` without the instructions and the discourse markers ("That said, ...")
    (see the module docstring); a kept candidate that continued a dropped one continues
    nothing."""
    quotes = find_quotes(doc_text(doc))

    def quoted(candidate: Candidate) -> bool:
        start = candidate.source[0] if candidate.source is not None else candidate.start
        end = candidate.source[1] if candidate.source is not None else candidate.start
        return any(q.covers(start, end) for q in quotes)

    kept: list[Candidate] = []
    index: dict[int, int] = {}
    for i, candidate in enumerate(candidates):
        if (_imperative(doc, candidate) or _discourse_marker(doc, candidate)) and not quoted(candidate):
            continue
        index[i] = len(kept)
        kept.append(candidate)
    if len(kept) < len(candidates):
        for candidate in kept:
            if candidate.continues is not None:
                candidate.continues = index.get(candidate.continues)
    return kept
