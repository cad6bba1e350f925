"""Speaker names to their full extent, and group names without their counts (issue 24's error
kinds, on invented texts): each row is one quotation, picked by a phrase of its content, and
the speaker name the extractor must give it (``mode="fast"``, the rules' resolver)."""

from __future__ import annotations

import pytest

import onrecord
from onrecord.model import Article

ROWS = [
    pytest.param(
        "Harbour envoy Park Ji-woo visited Dover on Monday. \u201cThe ferry must run,\u201d Park said.",
        ("ferry must run", "Park Ji-woo"),
        id="a-name-goes-on-after-a-hyphen-the-tagger-stopped-at",
    ),
    pytest.param(
        "Port chief Lee Ki-moon visited Dover on Monday. \u201cThe ferry must run,\u201d Lee said.",
        ("ferry must run", "Lee Ki-moon"),
        id="a-hyphen-s-lower-case-half-is-part-of-the-name",
    ),
    pytest.param(
        "Former mayor Ana Ortiz and Mayor Ben Lutz met in Dover on Tuesday. Lutz spoke first. Ortiz "
        "followed, and then Lutz spoke again. The former mayor said the ferry should close.",
        ("ferry should close", "Ana Ortiz"),
        id="a-role-noun-s-modifiers-choose-among-those-described-so",
    ),
    pytest.param(
        "The Harbour Hawks won again on Sunday.\n\nToss Delgado the ball and he scores. \u201cI just "
        "run,\u201d Delgado said after the game.",
        ("I just run", "Delgado"),
        id="an-imperative-tagged-inside-a-name-is-no-first-name",
    ),
    pytest.param(
        "Grill the peppers until soft.\n\nToss Delgado's salad with oil. \u201cKeep it simple,\u201d "
        "Delgado said.",
        ("Keep it simple", "Delgado"),
        id="an-imperative-before-a-possessive-name-is-no-first-name",
    ),
    pytest.param(
        "\u201cNo one was hurt,\u201d said police spokesman Sgt. Ben Lutz.",
        ("No one was hurt", "Ben Lutz"),
        id="an-abbreviated-rank-opens-no-sentence",
    ),
    pytest.param(
        "Pres. Ana Ortiz said the harbour would reopen in May.",
        ("harbour would reopen", "Ana Ortiz"),
        id="an-abbreviated-title-is-no-part-of-the-name",
    ),
    pytest.param(
        "The Ana Ortiz-led panel met on Monday. Ms. Ortiz says the plan would cut taxes for most households.",
        ("cut taxes", "Ana Ortiz"),
        id="an-article-before-a-name-is-no-part-of-it",
    ),
    pytest.param(
        "Sunday on Harbour TV\u2019s \u201cMorning Tide,\u201d Dr. Ben Lutz told Harbour TV\u2019s "
        "Ana Ortiz the ferry plan was a failure. Ortiz asked whether he would build a bridge.\n\n"
        "ORTIZ: What is wrong with the plan?\n\nLUTZ: It costs too much.",
        ("What is wrong with the plan", "Ana Ortiz"),
        id="a-person-named-after-a-broadcaster-s-possessive",
    ),
    pytest.param(
        "Ray Cole Jr. said the harbour would reopen in May. His father, Ray Cole, said he was proud. "
        "\u201cWe are ready,\u201d Cole Jr. said.",
        ("harbour would reopen", "Ray Cole Jr."),
        id="suffix-jr-is-another-person",
    ),
    pytest.param(
        "Ray Cole Jr. said the harbour would reopen in May. His father, Ray Cole, said he was proud.",
        ("he was proud", "Ray Cole"),
        id="father-without-suffix",
    ),
    pytest.param(
        "Mira Patel waited at the pier. \u201cThe crossing was rough,\u2019 said Mira Patel, a commuter.",
        ("crossing was rough", "Mira Patel"),
        id="double-mark-closed-by-a-single-one",
    ),
    pytest.param(
        "WR Jason Miller said the ferry schedule was a mess. Miller added that fares were too high.",
        ("ferry schedule", "Jason Miller"),
        id="abbreviated-role-before-a-name",
    ),
    pytest.param(
        "Archbishop Aris Vardanyan said the chapel would stay open all winter.",
        ("chapel would stay open", "Aris Vardanyan"),
        id="role-word-before-a-name",
    ),
    pytest.param(
        "Many harbour pilots said the new buoys were badly placed.",
        ("buoys were badly placed", "harbour pilots"),
        id="group-quantifier",
    ),
    pytest.param(
        "About two-thirds of ferry commuters said the timetable had got worse.",
        ("timetable had got worse", "ferry commuters"),
        id="group-partitive",
    ),
    pytest.param(
        "Many islanders, who had waited years for the bridge, said the delay was unacceptable.",
        ("delay was unacceptable", "islanders"),
        id="group-non-restrictive-clause",
    ),
    pytest.param(
        "Kim Sato, an adviser on Ana Ortiz's campaign in 2019 and Ben Lutz's in 2021, said the bridge "
        "would open in June.",
        ("bridge would open", "Kim Sato"),
        id="conjunct-deeper-in-the-phrase-is-no-member",
    ),
    pytest.param(
        "Council leader Ana Ortiz and her deputy Ben Lutz said the bridge would open in June.",
        ("bridge would open", "Ana Ortiz and Ben Lutz"),
        id="coordinated-speakers",
    ),
    pytest.param(
        'Rosa Mae Delgado runs the clinic. "We are full every day," Delgado said.',
        ("full every day", "Rosa Mae Delgado"),
        id="surname-the-tagger-cut-off-a-three-part-name",
    ),
    pytest.param(
        "According to Bank of Avalon's 2024 Better Money Habits survey, 62% of millennials have an "
        "emergency fund.",
        ("emergency fund", "Bank of Avalon"),
        id="a-named-survey-speaks-for-its-owner",
    ),
    pytest.param(
        "According to a recent Bank of Avalon report, 73% of islanders feel financially stressed.",
        ("financially stressed", "Bank of Avalon"),
        id="a-report-speaks-for-the-maker-named-before-it",
    ),
    pytest.param(
        "According to a 2023 Fernbank survey, 56% of adults cannot cover a $1,000 emergency.",
        ("cannot cover", "Fernbank"),
        id="a-survey-by-a-maker-the-tagger-missed",
    ),
    pytest.param(
        "According to data from the Harbour Reserve Bank, household debt rose 4% in 2023.",
        ("household debt rose", "Harbour Reserve Bank"),
        id="data-speaks-for-its-maker",
    ),
    pytest.param(
        "Northwind Mutual's 2024 Planning & Progress Study reports that islanders save 15% of their income.",
        ("save 15%", "Northwind Mutual"),
        id="a-study-with-a-name-of-its-own-speaks-for-its-owner",
    ),
    pytest.param(
        "Harbour Forward PAC released a new ad on Monday against Mayor Ana Ortiz. The ad says the "
        "mayor broke her promise on fares.",
        ("broke her promise", "Harbour Forward PAC"),
        id="the-ad-speaks-for-who-released-it",
    ),
    pytest.param(
        "Harbour Forward PAC released a new ad on Monday. The 30-second spot, which airs on cable, "
        "says the mayor broke her promise on fares.",
        ("broke her promise", "Harbour Forward PAC"),
        id="the-spot-is-the-ad",
    ),
    pytest.param(
        "Ana Ortiz announced her resignation in a statement on Friday. The statement said she would "
        "leave office in May.",
        ("leave office in May", "Ana Ortiz"),
        id="the-statement-is-the-one-she-made",
    ),
    pytest.param(
        "Ana Ortiz runs the harbour board. She said the plan would fail.",
        ("plan would fail", "Ana Ortiz"),
        id="a-name-the-tagger-missed-known-by-its-first-name",
    ),
    pytest.param(
        "Ben Lutz spoke for an hour at the town hall on Monday.\n\nVoters now face a choice between "
        "the Tom Reyes plan and nothing at all.\n\nHe concluded that the choice was easy.",
        ("choice was easy", "Ben Lutz"),
        id="a-name-that-only-modifies-a-noun-is-a-weak-antecedent",
    ),
    pytest.param(
        "Senator Ana Ortiz spoke in Tampa on Monday. The Florida Republican said the pier must close.",
        ("pier must close", "Ana Ortiz"),
        id="the-state-party-member-is-the-politician-in-view",
    ),
    pytest.param(
        "Ana Ortiz leads in the polls. The GOP front-runner said the race was over.",
        ("race was over", "Ana Ortiz"),
        id="the-front-runner-is-a-role",
    ),
    pytest.param(
        "Sun Plate\nSun Plate cooks vegan meals in Ohio. The brand claims that 95% of its produce is local.",
        ("95% of its produce", "Sun Plate"),
        id="the-brand-is-the-organisation-in-view",
    ),
    pytest.param(
        "Sun Plate cooks vegan meals in Ohio. Founder Ana Ortiz says the chefs are trained in Paris.",
        ("chefs are trained", "Ana Ortiz"),
        id="a-role-noun-before-a-name-is-not-the-name",
    ),
    pytest.param(
        "The report was written by Ana Ortiz. The Harbour Trust disputes it. It said the figures were wrong.",
        ("figures were wrong", "Harbour Trust"),
        id="it-after-an-organisation-named-since-the-document",
    ),
    pytest.param(
        "More than 6 in 10 commuters who took the ferry described themselves as frustrated. Nearly "
        "3 in 10 said fares were unfair. Almost half said they wanted a bridge instead.",
        ("wanted a bridge", "commuters who took the ferry"),
        id="a-share-of-the-group-just-counted",
    ),
    pytest.param(
        "Ana Ortiz's campaign raised $2 million in March, more than any rival.\n\n"
        "Ben Lutz, her opponent, raised less. The campaign said the money came from small donors.",
        ("money came from small donors", "Ortiz campaign"),
        id="the-campaign-named-after-its-candidate-before",
    ),
    pytest.param(
        "The Harbour Party won the council vote on Monday.\n\nParty leaders said the result was a mandate.",
        ("result was a mandate", "Harbour Party leaders"),
        id="party-leaders-of-the-party-named-last",
    ),
    pytest.param(
        "Five newspapers in Ohio, including the Harbour Gazette, said the mayor should resign.",
        ("mayor should resign", "newspapers in Ohio"),
        id="a-group-including-named-bodies-stays-the-group",
    ),
    pytest.param(
        "Ana Ortiz and Ben Lutz spoke at the harbour on Monday. Both said the ferry should run all night.",
        ("ferry should run all night", "Ana Ortiz and Ben Lutz"),
        id="both-are-the-two-named-together",
    ),
    pytest.param(
        "A Wednesday editorial in The Harbour Times said the mayor should resign.",
        ("mayor should resign", "Harbour Times"),
        id="an-editorial-in-an-outlet",
    ),
    pytest.param(
        "The vast majority of the harbour community and fishermen said the pier should stay open.",
        ("pier should stay open", "harbour community and fishermen"),
        id="a-share-of-a-coordinated-group",
    ),
    pytest.param(
        "Delegates met in Harbour City on Monday. The Democratic platform says the ferry should be free.",
        ("ferry should be free", "Democratic Party"),
        id="a-party-platform-is-the-party-s",
    ),
    pytest.param(
        "The city of Dover said the harbour would stay closed until March.",
        ("harbour would stay closed", "Dover"),
        id="the-city-of-a-place",
    ),
    pytest.param(
        "In the harbour survey, 20% of ferry commuters said the timetable was unreliable.",
        ("timetable was unreliable", "ferry commuters"),
        id="a-percent-of-a-group",
    ),
    pytest.param(
        "Among ferry commuters, 20% said the timetable was unreliable.",
        ("timetable was unreliable", "ferry commuters"),
        id="a-share-of-the-group-the-sentence-opens-with",
    ),
    pytest.param(
        "Dave Reyes did well with roughly 3 in 10 Vermont Republicans, who told pollsters the ferry "
        "was too slow.",
        ("ferry was too slow", "Vermont Republicans"),
        id="a-group-with-its-place",
    ),
    pytest.param(
        "White working-class Democrats said the toll hurt them most.",
        ("toll hurt them", "White working-class Democrats"),
        id="a-group-with-its-modifiers",
    ),
    pytest.param(
        "Harbour Senate candidates Ana Ortiz, Ben Lutz and Tom Reyes met voters in Dover on "
        "Monday. The debate ran long. The candidates said the ferry toll should be cut.",
        ("ferry toll should be cut", "Ana Ortiz, Ben Lutz and Tom Reyes"),
        id="the-plural-noun-after-the-people-it-describes",
    ),
    pytest.param(
        "The Department of Transport and the Harbour Department of Finance published new figures "
        "on Tuesday. The departments said the toll raised little money.",
        ("toll raised little money", "Department of Transport and Harbour Department of Finance"),
        id="the-plural-noun-after-the-bodies-it-names",
    ),
    pytest.param(
        "Harbour President Elena Ruiz Castro met the mayor in Dover. \u201cWe will not pay,\u201d Ruiz "
        "Castro said. \u201cNot a penny,\u201d Ruiz Castro added.",
        ("not pay", "Elena Ruiz Castro"),
        id="a-sentence-full-of-names-is-no-headline",
    ),
    pytest.param(
        "Ferry news\n\nElena Ruiz Castro met the mayor in Dover. \u201cWe will not pay for the bridge,\u201d "
        "Ruiz Castro said after the meeting.",
        ("not pay", "Elena Ruiz Castro"),
        id="a-first-name-before-a-two-word-surname",
    ),
    pytest.param(
        "Ana Bishop said on Monday that the plan was wrong. \u201cIt is a mistake,\u201d Bishop told reporters.",
        ("plan was wrong", "Ana Bishop"),
        id="a-role-word-after-a-first-name-is-a-surname",
    ),
    pytest.param(
        "Ben Lutz will face former Lt. Gov. Rosa Judge (D). Judge lacks his name recognition, but she "
        "said the race was close.",
        ("race was close", "Rosa Judge"),
        id="a-role-word-surname-the-tagger-left-out",
    ),
    pytest.param(
        "Ana Ortiz and Ben Lutz debated on Monday in Dover. The two candidates said the ferry must stay.",
        ("ferry must stay", "Ana Ortiz and Ben Lutz"),
        id="the-two-candidates-are-the-two-named-together",
    ),
    pytest.param(
        "Ana Ortiz and Ben Lutz debated on Monday in Dover. Both candidates said the ferry must stay.",
        ("ferry must stay", "Ana Ortiz and Ben Lutz"),
        id="both-candidates-are-the-two-named-together",
    ),
    pytest.param(
        "Ana Ortiz, Ben Lutz and Tom Reyes met on Monday. None of those three said the ferry would close.",
        ("ferry would close", "Ana Ortiz, Ben Lutz and Tom Reyes"),
        id="none-of-those-three-are-the-three-named-together",
    ),
    pytest.param(
        "Ana Ortiz and Ben Lutz debated on Monday in Dover. The pair said the ferry must stay.",
        ("ferry must stay", "Ana Ortiz and Ben Lutz"),
        id="the-pair-is-the-two-named-together",
    ),
    pytest.param(
        "Ana Ortiz, Ben Lutz and Tom Reyes met on Monday. The two candidates said the ferry must stay.",
        ("ferry must stay", "candidates"),
        id="the-two-candidates-are-not-three-named-together",
    ),
    pytest.param(
        "The Harbour Republic and the Dover Union met on Monday. Both candidates said the ferry must stay.",
        ("ferry must stay", "candidates"),
        id="both-candidates-are-not-two-bodies-named-together",
    ),
    pytest.param(
        "The Harbour Republic and the Dover Union met on Monday. Both countries said the ferry must stay.",
        ("ferry must stay", "Harbour Republic and Dover Union"),
        id="both-countries-are-the-two-bodies-named-together",
    ),
    pytest.param(
        "Ana Ortiz and Ben Lutz met voters in Dover on Monday. The voters said the ferry toll should be cut.",
        ("ferry toll should be cut", "voters"),
        id="the-plural-noun-that-names-none-of-them",
    ),
]


