"""Interview layouts: "NAME: ..." transcripts and "Q: ... A: ..." interviews get their speakers
in both modes; labels of page furniture ("Credit:", "PRICE:") are no speakers (invented pages)."""

from __future__ import annotations

import pytest

from onrecord import extract

NAMES = (
    "Harbour pilots on the new timetable\n\n"
    "Ana Ortiz has piloted ferries in the harbour for twenty years, and Ben Lutz runs the "
    "council's transport office.\n\n"
    "ORTIZ: The early sailing is gone, and commuters will be stranded on the island every morning.\n\n"
    "LUTZ: We will restore it in May, once the new boat arrives.\n"
)

QA = (
    "Harbour pilots on the new timetable\n\n"
    "We spoke with Ana Ortiz, who has piloted ferries for twenty years, about the changes to the "
    "timetable.\n\n"
    "Q: What worries you most about the new timetable?\n\n"
    "A: The early sailing is gone, and commuters will be stranded on the island every morning.\n\n"
    "Q: Will the council listen?\n\n"
    "A: I think they will, once they see the numbers from the first month.\n"
)

FURNITURE = (
    "Harbour ferry timetable changes anger commuters\n\n"
    "Ana Ortiz said the early sailing would be missed by hundreds of commuters.\n\n"
    "Credit: Ben Lutz / Harbour Gazette photo desk\n\n"
    "PRICE: Up to 40 dollars a month for a season ticket on the early ferry.\n\n"
    "INTERVAL: Every twenty minutes at peak hours, every hour after nine.\n\n"
    "Editor’s Note: This article also appeared in the spring issue of the Harbour Gazette.\n\n"
    "Compact cameras are small enough for the ferry deck – see our guide to compact cameras.\n"
    "Pros: Compact, fits in your pocket, waterproof models available\n"
    "Cons: Most feature a smaller sensor, which gives lower quality images at dusk.\n\n"
    "TLDR: We are postponing the fare change for the winter ferries until further notice.\n\n"
    "Myth: Early Ferries Are Always Late for Commuters\n\n"
    "Carafe: Thermal, double-walled stainless steel\n\n"
    "Max Brew: 60 ounces / 12 cups of harbour coffee\n\n"
    "PS: Check out the rest of our ferry guides for the winter season, we update them weekly.\n"
)


def speakers(text: str, mode: str, **kwargs: str) -> list[tuple[str | None, str]]:
    article = extract(text, mode=mode, **kwargs)  # type: ignore[arg-type]
    assert article.bad_spans() == []
    return [(q.speaker.name if q.speaker else None, q.content_text[:20]) for q in article.quotes]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_transcript_line_is_its_named_speaker_s(mode: str) -> None:
    assert speakers(NAMES, mode) == [
        ("Ana Ortiz", "The early sailing is"),
        ("Ben Lutz", "We will restore it i"),
    ]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_an_interview_s_answers_are_the_interviewee_s(mode: str) -> None:
    # the questions are the publication's own: not quotations, and no one's in particular here
    assert speakers(QA, mode) == [
        ("Ana Ortiz", "The early sailing is"),
        ("Ana Ortiz", "I think they will, o"),
    ]
    with_questions = speakers(QA, mode, scope="attributions")
    assert (None, "What worries you mos") in with_questions


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_page_furniture_labels_are_no_speakers(mode: str) -> None:
    assert speakers(FURNITURE, mode, scope="attributions") == [
        ("Ana Ortiz", "the early sailing wo"),
    ]


def test_speaker_labels_in_capitals_are_people_named_in_title_case() -> None:
    text = (
        "Partial transcript as follows:\n\n"
        "JAKE TAPPER: The mayor released a video on Friday. What did you make of it?\n\n"
        "ANA ORTIZ: I thought it was fine and honest, and we needed that.\n\n"
        "TAPPER: Why do you say that about a video like this one?\n\n"
        "ORTIZ: Because it was honest, and we need honesty now."
    )
    article = extract(text, clean=False, mode="fast")
    speakers = [q.speaker.name if q.speaker else None for q in article.quotes]
    assert speakers == ["Jake Tapper", "Ana Ortiz", "Jake Tapper", "Ana Ortiz"], speakers
    kinds = {e.name: e.kind for e in article.entities}
    assert kinds["Ana Ortiz"] == "person" and kinds["Jake Tapper"] == "person"


def test_a_surname_label_in_capitals_finds_the_full_label_no_rule_took() -> None:
    text = (
        "JAKE TAPPER (voice-over): Good evening.\n\nJAKE TAPPER: Welcome back.\n\n"
        "TAPPER: Why do you say that about a video like this one?\n\n"
        "CNN: This segment was recorded on Friday at the studio."
    )
    article = extract(text, clean=False, mode="fast")
    named = {q.content_text: q.speaker.name if q.speaker else None for q in article.quotes}
    assert named.get("Why do you say that about a video like this one?") == "Jake Tapper", named


