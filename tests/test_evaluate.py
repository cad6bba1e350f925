"""The evaluation on hand-built data: metrics, the brat reader, name matching, report scoring.

Every text here is invented; no corpus text is copied in.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from onrecord.datasets.polnear import GoldArticle, parse_ann, quote_type_of, read_resolved, read_split
from onrecord.evaluate.metrics import (
    Ratio,
    Score,
    TokenIndex,
    exact_match,
    greedy_match,
    jaccard,
    names_match,
    optional_match,
    overlap_coefficient,
    span_key,
    strip_offsets,
    texts_match,
    token_overlap,
    words,
)
from onrecord.evaluate.polnear import (
    _Tally,
    compare_relations,
    evaluate_polnear,
    relation_offsets,
    score_article,
)
from onrecord.evaluate.report import RelationErrors, SpeakerReport, render_text
from onrecord.evaluate.seed import SeedGold, same_date, score_seed
from onrecord.ingest import Document
from onrecord.model import Article, Entity, Quote, Span, Speaker

# -- metrics -------------------------------------------------------------------------------------


def test_score_counts_and_empty_denominators() -> None:
    score = Score(correct_pred=3, pred=4, correct_gold=3, gold=6)
    assert score.precision == pytest.approx(0.75)
    assert score.recall == pytest.approx(0.5)
    assert score.f1 == pytest.approx(0.6)
    assert Score().precision == Score().recall == Score().f1 == 0.0
    assert Score(1, 2, 1, 3) + Score(1, 2, 0, 1) == Score(2, 4, 1, 4)
    assert Ratio(1, 4).value == 0.25 and Ratio().value == 0.0
    assert score.to_dict()["f1"] == 0.6


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("  said  ", 0, 8, (2, 6)),
        ("said", 0, 4, (0, 4)),
        ("   ", 0, 3, (3, 3)),
        ("a b", 1, 2, (2, 2)),
    ],
)
def test_strip_offsets(text: str, start: int, end: int, expected: tuple[int, int]) -> None:
    assert strip_offsets(text, start, end) == expected


def test_exact_match_by_span_sets() -> None:
    text = 'She said "yes" and he said no.'
    gold = [span_key(text, [(0, 3)]), span_key(text, [(19, 21)])]
    # the first prediction carries a trailing space (stripped), the second is one char off
    pred = [span_key(text, [(0, 4)]), span_key(text, [(19, 20)])]
    assert exact_match(pred, gold) == Score(1, 2, 1, 2)
    # duplicates count once; nothing predicted scores 0 precision without an error
    assert exact_match([gold[0], gold[0]], gold) == Score(1, 1, 1, 2)
    assert exact_match([], gold).precision == 0.0
    # discontinuous content: the same pieces in any order are the same span
    assert span_key(text, [(10, 13), (0, 3)]) == span_key(text, [(0, 3), (10, 13)])
    assert span_key(text, [(0, 3)]) != span_key(text, [(0, 3), (10, 13)])


def test_token_index_and_overlap() -> None:
    text = "He said: we won, again."
    index = TokenIndex(text)
    assert [text[s:e] for s, e in index.offsets] == ["He", "said", ":", "we", "won", ",", "again", "."]
    assert index.positions([(3, 8)]) == {1, 2}  # "said:"
    assert index.positions([(4, 5)]) == {1}  # part of a token counts
    assert index.positions([(2, 3)]) == set()  # whitespace only
    assert index.positions([(5, 5)]) == set()
    gold = index.positions([(9, 23)])  # "we won, again."
    pred = index.positions([(3, 15)])  # "said: we won"
    assert token_overlap(pred, gold) == Score(2, 4, 2, 5)
    assert token_overlap(set(), gold).recall == 0.0


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({1, 2}, {1, 2}, 1.0),
        ({1, 2}, {2, 3}, 1 / 3),
        ({1}, {2}, 0.0),
        (set(), set(), 0.0),
    ],
)
def test_jaccard(a: set[int], b: set[int], expected: float) -> None:
    assert jaccard(a, b) == pytest.approx(expected)


def test_overlap_coefficient() -> None:
    assert overlap_coefficient({1, 2}, {1, 2, 3, 4}) == 1.0
    assert overlap_coefficient({1, 5}, {1, 2, 3, 4}) == 0.5
    assert overlap_coefficient(set(), {1}) == 0.0


def test_greedy_match_is_one_to_one_best_first() -> None:
    preds = [{1, 2, 3}, {1, 2, 3, 4}, {9}]
    golds = [{1, 2, 3, 4}, {1, 2}]
    matches = greedy_match(preds, golds, jaccard, 0.5)
    # pred 1 takes gold 0 (1.0) first; pred 0 then takes gold 1 (2/3); pred 2 matches nothing
    assert matches == [(0, 1, pytest.approx(2 / 3)), (1, 0, 1.0)]
    # under the threshold nothing matches
    assert greedy_match([{1}], [{1, 2, 3}], jaccard, 0.5) == []
    assert greedy_match([], golds, jaccard) == []


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ("Donald Trump", "Donald Trump", True),
        ("donald trump", "Donald Trump", True),
        ("Donald J. Trump", "Donald Trump", True),
        ("Donald Trump", "Donald John Trump", True),
        ("Mr. Pence", "Pence", True),
        ("Sen. Ted Cruz", "Ted Cruz", True),
        ("Gov. Mike Pence (R-IN)", "Mike Pence", True),
        ("President Barack Obama", "Barack Obama", True),
        ("Ms Phillips", "Jess Phillips", False),
        ("Trump", "Donald Trump", False),
        ("Donald Trump", "Trump", False),
        ("Donald Trump Jr.", "Donald Trump", True),
        ("Ivanka Trump", "Donald Trump", False),
        ("Donald Trump", "Donald Tusk", False),
        ("J. Trump", "Donald J. Trump", False),
        ("the Sierra Club", "Sierra Club", True),
        ("the report", "report card", False),
        (None, "Donald Trump", False),
        ("Donald Trump", None, False),
        ("", "", False),
    ],
)
def test_names_match(pred: str | None, gold: str | None, expected: bool) -> None:
    assert names_match(pred, gold) is expected


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ("The Liverpool Echo", "Liverpool Echo", True),
        ("a statement", "a written statement", True),
        ("Twitter", "twitter", True),
        ("an interview with CNN", "CNN", True),
        ("X", "Next Radio", False),
        ("Fox News", "CNN", False),
        (None, "CNN", False),
    ],
)
def test_texts_match(pred: str | None, gold: str | None, expected: bool) -> None:
    assert texts_match(pred, gold) is expected


def test_optional_match_counts() -> None:
    assert optional_match("CNN", "CNN", texts_match) == Score(1, 1, 1, 1)
    assert optional_match("CNN", None, texts_match) == Score(0, 1, 0, 0)  # against precision
    assert optional_match(None, "CNN", texts_match) == Score(0, 0, 0, 1)  # against recall
    assert optional_match("Fox", "CNN", texts_match) == Score(0, 1, 0, 1)
    assert optional_match(None, None, texts_match) == Score()


def test_words_fold_case_accents_and_apostrophes() -> None:
    assert words("Élysée’s “Plan”") == ["elysees", "plan"]


# -- quote types and the brat reader --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("“We will win this race.”", "direct"),
        ('"We will win this race,"', "direct"),
        ("“We will win,” “and soon.”", "direct"),
        ("the plan was “a disaster” for everyone", "mixed"),
        ("the plan was a disaster for everyone", "indirect"),
        ("it’s fine and they’re ready", "indirect"),  # apostrophes are not quote marks
        ("the plan was ‘a disaster’ again", "mixed"),
        ("we will win,” she said", "mixed"),  # quotation opened before the span
        ("”We will win.”", "direct"),  # closing mark used as an opening one
        ("“We will win and keep winning", "direct"),  # left open across paragraphs
        ("", "indirect"),
    ],
)
def test_quote_type_of(content: str, expected: str) -> None:
    assert quote_type_of(content) == expected


INVENTED = (
    'The mayor said the budget was "balanced and fair." Critics disagreed.\n'
    '"We will not pay," Ms Ortiz told reporters, "not one cent."\n'
)


def _off(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def invented_ann(text: str = INVENTED) -> str:
    src1, cue1 = _off(text, "The mayor"), _off(text, "said")
    con1 = _off(text, 'the budget was "balanced and fair."')
    con2a, con2b = _off(text, '"We will not pay,"'), _off(text, '"not one cent."')
    src2, cue2 = _off(text, "Ms Ortiz"), _off(text, "told")
    lines = [
        f"T1\tSource {src1[0]} {src1[1]}\tThe mayor",
        f"T2\tCue {cue1[0]} {cue1[1]}\tsaid",
        f"T3\tContent {con1[0]} {con1[1]}\t{text[con1[0] : con1[1]]}",
        f"T4\tAttribution {cue1[0]} {cue1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tContent {con2a[0]} {con2a[1]};{con2b[0]} {con2b[1]}\tjoined",
        f"T6\tSource {src2[0]} {src2[1]}\tMs Ortiz",
        f"T7\tCue {cue2[0]} {cue2[1]}\ttold",
        f"T8\tAttribution {cue2[0]} {cue2[1]}\ttold",
        "E2\tAttribution:T8 Cue:T7 Source:T6 Content:T5",
        f"T9\tDiscuss 0 {len(text) - 1}\twhole text",
        "T10\tAttribution-no-source 0 3\tThe",
        "E3\tAttribution-no-source:T10 ",
    ]
    return "\n".join(lines) + "\n"


def test_parse_ann_reads_relations_roles_and_pieces() -> None:
    relations, skipped = parse_ann(invented_ann(), INVENTED)
    assert [r.id for r in relations] == ["E1", "E2"]
    assert skipped == ["E3"]  # no content
    first, second = relations
    assert [s.text for s in first.source] == ["The mayor"]
    assert [s.text for s in first.cue] == ["said"]
    assert first.type == "mixed"
    assert [s.text for s in second.content] == ['"We will not pay,"', '"not one cent."']
    assert second.type == "direct"
    for relation in relations:
        for span in (*relation.content, *relation.cue, *relation.source):
            assert INVENTED[span.start : span.end] == span.text


def test_parse_ann_rejects_missing_references() -> None:
    with pytest.raises(ValueError, match="missing"):
        parse_ann("E1\tAttribution:T1 Content:T2\n", INVENTED)


def write_corpus(root: Path, texts: dict[str, tuple[str, str]], split: str = "dev") -> Path:
    """A tiny PolNeAR-shaped folder: ``{doc_id: (text, ann)}``; annotator ``aaaa`` is gold."""
    data = root / "data"
    (data / split / "text").mkdir(parents=True)
    (data / split / "attributions").mkdir(parents=True)
    rows = ["compartment\tfilename\tlevel\tannotators\tpublisher"]
    for doc_id, (text, ann) in texts.items():
        (data / split / "text" / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="")
        (data / split / "attributions" / f"{doc_id}_aaaa.ann").write_text(ann, encoding="utf-8")
        # a second annotator that must be ignored
        (data / split / "attributions" / f"{doc_id}_bbbb.ann").write_text("garbage\n", encoding="utf-8")
        rows.append(f"{split}\t{doc_id}\tNone\taaaa|bbbb\tnobody")
    rows.append("train\tother-doc\tNone\taaaa\tnobody")
    (data / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_read_split_uses_first_annotator_and_keeps_crlf(tmp_path: Path) -> None:
    crlf = INVENTED.replace("\n", "\r\n")
    root = write_corpus(tmp_path, {"doc-a": (INVENTED, invented_ann()), "doc-b": (crlf, invented_ann(crlf))})
    articles = read_split(root, "dev")
    assert [a.doc_id for a in articles] == ["doc-a", "doc-b"]
    assert articles[1].text == crlf
    assert all(len(a.relations) == 2 for a in articles)
    assert len(read_split(root / "data", "dev", limit=1)) == 1
    with pytest.raises(Exception, match="E030"):
        read_split(root, "test")
    with pytest.raises(Exception, match="E030"):
        read_split(tmp_path / "nowhere", "dev")


def test_agreement_benchmark_scores_the_second_annotator_against_the_first(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "agreement", Path(__file__).parents[1] / "benchmarks" / "agreement.py"
    )
    assert spec is not None and spec.loader is not None
    agreement = importlib.util.module_from_spec(spec)
    sys.modules["agreement"] = agreement  # dataclasses look their module up there
    spec.loader.exec_module(agreement)
    root = write_corpus(tmp_path, {"doc-a": (INVENTED, invented_ann())})
    # annotator bbbb keeps relation E1 and leaves E2 out
    second = "\n".join(invented_ann().split("\n")[:5]) + "\n"
    (root / "data" / "dev" / "attributions" / "doc-a_bbbb.ann").write_text(second, encoding="utf-8")
    found = list(agreement.multi_annotated(root))
    assert [(a.doc_id, list(a.relations)) for a in found] == [("doc-a", ["aaaa", "bbbb"])]
    tally = agreement.Tally()
    gold, other = ([relation_offsets(r) for r in found[0].relations[k]] for k in ("aaaa", "bbbb"))
    tally.add(INVENTED, other, gold, TokenIndex(INVENTED))
    assert tally.relation == Score(1, 1, 1, 2)
    assert tally.exact["content"] == Score(1, 1, 1, 2)
    assert tally.to_dict()["relation_f1"] == round(2 / 3, 4)


# -- scoring hand-built articles --------------------------------------------------------------------


def span(text: str, piece: str, after: int = 0) -> Span:
    start, end = _off(text, piece, after)
    return Span(start, end, piece)


def gold_article() -> GoldArticle:
    relations, _ = parse_ann(invented_ann(), INVENTED)
    return GoldArticle("doc-a", Path("doc-a.txt"), INVENTED, relations)


def predicted_article() -> Article:
    text = INVENTED
    ortiz = Entity("e1", "Ana Ortiz", "person", [span(text, "Ms Ortiz")])
    quotes = [
        # exact on every role; the speaker is only a surname
        Quote(
            "q1",
            "mixed",
            [span(text, 'the budget was "balanced and fair."')],
            cue=span(text, "said"),
            source=span(text, "The mayor"),
            speaker=Speaker("e0", "Mayor Lee"),
        ),
        # only the first piece of the content, a cue one token wider, a medium where gold has none
        Quote(
            "q2",
            "direct",
            [span(text, '"We will not pay,"')],
            cue=span(text, "told reporters"),
            source=span(text, "Ms Ortiz"),
            speaker=Speaker("e1", "Ana Ortiz"),
            medium=span(text, "reporters"),
        ),
        # spurious
        Quote("q3", "indirect", [span(text, "Critics disagreed.")]),
    ]
    return Article(text=text, entities=[ortiz], quotes=quotes)


def test_score_article_roles_relations_and_types() -> None:
    tally = _Tally()
    score_article(gold_article(), predicted_article(), tally)
    assert tally.exact["source"] == Score(2, 2, 2, 2)
    assert tally.exact["cue"] == Score(1, 2, 1, 2)
    assert tally.exact["content"] == Score(1, 3, 1, 2)
    # cue overlap: predicted said, told, reporters; gold said, told
    assert tally.overlap["cue"] == Score(2, 3, 2, 2)
    # q1 and q2 match (q2: 7 of 13 content tokens, Jaccard 7/13 >= 0.5); q3 matches nothing
    assert tally.relation == Score(2, 3, 2, 2)
    assert tally.by_type["mixed"] == Ratio(1, 1)
    assert tally.by_type["direct"] == Ratio(1, 1)
    assert tally.by_type["indirect"] == Ratio(0, 0)
    # q1 exact, q2 matched with a shorter content, q3 shares no token with a gold content
    assert tally.errors == RelationErrors(
        matched=2, matched_exact=1, gold_missed=0, gold_boundary=0, pred_spurious=1, pred_boundary=0
    )


def test_relation_errors_tell_missed_from_boundary() -> None:
    gold = [relation_offsets(r) for r in gold_article().relations]
    # a prediction from the mayor's last words to the end of the next sentence (Jaccard below 0.5),
    # and none for Ms Ortiz's two pieces
    start, end = _off(INVENTED, 'fair." Critics disagreed.')
    found = compare_relations(INVENTED, [{"source": [], "cue": [], "content": [(start, end)]}], gold)
    assert found.relation == Score(0, 1, 0, 2)
    assert found.errors == RelationErrors(
        matched=0, matched_exact=0, gold_missed=1, gold_boundary=1, pred_spurious=0, pred_boundary=1
    )
    # rendered as a table, and in the JSON report
    assert "gold missed" in render_text(found.errors.table())
    assert found.errors.to_dict()["gold_boundary"] == 1


def test_compare_relations_scores_one_annotator_against_another() -> None:
    gold = [relation_offsets(r) for r in gold_article().relations]
    same = compare_relations(INVENTED, gold, gold)
    assert all(same.exact[role] == Score(2, 2, 2, 2) for role in ("source", "cue", "content"))
    assert same.relation == Score(2, 2, 2, 2)
    # a second annotator who leaves the closing words out of one content and has no source there
    other = [dict(r) for r in gold]
    start, end = other[1]["content"][-1]
    other[1]["content"] = [*other[1]["content"][:-1], (start, end - 6)]
    other[1]["source"] = []
    found = compare_relations(INVENTED, other, gold)
    assert found.exact["content"] == Score(1, 2, 1, 2)
    assert found.exact["source"] == Score(1, 1, 1, 2)
    assert found.relation == Score(2, 2, 2, 2)
    assert sorted((i, j) for i, j, _ in found.matches) == [(0, 0), (1, 1)]


def test_score_article_speakers_medium_addressee() -> None:
    from onrecord.datasets.polnear import ResolvedRelation

    resolved = {
        ("doc-a", "E1"): ResolvedRelation("Linda Lee", "person", "nominal", None, None),
        ("doc-a", "E2"): ResolvedRelation("Ana Ortiz", "person", "partial_name", None, "reporters"),
    }
    tally = _Tally(speakers=SpeakerReport())
    score_article(gold_article(), predicted_article(), tally, resolved)
    speakers = tally.speakers
    assert speakers is not None
    assert (speakers.articles, speakers.relations, speakers.matched) == (1, 2, 2)
    assert speakers.accuracy == Ratio(1, 2)
    assert speakers.by_kind == {"nominal": Ratio(0, 1), "partial_name": Ratio(1, 1)}
    assert speakers.end_to_end == Ratio(1, 2)
    # "reporters" predicted as medium: wrong medium (gold none), missing addressee
    assert speakers.medium == Score(0, 1, 0, 0)
    assert speakers.addressee == Score(0, 0, 0, 1)


def test_unmatched_relations_count_only_end_to_end() -> None:
    from onrecord.datasets.polnear import ResolvedRelation

    resolved = {
        ("doc-a", "E1"): ResolvedRelation("Linda Lee", "person", "full_name", None, None),
        ("doc-a", "E2"): ResolvedRelation(None, "unnamed", "unnamed", None, None),
    }
    tally = _Tally(speakers=SpeakerReport())
    score_article(gold_article(), Article(text=INVENTED), tally, resolved)
    speakers = tally.speakers
    assert speakers is not None
    assert speakers.accuracy == Ratio(0, 0)
    assert speakers.end_to_end == Ratio(0, 1)
    assert speakers.unnamed_no_speaker == Ratio(0, 0)


class OraclePipeline:
    """Predicts the gold relations of the invented corpus (and, for doc-b, nothing)."""

    def process(self, documents: Iterable[Document]) -> Iterator[Article]:
        for document in documents:
            article = Article(text=document.text, source_path=document.source_path)
            if document.source_path and document.source_path.endswith("doc-a.txt"):
                relations, _ = parse_ann(invented_ann(document.text), document.text)
                for i, relation in enumerate(relations):
                    article.quotes.append(
                        Quote(
                            f"q{i}",
                            relation.type,
                            list(relation.content),
                            cue=relation.cue[0],
                            source=relation.source[0],
                            speaker=Speaker("e1", "Ana Ortiz"),
                        )
                    )
            yield article


def test_evaluate_polnear_end_to_end_on_an_invented_corpus(tmp_path: Path) -> None:
    root = write_corpus(tmp_path, {"doc-a": (INVENTED, invented_ann()), "doc-b": (INVENTED, invented_ann())})
    resolved = tmp_path / "resolved.jsonl"
    items = [
        {
            "id": "E1",
            "speaker": "Linda Lee",
            "speaker_kind": "person",
            "speaker_resolution": "nominal",
            "medium": None,
            "addressee": None,
        },
        {
            "id": "E2",
            "speaker": "Ana Ortiz",
            "speaker_kind": "person",
            "speaker_resolution": "partial_name",
            "medium": None,
            "addressee": "reporters",
        },
    ]
    resolved.write_text(json.dumps({"doc_id": "doc-a", "attributions": items}) + "\n", encoding="utf-8")
    assert len(read_resolved(resolved)) == 2

    report = evaluate_polnear(root, resolved=resolved, pipeline=OraclePipeline())  # type: ignore[arg-type]
    summary = report.summary()
    assert (report.articles, report.gold_relations, report.skipped_relations) == (2, 4, 2)
    assert summary["relation_precision"] == 1.0
    assert summary["relation_recall"] == 0.5
    assert summary["content_exact_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert summary["speaker_accuracy"] == 0.5
    assert summary["speaker_accuracy_partial_name"] == 1.0
    assert summary["addressee_f1"] == 0.0
    data: dict[str, Any] = json.loads(json.dumps(report.to_dict()))
    assert data["relations"]["gold"] == 4
    assert data["speakers"]["speaker_accuracy_end_to_end"]["total"] == 2
    text = report.render()
    assert "Relations" in text and "partial_name" in text and "end-to-end" in text


def test_evaluate_polnear_without_resolved_has_no_speaker_section(tmp_path: Path) -> None:
    root = write_corpus(tmp_path, {"doc-a": (INVENTED, invented_ann())})
    report = evaluate_polnear(root, pipeline=OraclePipeline())  # type: ignore[arg-type]
    assert report.speakers is None
    assert "speaker_accuracy" not in report.summary()
    assert report.summary()["direct_recall"] == 1.0
    assert "Speakers" not in report.render()


# -- seed scoring --------------------------------------------------------------------------------

SEED_TEXT = (
    "Ana Ortiz told Radio Nowhere on Monday: “We will not pay a single cent.”\n"
    "The council argued that the plan was “not affordable”.\n"
    "Weather in brief: sunny.\n"
)


def seed_gold() -> SeedGold:
    quote = {"type": "direct", "source": "Ana Ortiz", "cue": "told", "optional": False}
    data = {
        "text_file": "x.txt",
        "article": {
            "title": "Invented",
            "published": "2024-05-06T10:00:00",
            "clutter_lines": ["Sponsored: buy now"],
        },
        "quotes": [
            {
                **quote,
                "id": "q1",
                "speaker": "Ana Ortiz",
                "content": "We will not pay a single cent.",
                "medium": "Radio Nowhere",
                "addressee": None,
            },
            {
                **quote,
                "id": "q2",
                "speaker": "Bo Lind",
                "content": "nobody will ever say this sentence",
                "medium": None,
                "addressee": "the council",
            },
            {
                **quote,
                "id": "q3",
                "speaker": "The council",
                "content": "the plan was “not affordable”",
                "optional": True,
                "medium": None,
                "addressee": None,
            },
        ],
    }
    return SeedGold("invented", Path("x.txt"), data)


def test_score_seed_counts_found_speakers_medium_spurious_and_clutter() -> None:
    text = SEED_TEXT
    article = Article(
        text=text,
        title="Invented",
        published="2024-05-06T10:00",
        quotes=[
            Quote(
                "p1",
                "direct",
                [span(text, "We will not pay a single cent.")],
                speaker=Speaker("e1", "Ana Ortiz"),
                medium=span(text, "Radio Nowhere"),
            ),
            Quote("p2", "mixed", [span(text, "the plan was “not affordable”")]),  # optional: not spurious
            Quote("p3", "indirect", [span(text, "sunny")]),  # spurious
        ],
    )
    report = score_seed(seed_gold(), article)
    assert [q.found for q in report.quotes] == [True, False]
    assert report.speakers_right == 1
    assert report.medium == Ratio(1, 1)
    assert report.addressee == Ratio(0, 1)
    assert report.spurious == ["sunny"]
    assert report.clutter_left == []
    assert report.title_right and report.published_right
    assert report.bad_spans == 0

    dirty = Article(text=text + "Sponsored: buy now\n", title="Other", quotes=[])
    report = score_seed(seed_gold(), dirty)
    assert report.clutter_left == ["Sponsored: buy now"]
    assert not report.title_right and not report.published_right
    assert report.found == 0


def test_score_seed_counts_bad_offsets() -> None:
    article = Article(text=SEED_TEXT, quotes=[Quote("p1", "direct", [Span(0, 3, "Bob")])])
    assert score_seed(seed_gold(), article).bad_spans == 1


@pytest.mark.parametrize(
    ("pred", "gold", "expected"),
    [
        ("2025-01-12T13:30:00", "2025-01-12T13:30:00", True),
        ("2025-01-12T13:30", "2025-01-12T13:30:00", True),
        ("2025-01-12", "2025-01-12T13:30:00", False),
        (None, "2025-01-12", False),
        (None, None, True),
        ("12 January 2025", "2025-01-12", False),
    ],
)
def test_same_date(pred: str | None, gold: str | None, expected: bool) -> None:
    assert same_date(pred, gold) is expected


def test_seed_report_renders_each_required_quote() -> None:
    from onrecord.evaluate.seed_report import SeedReport

    article = Article(text=SEED_TEXT, title="Invented", published="2024-05-06T10:00:00")
    report = SeedReport([score_seed(seed_gold(), article)])
    text = report.render()
    assert "q1" in text and "q2" in text and "q3" not in text  # q3 is optional
    summary = report.to_dict()["summary"]
    assert summary["required"] == 2 and summary["found"] == 0
    assert summary["medium_total"] == 1 and summary["addressee_total"] == 1


class ShortPipeline:
    def process(self, documents: Iterable[Document]) -> Iterator[Article]:
        return iter([])


def test_evaluate_polnear_reports_a_pipeline_that_drops_articles(tmp_path: Path) -> None:
    root = write_corpus(tmp_path, {"doc-a": (INVENTED, invented_ann())})
    with pytest.raises(Exception, match="E020"):
        evaluate_polnear(root, pipeline=ShortPipeline())  # type: ignore[arg-type]


def test_null_gold_speaker_counts_unnamed_predictions_as_agreeing() -> None:
    from onrecord.datasets.polnear import ResolvedRelation

    resolved = {
        ("doc-a", "E1"): ResolvedRelation(None, "unnamed", "unnamed", None, None),
        ("doc-a", "E2"): ResolvedRelation(None, "unnamed", "unnamed", None, None),
    }
    article = predicted_article()
    article.entities.append(Entity("e0", "officials", "unnamed"))
    tally = _Tally(speakers=SpeakerReport())
    score_article(gold_article(), article, tally, resolved)
    assert tally.speakers is not None
    # q1's speaker e0 is an unnamed entity (agrees); q2 names Ana Ortiz (disagrees)
    assert tally.speakers.unnamed_no_speaker == Ratio(1, 2)
    assert tally.speakers.accuracy == Ratio(0, 0)


def test_genders_are_scored_against_the_gender_file_beside_the_resolved_one(tmp_path: Path) -> None:
    from onrecord.datasets.polnear import read_genders
    from onrecord.evaluate.polnear import score_genders
    from onrecord.evaluate.report import SpeakerReport
    from onrecord.model import Article, Entity

    resolved = tmp_path / "dev_resolved.jsonl"
    resolved.write_text("", encoding="utf-8")
    rows = [
        {"doc_id": "d1", "speaker": "Ana Ortiz", "gender": "female", "evidence": ["she"]},
        {"doc_id": "d1", "speaker": "Ben Lutz", "gender": "male", "evidence": ["he"]},
        {"doc_id": "d1", "speaker": "Kim Sato", "gender": "female", "evidence": ["her"]},
        {"doc_id": "d1", "speaker": "Tom Reyes", "gender": "unknown", "evidence": []},
        {"doc_id": "d2", "speaker": "Ana Ortiz", "gender": "male", "evidence": ["he"]},
    ]
    (tmp_path / "dev_gender.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    genders = read_genders(resolved)
    assert len(genders) == 5
    article = Article(
        text="",
        entities=[
            Entity("e1", "Ana Ortiz", "person", gender="female"),
            Entity("e2", "Mr. Ben Lutz", "person", gender="female"),
            Entity("e3", "Tom Reyes", "person", gender="male"),
        ],
    )
    report = SpeakerReport()
    score_genders("d1", article, genders, report)
    # Ana right; Ben wrong; Kim has no entity (neither right nor wrong); Tom's gold is unknown
    assert (report.gender_right.hits, report.gender_right.total) == (1, 3)
    assert (report.gender_wrong.hits, report.gender_wrong.total) == (1, 3)
    assert (report.gender_given_unknown.hits, report.gender_given_unknown.total) == (1, 1)
    assert read_genders(tmp_path / "other.jsonl") == {}