RELATIVE_ROWS = [
    pytest.param(
        "Voters backed Ana Ortiz, who has called the toll a disgrace, and Ben Lutz, who says it must go.",
        ("toll a disgrace", "Ana Ortiz"),
        id="relative-clause-on-one-of-a-list",
    ),
    pytest.param(
        "Several councillors, including Ortiz and Ben Lutz, who has said the toll must go, have "
        "changed their minds.",
        ("toll must go", "Ben Lutz"),
        id="relative-clause-singular-after-the-last-name",
    ),
    pytest.param(
        "The mayor thanked Ana Ortiz and Ben Lutz, who say the toll must go.",
        ("toll must go", "Ana Ortiz and Ben Lutz"),
        id="relative-clause-plural-on-the-list",
    ),
]


def speaker_of(article: Article, phrase: str) -> str | None:
    quote = next(q for q in article.quotes if phrase in q.content_text)
    return quote.speaker.name if quote.speaker is not None else None


@pytest.mark.parametrize(("text", "want"), ROWS)
def test_speaker_name(text: str, want: tuple[str, str]) -> None:
    phrase, speaker = want
    assert speaker_of(onrecord.extract(text, clean=False, mode="fast"), phrase) == speaker


@pytest.mark.parametrize(("text", "want"), RELATIVE_ROWS)
def test_a_relative_clause_agrees_with_its_verb(text: str, want: tuple[str, str]) -> None:
    """The learned tagger gives "who" as the source (the rules give the name before it)."""
    phrase, speaker = want
    assert speaker_of(onrecord.extract(text, clean=False), phrase) == speaker


