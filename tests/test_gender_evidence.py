"""A person's gender as the article shows it, and the evidence: one invented article per kind of
evidence, a conflict, and the lexicon used only where the article says nothing."""

from __future__ import annotations

import pytest

from onrecord.ingest import Document
from onrecord.model import Article, Entity
from onrecord.pipeline import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(mode="fast")


def person(article: Article, name: str) -> Entity:
    return next(e for e in article.entities if e.name == name)


@pytest.mark.parametrize(
    ("text", "name", "gender", "evidence"),
    [
        # a pronoun the resolver links to her, as a quotation's source
        (
            "Ana Ortiz walked the length of the pier on Monday.\n"
            "\u201cWe will not pay for a bridge nobody asked for,\u201d she said.\n",
            "Ana Ortiz",
            "female",
            "she",
        ),
        # a gendered job title in apposition, with a first name the lexicon does not decide
        (
            "Kim Sato, a spokeswoman for the harbour board, said the ferry fares would rise in May.\n",
            "Kim Sato",
            "female",
            "spokeswoman",
        ),
        # an honorific
        (
            "Robin Lutz chairs the harbour board.\nMr Lutz said the ferry fares would rise in May.\n",
            "Robin Lutz",
            "male",
            "Mr",
        ),
        # nothing in the article: the first name, from the lexicon
        (
            "Michael Reyes said the ferry fares would rise in May.\n",
            "Michael Reyes",
            "male",
            "first name: Michael",
        ),
    ],
    ids=["pronoun", "noun", "honorific", "lexicon"],
)
def test_each_kind_of_evidence(pipeline: Pipeline, text: str, name: str, gender: str, evidence: str) -> None:
    entity = person(pipeline.extract_document(Document(text=text)), name)
    assert entity.gender == gender
    assert evidence in entity.gender_evidence


def test_the_article_wins_over_the_lexicon(pipeline: Pipeline) -> None:
    text = "Michael Reyes, a spokeswoman for the board, said the fares would rise.\n"
    entity = person(pipeline.extract_document(Document(text=text)), "Michael Reyes")
    assert (entity.gender, entity.gender_evidence) == ("female", ["spokeswoman"])


def test_conflicting_evidence_gives_unknown(pipeline: Pipeline) -> None:
    # a job title for a woman and an honorific for a man, on the same person (mentions that
    # open with the same "Mr" count it once)
    text = "Mr Robin Lutz, a spokeswoman for the harbour board, said the ferry fares would rise in May.\n"
    entity = person(pipeline.extract_document(Document(text=text)), "Robin Lutz")
    assert entity.gender == "unknown"
    assert entity.gender_evidence == ["spokeswoman", "Mr"]


def test_a_pronoun_inside_reported_words_is_not_evidence(pipeline: Pipeline) -> None:
    text = "Robin Lutz said she was unhappy with the pier timetable this winter.\n"
    entity = person(pipeline.extract_document(Document(text=text)), "Robin Lutz")
    assert entity.gender == "unknown" and entity.gender_evidence == []


def test_organisations_have_no_gender(pipeline: Pipeline) -> None:
    article = pipeline.extract_document(
        Document(text="Tidewater Ferries said in a statement that the fares would rise in May.\n")
    )
    [body] = [e for e in article.entities if e.kind != "person"]
    assert body.gender is None and "gender" not in body.to_dict()