BROADCAST = (
    "State of the Harbour, Sunday\n\n"
    "ANA ORTIZ, HRN ANCHOR: Good morning. Senator, what is your answer on the ferry?\n\n"
    "SEN. BEN LUTZ (D-HB), PRESIDENTIAL CANDIDATE: The ferry must stay, and I will fight for it.\n\n"
    "UNIDENTIFIED MALE: Hear, hear! Keep the ferry running for all of us.\n\n"
    "ORTIZ: And the toll, Senator? Will it go?\n\n"
    "LUTZ: The toll must go, and I have said so for years.\n"
)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_broadcast_label_names_its_speaker_without_its_role(mode: str) -> None:
    """'ANA ORTIZ, HRN ANCHOR:', 'SEN. BEN LUTZ (D-HB), PRESIDENTIAL CANDIDATE:': the name before
    the comma or bracket, in title case; 'UNIDENTIFIED MALE:' is no one named."""
    article = extract(BROADCAST, mode=mode)
    assert article.bad_spans() == []
    got = [
        (q.source.text if q.source else None, q.speaker.name if q.speaker else None) for q in article.quotes
    ]
    assert got[:2] == [("ANA ORTIZ", "Ana Ortiz"), ("SEN. BEN LUTZ", "Ben Lutz")], got
    assert got[3:] == [("ORTIZ", "Ana Ortiz"), ("LUTZ", "Ben Lutz")], got
    unnamed = article.quotes[2].speaker
    assert unnamed is not None
    entity = article.entity(unnamed.entity)
    assert entity is not None and entity.kind != "person", entity


def test_a_surname_label_finds_a_full_name_the_tagger_took_for_a_title() -> None:
    text = (
        'Transcript of "Harbour Today With Ana Ortiz", Sunday.\n\n'
        "ORTIZ: Good morning. Your answer on the ferry, Senator?\n\n"
        "LUTZ: The ferry must stay, and I will fight for it.\n\nThat was Sen. Ben Lutz."
    )
    article = extract(text, clean=False, mode="fast")
    assert [q.speaker.name if q.speaker else None for q in article.quotes] == ["Ana Ortiz", "Ben Lutz"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "Harbour debate transcript\n\nThe debate was moderated by Ana Ortiz, with Rep. Debra Wasser "
            "Stone.\n\nORTIZ: Good evening. Your answer?\n\nWASSER STONE: The ferry must stay, and I will "
            "fight for it.",
            "Debra Wasser Stone",
            id="a-surname-of-two-words",
        ),
        pytest.param(
            "Harbour debate transcript\n\nThe debate was moderated by Ana Ortiz, with Mayor Ben de Vries."
            "\n\nORTIZ: Good evening. Your answer?\n\nDE VRIES: The ferry must stay, and I will fight for it.",
            "Ben de Vries",
            id="a-surname-with-a-particle",
        ),
        pytest.param(
            "TRANSCRIPT: BEN LUTZ ON THE HARBOUR FERRY\n\nORTIZ: Good evening. Your answer?\n\n"
            "LUTZ: The ferry must stay, and I will fight for it.",
            "Ben Lutz",
            id="a-short-surname-a-headline-in-capitals-names",
        ),
    ],
)
def test_a_surname_label_in_capitals_is_the_full_name(text: str, name: str) -> None:
    article = extract(text, clean=False, mode="fast")
    assert article.quotes[-1].speaker is not None and article.quotes[-1].speaker.name == name


def test_a_label_with_a_role_or_a_direction_is_a_broadcast_speaker_s() -> None:
    """'JAKE TAPPER, CNN ANCHOR:' needs no first or second person in its line to be a label;
    'TAPPER (voice-over):' is Tapper; 'PRICE (USD):' stays page furniture."""
    text = (
        "Transcript\n\nJAKE TAPPER, HRN ANCHOR: Good morning, and welcome to the show.\n\n"
        "TAPPER (voice-over): The senator spoke to us on Sunday about the ferry.\n\n"
        "PRICE (USD): Up to forty dollars a month for a season ticket."
    )
    article = extract(text, clean=False, mode="fast")
    got = [
        (q.source.text if q.source else None, q.speaker.name if q.speaker else None) for q in article.quotes
    ]
    assert got == [("JAKE TAPPER", "Jake Tapper"), ("TAPPER", "Jake Tapper")], got


def test_a_faq_s_answers_are_the_publication_s_own() -> None:
    """Under a page's FAQ heading, "A: ..." is no interviewee's answer: no quotation in the
    quotations scope, and no speaker in the attributions scope."""
    text = (
        "Best kettles\n\nWe tested ten kettles, and Ana Ortiz, our tester, liked the Harbour one best.\n\n"
        "Harbour Kettle FAQs\n\nQ: Do all kettles boil at the same speed?\n\n"
        "A: No, the wattage decides it, and ours ranged widely.\n"
    )
    assert extract(text).quotes == []
    answers = [q for q in extract(text, scope="attributions").quotes if q.source and q.source.text == "A"]
    assert [q.speaker for q in answers] == [None]