def resolved_name(text: str, source: tuple[int, int], head: str) -> str | None:
    """The name the resolver gives the source span of ``text`` whose head is the token ``head``
    inside it (the parse of en_core_web_sm, no attribution stage)."""
    from onrecord.nlp.model import load_model
    from onrecord.resolve.entities import build_entities
    from onrecord.resolve.speakers import SpeakerResolver

    doc = load_model()(text)
    clusters, token_map = build_entities(doc)
    token = next(t for t in doc if t.text == head and source[0] <= t.idx < source[1])
    found = SpeakerResolver(doc, clusters, token_map).resolve(source, token.i)
    return clusters[found].name if found is not None else None


def test_a_verb_in_a_clause_on_the_source_is_not_its_head() -> None:
    text = (
        "By contrast, many islanders, who were insured before the harbour law took effect, saw it as harmful."
    )
    source = (text.index("many"), text.index("effect,") + len("effect,"))
    assert resolved_name(text, source, "took") == "islanders"


def test_min_confidence_leaves_out_the_less_confident_quotations() -> None:
    text = (
        "\u201cThe bridge will open in June,\u201d Ana Ortiz said on Monday. "
        "The harbour board may decide the fares later."
    )
    every = onrecord.extract(text, clean=False, mode="fast")
    assert len(every.quotes) >= 1
    floor = min(q.confidence for q in every.quotes)
    top = max(q.confidence for q in every.quotes)
    kept = onrecord.extract(text, clean=False, mode="fast", min_confidence=top)
    assert [q.confidence for q in kept.quotes] == [
        c for c in (q.confidence for q in every.quotes) if c >= top
    ]
    assert [q.id for q in kept.quotes] == [f"q{i}" for i in range(1, len(kept.quotes) + 1)]
    if floor < top:
        assert len(kept.quotes) < len(every.quotes)
    with pytest.raises(ValueError, match="min_confidence"):
        onrecord.extract(text, clean=False, mode="fast", min_confidence=1.5)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'The box arrives on Mondays.\n"The portions are generous."\n\u2014 Ana Ortiz, senior editor\nPrices start at $9.',
            id="byline-on-the-next-line",
        ),
        pytest.param(
            'The box arrives on Mondays.\n\n"The portions are generous."\n\n\u2014 Ana Ortiz\n\nPrices start at $9.',
            id="byline-after-a-blank-line",
        ),
        pytest.param(
            'The box arrives on Mondays.\n"The portions are generous." - Ana Ortiz, senior editor',
            id="spaced-hyphen-for-a-dash",
        ),
        pytest.param(
            'The box arrives on Mondays.\n\n"The portions are generous."\n\n-Ana Ortiz, Philadelphia.\n\nMore soon.',
            id="bare-hyphen-on-the-byline-line",
        ),
        pytest.param(
            "Every item is made to order and shipped without plastic, ensuring you get exactly what "
            "you asked for \u2014 without the added waste.\nCustomer Review | \u201cThe portions are "
            "generous and nothing arrives wilted. My kids ask for seconds every time.\u201d \u2013 "
            "Ana Ortiz (Read all reviews.)\n2. Tidewater Kitchen",
            id="review-line-after-a-sentence-with-a-cue",
        ),
    ],
)
def test_a_dashed_byline_names_the_quotation_before_it(text: str, mode: str) -> None:
    assert speaker_of(onrecord.extract(text, clean=False, mode=mode), "portions are generous") == "Ana Ortiz"


