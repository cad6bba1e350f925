"""Transcripts (``transcript_candidates``): a paragraph opening with a speaker's name and a
colon ("ORTIZ: ..."), as interview transcripts set them; page furniture ("Price: ...") is no
speaker."""

from __future__ import annotations

import re
from collections import Counter

from onrecord.attribution.candidates import Candidate
from onrecord.attribution.context import Context, trim
from onrecord.lexicon import PERSON_NOUNS

#: Role nouns before a name in a speaker's label: "Tester Ben Lutz:", "Reviewer Ana Ortiz:".
LABEL_ROLES = PERSON_NOUNS | frozenset({"tester", "reviewer"})
#: Labels of an interview's questions and answers: "Q: ...", "A: ...".
QA_LABELS = frozenset({"q", "a", "question", "answer"})


#: A heading over a page's questions and answers that are its own: "FAQ", "Drip Coffee Makers
#: FAQs", "Frequently asked questions" (a short line without a sentence's end).
FAQ_HEADING = re.compile(
    r"^[^\n.?!]{0,60}\b(?:faqs?|frequently asked questions)\b[^\n.?!]{0,60}$", re.IGNORECASE | re.MULTILINE
)
#: How far back from an answer its FAQ heading may stand, in characters.
FAQ_REACH = 5000


def in_faq(text: str, offset: int) -> bool:
    """Whether an "A:" at ``offset`` answers under a FAQ heading of the page, not in an interview."""
    return any(m.start() < offset for m in FAQ_HEADING.finditer(text, max(0, offset - FAQ_REACH), offset))


#: Words that mark a line as spoken: someone talking of themselves or to someone.
SPOKEN_WORDS = frozenset("i i'm i’m me my we we're we’re us our you your".split())


def _speaker_label(
    ctx: Context, lo: int, colon: int, end: int, people: set[str], labels: Counter[str]
) -> bool:
    """Whether the words before a paragraph's colon name a speaker: a question or answer label;
    in capitals, a person the tagger found there or by that surname elsewhere in the article
    ("ORTIZ:"), or a name before words that are spoken (a first or second person, a question:
    "HARPER: Why was the first sailing moved?"); in title case, before a line that reads as said,
    a person named outside the labels (``people``: surnames, lower case), or one the tagger found
    there whose label opens more than one paragraph (``labels``). Page furniture ("Credit: ...",
    "PRICE: Up to 40 dollars", "Editor's Note: This article ...") names none."""
    label = ctx.text[lo:colon].strip()
    if label.lower().rstrip(".") in QA_LABELS:
        return True
    line = ctx.text[colon + 1 : end]
    spoken = "?" in line or any(w.strip(".,;:!?\"“”'‘’—-").lower() in SPOKEN_WORDS for w in line.split())
    if not label.isupper() and not _a_turn(ctx, colon + 1, end, spoken=spoken):
        return False  # a label in title case is often a page's furniture: "Carafe: Stainless steel"
    span = ctx.doc.char_span(lo, colon, alignment_mode="expand")
    tagged = span is not None and any(t.ent_type_ == "PERSON" for t in span)
    if not label.isupper():
        # a label in title case names a person the article names outside its labels, or one
        # tagged a person that speaks again: a list's headings ("Embrace Reusables: Pack a cloth
        # bag ...", each once, some of them tagged a person) are no transcript
        words = label.split()
        # or one tagged a person after a role noun ("Tester Ben Lutz: The grip on wet rock ...")
        role = len(words) >= 2 and words[0].lower() in LABEL_ROLES
        return words[-1].lower() in people or (tagged and (labels[label] >= 2 or role))
    if tagged:
        return True
    if label.split()[-1].lower() in people:
        return True
    return spoken


def _a_turn(ctx: Context, start: int, end: int, *, spoken: bool) -> bool:
    """Whether the line after a label in title case reads as something said (a transcript's
    labels in capitals need not, "ORTIZ: Good evening."): it holds a verb or is ``spoken``, and is no
    heading in title case ("Myth: Skipping Meals Leads to Weight Loss") nor a value in a list of
    specifications ("Carafe: Stainless steel")."""
    span = ctx.doc.char_span(start, end, alignment_mode="contract")
    if span is None or not len(span):
        return False
    if not spoken and not any(t.pos_ in ("VERB", "AUX") for t in span):
        return False
    words = [t for t in span if t.is_alpha and len(t.text) > 3]
    titled = sum(t.text[0].isupper() for t in words)
    return not (len(words) >= 3 and titled / len(words) > 0.7 and span[-1].text not in (".", "?", "!"))


