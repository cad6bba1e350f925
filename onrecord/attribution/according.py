"""Attribution by a phrase rather than a verb of the clause.

**According to** (``according_candidates``): "according to X, Y", and "Per X, Y" with X a name
or a document. **As-clauses** (``as_candidates``): "Y, as X reported", "as reported by X, Y".
"""

from __future__ import annotations

from spacy.tokens import Token

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context, content_from_tokens, source_span
from onrecord.lexicon import DOCUMENT_NOUNS, WRITING_NOUNS


def according_candidates(ctx: Context) -> list[Candidate]:
    """'According to X, Y' and 'Y, according to X'; and 'Per X, Y' with X a name or a document."""
    found: list[Candidate] = []
    for token in ctx.doc:
        to: Token | None
        if token.lower_ == "per":
            to, pobj = token, _per_source(token)
        elif token.lower_ == "according":
            to = next((c for c in token.children if c.lower_ == "to"), None)
            if to is None and token.i + 1 < len(ctx.doc) and ctx.doc[token.i + 1].lower_ == "to":
                to = ctx.doc[token.i + 1]
            if to is None:
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        else:
            continue
        if pobj is None:
            continue
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree} | {token.i, to.i}
        sent = token.sent
        tokens = [t for t in sent if t.i not in phrase]
        content = content_from_tokens(ctx, tokens)
        if content is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=(token.idx, to.idx + len(to.text)),
                source=source_span(pobj),
                cue_token=token.i,
                source_token=pobj.i,
                rule="according" if token.lower_ == "according" else "per",
                confidence=0.7,
            )
        )
    return found


#: Verbs that report what was said in an as-clause ("as the Post reported"); not those of
#: promises or predictions ("as she promised", "as he predicted"), which are no statement of it.
AS_CUES = frozenset(
    """say report note tell write state explain announce confirm reveal disclose observe remark
    describe argue add put emphasize emphasise stress acknowledge admit claim insist mention recall
    recount""".split()
)


def as_candidates(ctx: Context) -> list[Candidate]:
    """'Y, as X reported', 'as first reported by X, Y': an as-clause on a speech verb attributes
    the clause it hangs on, less the as-clause, to the verb's subject or agent."""
    found: list[Candidate] = []
    for token in ctx.doc:
        lemma = token.lemma_.lower()
        if token.dep_ != "advcl" or token.pos_ != "VERB" or lemma not in AS_CUES:
            continue
        if not any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
            continue
        if any(
            c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "dobj" and lemma != "tell") for c in token.children
        ):
            continue  # "as she said that ...", "as he reported a loss": a statement of its own
        source = next((c for c in token.children if c.dep_ == "nsubj"), None)
        if source is None:
            agent = next((c for c in token.children if c.dep_ == "agent"), None)
            source = (
                next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            )
        if source is None or source.lower_ in ("it", "this", "that"):
            continue
        lo, hi = token.left_edge.i, token.right_edge.i
        before = [t for t in token.head.subtree if t.i < lo]
        after = [t for t in token.head.subtree if t.i > hi]
        # the side of the as-clause that holds the statement: "Y, as X reported." or "As X
        # reported, Y."
        tokens = (
            before
            if len([t for t in before if not t.is_punct]) >= len([t for t in after if not t.is_punct])
            else after
        )
        content = content_from_tokens(ctx, tokens)
        if content is None:
            continue
        found.append(
            ctx.candidate(
                content,
                cue=(token.idx, token.idx + len(token.text)),
                source=source_span(source),
                cue_token=token.i,
                source_token=source.i,
                rule="as",
                confidence=0.6,
            )
        )
    return found


def _per_source(token: Token) -> Token | None:
    """The source of 'Per X, ...' opening a sentence: X when it is a name ("Per Bankrate"), a
    definite description ("Per the harbour board") or a document ("Per a 2024 report"), and the
    phrase ends in a comma; not a rate ("$5 per month", "Per person, it costs ...")."""
    if not token.is_sent_start:
        return None
    pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
    if (
        pobj is None
        or pobj.right_edge.i + 1 >= len(token.doc)
        or token.doc[pobj.right_edge.i + 1].text != ","
    ):
        return None
    named = pobj.pos_ == "PROPN" or pobj.ent_type_ in ("PERSON", "ORG", "NORP")
    definite = any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ == "the") for c in pobj.children)
    if named or definite or pobj.lemma_.lower() in DOCUMENT_NOUNS | WRITING_NOUNS:
        return pobj
    return None