@pytest.mark.parametrize("mode", ["fast", "accurate"])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'Green Basket\nTested by Ana Ortiz\n"The broccoli was crisp and the sauce was mild."\nPrice: $12',
            id="tested-by-on-the-line-before",
        ),
        pytest.param(
            'Green Basket\nReviewed by: Ana Ortiz\n"The broccoli was crisp and the sauce was mild."',
            id="reviewed-by-colon",
        ),
        pytest.param(
            'Green Basket\nAna Ortiz, Associate Editor:\n"The broccoli was crisp and the sauce was mild."',
            id="name-and-role-with-a-colon-on-the-line-before",
        ),
        pytest.param(
            'Green Basket\nReview from Ana Ortiz, Associate Editor: "The broccoli was crisp and the sauce was mild."',
            id="label-before-the-quotation-on-its-line",
        ),
        pytest.param(
            'Ana Ortiz \u2014 "The broccoli was crisp and the sauce was mild."',
            id="name-and-a-dash-before-the-quotation",
        ),
    ],
)
def test_a_label_names_the_quotation_under_it(text: str, mode: str) -> None:
    assert speaker_of(onrecord.extract(text, clean=False, mode=mode), "broccoli was crisp") == "Ana Ortiz"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            'Green Basket\n"The broccoli was crisp and the sauce was mild."', id="a-product-heading"
        ),
        pytest.param(
            'Photo: Ben Lutz\n"The broccoli was crisp and the sauce was mild."', id="a-photo-credit"
        ),
    ],
)
def test_a_heading_or_a_caption_names_no_speaker(text: str) -> None:
    assert speaker_of(onrecord.extract(text, clean=False), "broccoli was crisp") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            'French President Fran\u00c3\u00a7ois Dubois condemned the closure. "We sail at six," Dubois said.',
            "Fran\u00e7ois Dubois",
            id="mojibake",
        ),
        pytest.param(
            'Harbour President FranA\u0303\u00a7oise Dubois condemned the closure. "We sail at six," Dubois said.',
            "Fran\u00e7oise Dubois",
            id="mojibake-decomposed",
        ),
    ],
)
def test_a_name_written_in_mojibake_is_named_repaired(text: str, name: str) -> None:
    article = onrecord.extract(text, clean=False, mode="fast")
    assert speaker_of(article, "sail at six") == name
    for quote in article.quotes:
        assert quote.source is not None and text[quote.source.start : quote.source.end] == quote.source.text