#: Labels of a page's furniture before a colon, never a speaker ("Pros: Compact, light",
#: "Bottom line: ...", "Editor's note: ...").
LABEL_FURNITURE = frozenset(
    label.strip()
    for label in """update|editor's note|note|watch|read more|pros|cons|the good|the bad|verdict|bottom line|
    the bottom line|price|prices|best for|summary|tip|tips|pro tip|key takeaways|takeaway|
    takeaways|specs|features|size|sizes|weight|materials|ingredients|rating|our take|
    ps|p.s|todo|fyi|nb|edit|disclaimer|disclosure|warning|myth|fact|reality|
    our verdict|related|source|sources|credit|photo|why we like it|what we like|
    what we don't like|who it's for|who should buy it|tldr|tl;dr|tl dr""".split("|")
)


#: A possessive in a label before a colon: a heading's ("Mira's Tip"), never a speaker's name.
POSSESSIVE_LABEL = re.compile(r"['’]s\b")
#: Characters a speaker's label may run to its colon: "SEN. BEN LUTZ (D-HB), PRESIDENTIAL
#: CANDIDATE:" in a broadcast transcript.
MAX_LABEL = 80
#: A broadcast transcript's label: a name in capitals, then a party and place in brackets or a
#: role after a comma ("ANA ORTIZ, HRN ANCHOR", "BEN LUTZ (D), HARBOUR").
_CAPITALS_LABEL = re.compile(r"([^,(]+?)\s*(?:\(|,)")


#: Last words of a heading before a colon, never of a name ("Quick Tip", "Bonus Tip", "Simple
#: Answer", "Photo Credit", "Measured Weight").
HEADING_NOUNS = frozenset(
    """note notes tip tips hint hints summary takeaway takeaways verdict update warning disclaimer
    disclosure caveat answer question reminder bonus fact myth credit photo specs features
    ingredients materials rating weight size""".split()
)


def _a_heading(words: list[str]) -> bool:
    """Whether a label's words are a heading's: opening with an article ("A Big Caveat", "The
    Bottom Line") or ending in a noun for a heading's kind (``HEADING_NOUNS``)."""
    return (len(words) > 1 and words[0].lower() in ("a", "an", "the")) or words[-1].lower() in HEADING_NOUNS


def label_name(label: str) -> str:
    """The name in a speaker's label: the label itself ("ORTIZ", "Ana Ortiz"), or a name in
    capitals before brackets or a comma ("ANA ORTIZ, HRN ANCHOR" -> "ANA ORTIZ", "TAPPER
    (voice-over)" -> "TAPPER"); a label in title case stays whole (at most 40 characters)."""
    label = label.strip()
    found = _CAPITALS_LABEL.match(label)
    if found is not None and found.group(1).isupper():
        return found.group(1)  # "TAPPER (voice-over)" too
    return label if len(label) <= 40 or label.isupper() else ""


def transcript_candidates(ctx: Context) -> list[Candidate]:
    """'NAME: what they said' at the start of a paragraph (interview transcripts), where NAME
    names a speaker (``_speaker_label``)."""
    found: list[Candidate] = []
    heads = []  # each paragraph with a colon near its start: (start, colon, end)
    for lo, hi in ctx.paragraphs:
        if ctx.text[lo] in '"“':
            lo += 1  # a transcript quoted whole: "“WALLACE: ..."
        colon = ctx.text.find(":", lo, min(hi, lo + MAX_LABEL))
        if colon >= 0:
            heads.append((lo, colon, hi))
    labels = Counter(ctx.text[lo:colon].strip() for lo, colon, _ in heads)
    in_label = {i for lo, colon, _ in heads for i in range(lo, colon)}
    people = {e[-1].lower_ for e in ctx.doc.ents if e.label_ == "PERSON"}
    named = {e[-1].lower_ for e in ctx.doc.ents if e.label_ == "PERSON" and e.start_char not in in_label}
    for lo, colon, hi in heads:
        name = label_name(ctx.text[lo:colon])
        words = name.split()
        if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            continue
        if any(ch.isdigit() for ch in name) or name.lower().replace("’", "'") in LABEL_FURNITURE:
            continue
        if POSSESSIVE_LABEL.search(name) or _a_heading(words):
            continue  # "Mira's Tip:", "Quick Tip:", "A BIG CAVEAT:": a heading, not a name
        start, end = trim(ctx.text, colon + 1, hi)
        name_end = lo + len(name)
        # a name in capitals with a role or a party after it ("JAKE TAPPER, CNN ANCHOR:") is a
        # broadcast transcript's label whatever the line says
        broadcast = name != ctx.text[lo:colon].strip() and name.isupper()
        speaker = _speaker_label(ctx, lo, name_end, hi, people if name.isupper() else named, labels)
        if end - start < 10 or not (broadcast or speaker):
            continue
        head = ctx.doc.char_span(lo, name_end, alignment_mode="expand")
        found.append(
            ctx.candidate(
                (start, end),
                cue=(colon, colon + 1),
                source=(lo, lo + len(name)),
                cue_token=None,
                source_token=head.root.i if head is not None and len(head) else None,
                rule="transcript",
                confidence=0.6,
            )
        )
    return found