@pytest.mark.parametrize(
    ("intro", "host"),
    [
        pytest.param("Sunday on Harbour TV with host Ana Ortiz, Dr. Ben Lutz", "Ana Ortiz", id="host-named"),
        pytest.param("Sunday on Harbour TV, Dr. Ben Lutz", "host", id="host-unnamed"),
    ],
)
def test_a_role_label_is_the_person_described_so_or_no_one_named(intro: str, host: str) -> None:
    text = (
        f"Lutz on the ferry plan\n\n{intro} slammed the ferry plan.\n\n"
        "HOST: What is wrong with the plan?\n\nLUTZ: It costs too much.\n\n"
        "HOST: So what would you do?\n\nLUTZ: Build the bridge."
    )
    article = extract(text, clean=False, mode="fast")
    labelled = [q for q in article.quotes if q.source is not None and q.source.text in ("HOST", "LUTZ")]
    assert [q.speaker.name if q.speaker else None for q in labelled] == [host, "Ben Lutz", host, "Ben Lutz"]
    speaker = labelled[0].speaker
    entity = article.entity(speaker.entity) if speaker is not None else None
    assert entity is not None and entity.kind == ("person" if host != "host" else "unnamed")


LIST_OF_TIPS = (
    "Greener harbour living\n\n"
    "Small changes add up over a year.\n\n"
    "Reduce Plastics: Say no to straws and plastic cutlery when you buy lunch by the harbour.\n\n"
    "Embrace Reusables: Incorporate reusable items into your daily routine and switch to "
    "rechargeable batteries.\n\n"
    "Shop Local: Buy vegetables at the harbour market, which cuts packaging and transport.\n\n"
    "Mira’s Tip: I’m not a fan of warming plates, so brew smaller batches and keep the coffee in a "
    "thermal carafe.\n\n"
    "Quick Tip: Don’t forget the upper deck, where I always find the best light for photos.\n\n"
    "Quick Tip: Use the railings as lines that lead the eye to the harbour wall.\n\n"
    "A BIG CAVEAT: I can only help you if you eat well on the ferry too.\n"
)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_list_s_headings_in_title_case_are_no_speakers(mode: str) -> None:
    """Headings before a colon, each opening one paragraph and naming no one the article names
    elsewhere (some tagged a person), nor a heading with a possessive ("Mira's Tip"), ending in a
    heading's noun ("Quick Tip", twice) or opening with an article ("A BIG CAVEAT")."""
    assert speakers(LIST_OF_TIPS, mode, scope="attributions") == []


@pytest.mark.parametrize(
    "text",
    [
        # named outside the labels
        "Harbour pilots on the new timetable\n\nWe spoke with Ana Ortiz, a ferry pilot, and Ben Lutz "
        "of the council.\n\nAna Ortiz: The early sailing is gone, and commuters will be stranded.\n\n"
        "Ben Lutz: We will restore it in May, once the new boat arrives.\n",
    ],
)
def test_a_transcript_s_labels_in_title_case_name_their_speakers(text: str) -> None:
    found = speakers(text, "accurate", scope="attributions")
    assert ("Ana Ortiz", "The early sailing is") in found and ("Ben Lutz", "We will restore it i") in found


def test_a_label_in_title_case_tagged_a_person_and_speaking_twice_names_its_speaker() -> None:
    """Named only in the labels: the one the tagger takes for a person speaks in each of them."""
    text = (
        "Harbour pilots on the new timetable\n\nAna Ortiz: The early sailing is gone, and commuters "
        "will be stranded.\n\nBen Lutz: We will restore it in May, once the new boat arrives.\n\n"
        "Ana Ortiz: I hope so, because the island needs that sailing.\n\n"
        "Ben Lutz: You have my word on it, the boat is already paid for.\n"
    )
    found = speakers(text, "fast", scope="attributions")
    assert ("Ben Lutz", "We will restore it i") in found and ("Ben Lutz", "You have my word on ") in found


def test_a_role_before_a_tagged_name_makes_a_label_in_title_case() -> None:
    """'Tester Ben Lutz: The grip ...' on a review page is the tester's words, though he is named
    nowhere else and only once; a title-case label with no role stays a heading ('Ridge Runner:
    ...' is no one)."""
    text = (
        "Best for trails: Ridge Runner\n\n"
        "Tester Ben Lutz: The grip on wet rock was better than any shoe I have worn.\n\n"
        "The shoe weighs 280 grams.\n"
    )
    quotes = extract(text, clean=False).quotes
    assert [(q.speaker.name if q.speaker else None, q.content_text[:8]) for q in quotes] == [
        ("Ben Lutz", "The grip")
    ]