def test_names_match_sees_through_mojibake() -> None:
    from onrecord.evaluate.metrics import names_match

    assert names_match("Ren\u00e9e Dubois", "Ren\u00c3\u00a9e Dubois")
    assert not names_match("Ren\u00e9e Dubois", "Ren\u00e9 Dubois")


def test_it_after_a_document_is_the_document_and_speaks_for_its_sender() -> None:
    text = (
        "The email, released by the Harbour Trust, was sent at 7 p.m. by deputy mayor Ben Lutz, an hour "
        'after the fire.\n\n"I just tried you on the phone but you were out," it reads.'
    )
    assert speaker_of(onrecord.extract(text, clean=False), "tried you on the phone") == "Ben Lutz"


def test_the_subject_of_a_clause_inside_another_is_not_salient() -> None:
    text = (
        "In his statement on Friday, Tom Reyes went further in trying to hold Ben Lutz accountable.\n\n"
        "\u201cThere is no excuse for the delays,\u201d he said."
    )
    assert speaker_of(onrecord.extract(text, clean=False), "no excuse for the delays") == "Tom Reyes"


def test_a_surname_two_people_share_is_the_one_introduced_first() -> None:
    text = (
        "Tom Reyes launched his campaign for harbour master on Monday.\n\n"
        "His brother, Dan Reyes, who held the post for a decade, did not attend. Dan Reyes has "
        "stayed out of the race, and friends of Dan Reyes say he will stay out.\n\n"
        "\u201cThe ferries must run on time,\u201d Mr. Reyes said at the launch."
    )
    assert speaker_of(onrecord.extract(text, clean=False), "ferries must run on time") == "Tom Reyes"


def test_a_name_stops_at_a_bracket() -> None:
    text = (
        "Customer Review | \u201cThe portions are generous and nothing arrives wilted.\u201d "
        "\u2013 Kiara C. (Read all reviews.)\n2. Tidewater Kitchen"
    )
    assert speaker_of(onrecord.extract(text, clean=False), "portions are generous") == "Kiara C"


def test_a_body_named_only_in_a_heading_is_no_antecedent() -> None:
    text = (
        "Choosing & Partnering With the Right Harbour Agency\n\nGood agencies listen before they sell. "
        "They ask thoughtful questions about your routes and your fleet."
    )
    assert speaker_of(onrecord.extract(text, clean=False), "thoughtful questions") != "Right Harbour Agency"


def test_he_added_goes_on_with_the_last_quotation_s_speaker() -> None:
    text = (
        "Tom Reyes spoke after the vote.\n\n\u201cWe lost the vote but not the argument,\u201d he said.\n\n"
        "In that sense, Ben Lutz was the winner of the night. \u201cThe ferries will run on time,\u201d he added."
    )
    assert speaker_of(onrecord.extract(text, clean=False), "ferries will run on time") == "Tom Reyes"


def test_a_thing_of_a_person_s_in_the_plural_speaks_for_them() -> None:
    text = "Tom Reyes said little at the meeting, but his eyes told the crowd that he was angry."
    article = onrecord.extract(text, clean=False, scope="attributions")
    assert speaker_of(article, "he was angry") == "Tom Reyes"


def test_a_possessive_in_an_opening_phrase_is_the_subject_after_it() -> None:
    text = (
        "Ben Lutz spoke first on Monday.\n\nIn his assessment of the harbour plan, Tom Reyes voiced "
        "disappointment that the ferries were slow."
    )
    start = text.index("In his") + len("In ")
    assert resolved_name(text, (start, start + len("his")), "his") == "Tom Reyes"


def test_a_body_named_in_the_noun_before_the_head_speaks() -> None:
    text = "Ana Ortiz leads the Harbour Insight Group polling average with 35 percent."
    source = (text.index("the Harbour"), text.index("average") + len("average"))
    assert resolved_name(text, source, "average") == "Harbour Insight Group"


def test_she_in_a_man_s_own_words_is_someone_else() -> None:
    text = (
        "Former mayor Tom Reyes campaigned on Tuesday for his wife, council candidate Ana Reyes.\n\n"
        "Reyes said, \u201cShe is the best candidate this harbour has had in years.\u201d"
    )
    assert speaker_of(onrecord.extract(text, clean=False), "best candidate this harbour") == "Tom Reyes"


def test_a_full_name_only_the_headline_gives_names_the_speaker() -> None:
    text = (
        "Ana Ortiz wins the harbour primary in Dover\n\n"
        "Ortiz won the primary on Tuesday. \u201cWe will fix the ferry,\u201d Ortiz said."
    )
    article = onrecord.extract(text, mode="fast")
    assert article.title == "Ana Ortiz wins the harbour primary in Dover"
    assert speaker_of(article, "fix the ferry") == "Ana Ortiz"


def test_the_headline_names_no_one_of_a_surname_two_people_share() -> None:
    text = (
        "Ana Ortiz wins the harbour primary in Dover\n\n"
        "Mr. Ortiz, her brother, and Ms. Ortiz spoke. \u201cWe will fix the ferry,\u201d Mr. Ortiz said."
    )
    assert speaker_of(onrecord.extract(text, mode="fast"), "fix the ferry") == "Ortiz"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "The vote was close. Okafor left the meeting early. She said the ferry would close.",
            "Okafor",
            id="untagged",
        ),
        pytest.param(
            "The vote was close. Okonkwo-Baptiste met the mayor on Monday. He said the ferry would close.",
            "Okonkwo-Baptiste",
            id="tagged-an-organisation",
        ),
        pytest.param(
            "The vote was close. Vardanyan met the mayor on Monday. He said the ferry would close.",
            "Vardanyan",
            id="tagged-a-group",
        ),
    ],
)
def test_a_pronoun_names_a_surname_the_tagger_missed_a_person(text: str, name: str) -> None:
    assert speaker_of(onrecord.extract(text, clean=False, mode="fast"), "ferry would close") == name


def test_a_plural_subject_is_not_named_a_person_by_a_pronoun() -> None:
    text = "When boats are late, Special Operations fill the gap. Later, he said the ferry would close."
    assert speaker_of(onrecord.extract(text, clean=False, mode="fast"), "ferry would close") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "Fitness is booming.\n\nPopular workout tracking app Zenva reported that rowing grew fastest. "
            "Zenva said that its users logged more rows than ever. The app also said that cycling fell.",
            "Zenva",
            id="a-name-after-a-noun-for-a-product",
        ),
        pytest.param(
            "Shoes are booming.\n\nMiravo, the shoe brand, told me that the extra height helps.",
            "Miravo",
            id="a-name-in-apposition-with-a-noun-for-a-body",
        ),
    ],
)
def test_a_name_the_article_calls_a_product_or_a_body_is_no_person(text: str, name: str) -> None:
    article = onrecord.extract(text, clean=False)
    named = [e for e in article.entities if e.name == name]
    assert [e.kind for e in named] == ["organization"], [(e.name, e.kind) for e in article.entities]
    assert all(q.speaker is not None and q.speaker.name == name for q in article.quotes)


def test_a_capitalised_common_noun_opening_a_line_is_no_person() -> None:
    text = (
        "Training tips.\n\nOvertraining \u2013 Research shows that when you do not rest, you get hurt. "
        "More research is needed on rest."
    )
    article = onrecord.extract(text, clean=False)
    kinds = {e.name: e.kind for e in article.entities}
    assert kinds.get("Research") not in (None, "person"), kinds


def test_a_job_title_in_capitals_is_no_body_where_its_holder_is_named_beside_it() -> None:
    text = (
        "Brands need a plan. According to Miravo\u2019s Senior Brand Engagement Manager, Lysa "
        "Bourget-Vennin, that\u2019s exactly what the beauty giant is doing to make money on TikTok."
    )
    article = onrecord.extract(text, clean=False, mode="accurate")
    assert speaker_of(article, "exactly what the beauty giant") == "Lysa Bourget-Vennin"


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_body_the_tagger_took_for_a_work_of_art_is_a_body_by_its_last_word(mode: str) -> None:
    # the tagger calls "The Harbour Ferry Workers Union" a work of art, and "Lutz" a body
    text = (
        "Ferry fight\n\nThe Harbour Ferry Workers Union sent questions to the candidates. The union "
        "said Lutz never answered."
    )
    article = onrecord.extract(text, clean=False, mode=mode)  # type: ignore[arg-type]
    assert speaker_of(article, "Lutz never answered") == "Harbour Ferry Workers Union"
