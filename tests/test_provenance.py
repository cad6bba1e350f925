"""``onrecord.corpus.provenance``: the same quotation across articles, first appearance, misquotes.

Every sentence here is invented for these tests; the speakers, outlets and articles are made up.
"""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from onrecord.corpus.provenance import (
    BANDS,
    NUM_PERM,
    ROWS,
    SEED,
    banded_pairs,
    group_quotes,
    matches,
    minhash_signatures,
    quote_words,
    shingles,
    word_diff,
)
from onrecord.store.records import Provenance, QuoteRecord

FLOOD = (
    "The flooding in the river towns was a terrible blow to families who had already lost "
    "their harvests this year, and we owe them more than sympathy."
)
FLOOD_CURLY = (
    "“The flooding in the river towns was a TERRIBLE blow to families who had already lost "
    "their harvests this year — and we owe them more than sympathy…”"
)
FLOOD_CHANGED = FLOOD.replace("terrible", "horrible")
FLOOD_FIRST_HALF = "The flooding in the river towns was a terrible blow to families"
BRIDGE = (
    "We will reopen the old harbour bridge by the end of the summer, whatever the cost of the "
    "repairs turns out to be."
)
ORCHARD = (
    "Nobody in this council has ever suggested selling the municipal orchards to a private "
    "developer, and nobody ever will while I am mayor."
)


def quote(
    quote_id: str,
    article_id: str,
    text: str,
    *,
    speaker: str | None = "sp_mayor",
    published: str | None = "2024-03-05",
    outlet: str | None = "Valley Courier",
) -> QuoteRecord:
    return QuoteRecord(quote_id, article_id, text, speaker, published, outlet)


def group_id(quote_id: str) -> str:
    return "g_" + hashlib.sha1(quote_id.encode()).hexdigest()[:12]


def members(provenance: Provenance) -> list[set[str]]:
    """The groups as sets of quote ids, biggest first, for order-free comparison."""
    groups: dict[str, set[str]] = {}
    for quote_id, group in provenance.group_of.items():
        groups.setdefault(group, set()).add(quote_id)
    return sorted(groups.values(), key=lambda ids: (-len(ids), sorted(ids)))


ACCEPTANCE = [
    quote("q_ledger", "a_ledger", FLOOD_CURLY, published="2024-03-02", outlet="Daily Ledger"),
    quote("q_post", "a_post", FLOOD, published="2024-03-01T18:30:00Z", outlet="Evening Post"),
    quote("q_radio", "a_radio", FLOOD_CHANGED, published="2024-03-04", outlet="Coast Radio"),
]


def test_acceptance_one_quote_in_three_articles_one_changed_word() -> None:
    provenance = group_quotes(ACCEPTANCE)
    assert members(provenance) == [{"q_ledger", "q_post", "q_radio"}]
    assert provenance.first == {group_id("q_post"): "q_post"}
    assert set(provenance.group_of.values()) == {group_id("q_post")}
    assert provenance.variants == {"q_radio": ["terrible→horrible"]}


def test_the_earliest_date_wins_whatever_the_input_order() -> None:
    later_post = [*ACCEPTANCE[:1], quote("q_post", "a_post", FLOOD, published="2024-03-03"), ACCEPTANCE[2]]
    provenance = group_quotes(later_post)
    assert provenance.first == {group_id("q_ledger"): "q_ledger"}
    # measured against the curly-quoted first appearance, the identical wording is still not a variant
    assert provenance.variants == {"q_radio": ["terrible→horrible"]}


def test_truncation_is_grouped_but_not_flagged() -> None:
    quotes = [
        quote("q1", "a1", FLOOD, published="2024-03-01"),
        quote("q2", "a2", FLOOD_FIRST_HALF + "...", published="2024-03-02"),
        # the leading words dropped, the rest carried with an ellipsis
        quote(
            "q3",
            "a3",
            "… blow to families who had already lost their harvests this year",
            published="2024-03-03",
        ),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2", "q3"}]
    assert provenance.first == {group_id("q1"): "q1"}
    assert provenance.variants == {}


def test_the_full_quote_after_a_truncated_first_appearance_is_not_flagged() -> None:
    quotes = [
        quote("q1", "a1", FLOOD_FIRST_HALF, published="2024-03-01"),
        quote("q2", "a2", FLOOD, published="2024-03-02"),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2"}]
    assert provenance.variants == {}


def test_two_halves_joined_only_through_the_full_quote_are_not_compared() -> None:
    quotes = [
        quote("q1", "a1", FLOOD_FIRST_HALF, published="2024-03-01"),
        quote("q2", "a2", FLOOD, published="2024-03-02"),
        quote(
            "q3", "a3", "who had already lost their harvests this year, and we owe them more than sympathy"
        ),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2", "q3"}]
    assert provenance.variants == {}


def test_a_truncated_copy_with_a_changed_word_is_flagged_for_the_word_only() -> None:
    quotes = [
        quote("q1", "a1", FLOOD, published="2024-03-01"),
        quote("q2", "a2", FLOOD_FIRST_HALF.replace("river", "coastal"), published="2024-03-02"),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2"}]
    assert provenance.variants == {"q2": ["river→coastal"]}


def test_a_different_speaker_with_the_same_words_is_another_group() -> None:
    """A group is the same words from the same speaker: a governor echoing the mayor is not the
    mayor misquoted, and a quotation with no speaker found joins no one."""
    quotes = [
        quote("q1", "a1", FLOOD, speaker="sp_mayor", published="2024-03-01"),
        quote("q2", "a2", FLOOD_CHANGED, speaker="sp_governor", published="2024-03-02"),
        quote("q3", "a3", FLOOD_CHANGED, speaker=None, published="2024-03-03"),
        quote("q4", "a4", FLOOD_CHANGED, speaker="sp_governor", published="2024-03-04"),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q2", "q4"}]
    assert provenance.variants == {}


def test_quotations_without_a_speaker_are_not_grouped() -> None:
    quotes = [
        quote("q1", "a1", FLOOD, speaker=None, published="2024-03-01"),
        quote("q2", "a2", FLOOD_CHANGED, speaker=None, published="2024-03-02"),
    ]
    assert group_quotes(quotes) == Provenance()


def test_an_indirect_paraphrase_is_no_misquote() -> None:
    """Only quoted words (direct, mixed) are compared: a reporter's paraphrase may differ."""
    quotes = [
        quote("q1", "a1", FLOOD, published="2024-03-01"),
        QuoteRecord("q2", "a2", FLOOD_CHANGED, "sp_mayor", "2024-03-02", "Valley Courier", "indirect"),
        QuoteRecord("q3", "a3", FLOOD_CHANGED, "sp_mayor", "2024-03-03", "Valley Courier", "mixed"),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2", "q3"}]
    assert set(provenance.variants) == {"q3"}


@pytest.mark.parametrize(
    ("text", "min_words", "grouped"),
    [
        pytest.param("I don't know.", 6, False, id="three-words"),
        pytest.param("We'll see what happens.", 6, False, id="four-words"),
        pytest.param("We'll see what happens next week.", 6, True, id="six-words-is-enough"),
        pytest.param("We'll see what happens next week.", 7, False, id="min-words-raised"),
    ],
)
def test_short_quotes_are_not_grouped(text: str, min_words: int, grouped: bool) -> None:
    quotes = [quote(f"q{n}", f"a{n}", text) for n in range(3)]
    provenance = group_quotes(quotes, min_words=min_words)
    assert bool(provenance.group_of) is grouped


def test_unrelated_quotes_are_not_grouped() -> None:
    quotes = [quote("q1", "a1", BRIDGE), quote("q2", "a2", ORCHARD), quote("q3", "a3", FLOOD)]
    assert group_quotes(quotes) == Provenance()


def test_quotes_sharing_a_stock_phrase_are_not_grouped() -> None:
    quotes = [
        quote("q1", "a1", "At the end of the day, the voters of this district want cheaper buses."),
        quote("q2", "a2", "At the end of the day, our fishermen need a fair price for their catch."),
    ]
    assert group_quotes(quotes) == Provenance()


def test_a_short_phrase_inside_a_long_quote_is_not_grouped() -> None:
    phrase = "whatever the cost of the repairs"
    quotes = [quote("q1", "a1", BRIDGE + " " + ORCHARD), quote("q2", "a2", phrase.capitalize() + ".")]
    assert group_quotes(quotes) == Provenance()


def test_same_article_duplicates_alone_are_not_grouped() -> None:
    quotes = [quote("q1", "a1", BRIDGE), quote("q2", "a1", BRIDGE.upper()), quote("q3", "a2", ORCHARD)]
    assert group_quotes(quotes) == Provenance()


def test_a_same_article_duplicate_joins_its_cross_article_group() -> None:
    quotes = [
        quote("q1", "a1", BRIDGE, published="2024-03-01"),
        quote("q2", "a1", BRIDGE, published="2024-03-01"),
        quote("q3", "a2", BRIDGE.replace("summer", "autumn"), published="2024-03-02"),
    ]
    provenance = group_quotes(quotes)
    assert members(provenance) == [{"q1", "q2", "q3"}]
    assert provenance.first == {group_id("q1"): "q1"}
    assert provenance.variants == {"q3": ["summer→autumn"]}


def test_missing_dates_sort_last_and_ties_go_to_the_smaller_quote_id() -> None:
    dated_last = [
        quote("q_a", "a1", BRIDGE, published=None),
        quote("q_b", "a2", BRIDGE, published="2024-03-09"),
        quote("q_c", "a3", BRIDGE, published="not a date"),
    ]
    assert group_quotes(dated_last).first == {group_id("q_b"): "q_b"}
    undated = [quote("q_z", "a1", BRIDGE, published=None), quote("q_y", "a2", BRIDGE, published=None)]
    assert group_quotes(undated).first == {group_id("q_y"): "q_y"}
    same_day = [quote("q_z", "a1", BRIDGE), quote("q_y", "a2", BRIDGE)]
    assert group_quotes(same_day).first == {group_id("q_y"): "q_y"}


def test_dates_are_compared_as_moments_not_strings() -> None:
    quotes = [
        quote("q_a", "a1", BRIDGE, published="2024-03-02"),  # midnight UTC
        quote("q_b", "a2", BRIDGE, published="2024-03-01T23:30:00-05:00"),  # 04:30 UTC on the 2nd
        quote("q_c", "a3", BRIDGE, published="2024-03-02T03:00:00+02:00"),  # 01:00 UTC on the 2nd
    ]
    assert group_quotes(quotes).first == {group_id("q_a"): "q_a"}


def corpus() -> list[QuoteRecord]:
    return [
        *ACCEPTANCE,
        quote("t1", "b1", BRIDGE, published="2024-02-01"),
        quote("t2", "b2", BRIDGE.replace("old", "new"), published=None),
        quote("t3", "b3", BRIDGE[:60], published="2024-02-01"),
        quote("o1", "c1", ORCHARD, speaker="sp_a"),
        quote("o2", "c1", ORCHARD, speaker="sp_a"),
        quote("o3", "c2", ORCHARD.replace("never", "not"), speaker="sp_b"),
        quote("s1", "c2", "I don't know."),
        quote("s2", "c3", "I don't know."),
    ]


@pytest.mark.parametrize("seed", range(5))
def test_the_result_does_not_depend_on_input_order(seed: int) -> None:
    expected = group_quotes(corpus())
    assert len(members(expected)) == 2  # the orchard quote is two speakers': no group of either
    shuffled = corpus()
    random.Random(seed).shuffle(shuffled)
    assert group_quotes(shuffled) == expected


def test_planted_copies_are_found_among_random_quotes() -> None:
    """Identical and one-word-changed copies are always found; half copies (Jaccard about 0.5
    with the original) escape the LSH bands with a probability of about 1%."""
    rng = random.Random(3)
    vocabulary = [f"word{n}" for n in range(3000)]
    weights = [1.0 / (n + 1) for n in range(3000)]
    originals = [rng.choices(vocabulary, weights, k=rng.randint(12, 40)) for _ in range(1500)]
    quotes = [quote(f"o{n}", f"a{n}", " ".join(words)) for n, words in enumerate(originals)]
    kinds = ("changed", "half", "same")
    for n, words in enumerate(originals[:300]):
        copy = list(words)
        if kinds[n % 3] == "changed":
            copy[len(copy) // 2] = "changed"
        elif kinds[n % 3] == "half":
            copy = copy[: len(copy) // 2 + 1]
        quotes.append(quote(f"c{n}", f"b{n}", " ".join(copy)))
    provenance = group_quotes(quotes)
    found = {kind: 0 for kind in kinds}
    for n in range(300):
        group = provenance.group_of.get(f"c{n}")
        if group is not None and group == provenance.group_of.get(f"o{n}"):
            found[kinds[n % 3]] += 1
    assert found["same"] == found["changed"] == 100
    assert found["half"] >= 97
    assert all(len(ids) == 2 for ids in members(provenance))
    assert len(provenance.first) == sum(found.values())


QUOTE_WORDS = [
    pytest.param("We’re “NOT” done—yet…", ["were", "not", "done", "yet"], id="curly-case-dash-ellipsis"),
    pytest.param('We\'re "not" done -- yet...', ["were", "not", "done", "yet"], id="straight"),
    pytest.param("a long-term plan", ["a", "long", "term", "plan"], id="hyphen-splits"),
    pytest.param("ＦＵＬＬ width", ["full", "width"], id="nfkc"),
    pytest.param("", [], id="empty"),
]


@pytest.mark.parametrize(("text", "expected"), QUOTE_WORDS)
def test_quote_words(text: str, expected: list[str]) -> None:
    assert quote_words(text) == expected


WORD_DIFFS = [
    pytest.param("a b c d e f", "a b c d e f", [], id="same"),
    pytest.param("a b c d e f", "a b c", [], id="first-part"),
    pytest.param("a b c d e f", "c d e f", [], id="last-part"),
    pytest.param("a b c d e f", "c d", [], id="middle-part"),
    pytest.param("a b c", "a b c d e f", [], id="longer-than-first"),
    pytest.param("a b c d", "c d e f", [], id="overlap-end-to-start"),
    pytest.param("a b c d e f", "a b x d e f", ["c→x"], id="changed-word"),
    pytest.param("a b c d e f", "a b x y d e f", ["c→x y"], id="one-word-for-two"),
    pytest.param("we will not raise taxes", "we will raise taxes", ["-not"], id="dropped-word"),
    pytest.param("we will raise taxes", "we will never raise taxes", ["+never"], id="added-word"),
    pytest.param("a b c d e f g h", "a x c d e f y h", ["b→x", "g→y"], id="two-changes-in-order"),
    pytest.param("a b c d e f", "b x d e", ["c→x"], id="truncated-and-changed"),
]


@pytest.mark.parametrize(("first", "other", "expected"), WORD_DIFFS)
def test_word_diff(first: str, other: str, expected: list[str]) -> None:
    assert word_diff(first.split(), other.split()) == expected


MATCHES = [
    pytest.param(BRIDGE, BRIDGE, True, id="same"),
    pytest.param(BRIDGE, BRIDGE.replace("summer", "autumn"), True, id="one-changed-word"),
    pytest.param(
        BRIDGE, "We will reopen the old harbour bridge by the end of the summer", True, id="first-half"
    ),
    pytest.param(BRIDGE, "We will reopen the bridge", False, id="under-a-third"),
    pytest.param(BRIDGE, ORCHARD, False, id="unrelated"),
    pytest.param(
        "we will reopen the old harbour bridge this summer",
        "we will close the new harbour office this winter",
        False,
        id="same-frame-different-words",
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), MATCHES)
def test_matches(a: str, b: str, expected: bool) -> None:
    set_a, set_b = shingles(quote_words(a)), shingles(quote_words(b))
    assert matches(set_a, set_b, 0.7) is expected
    assert matches(set_b, set_a, 0.7) is expected


def test_banding_finds_what_minhashlsh_finds() -> None:
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(400)]
    base = [rng.choices(vocabulary, k=rng.randint(6, 30)) for _ in range(150)]
    edited = [[*words[:-2], "edit"] for words in base[:50]] + [
        words[: len(words) // 2 + 1] for words in base[50:100]
    ]
    texts = [" ".join(words) for words in base + edited]
    batches = [[shingle.encode() for shingle in shingles(text.split())] for text in texts]
    minhashes = MinHash.bulk(batches, num_perm=NUM_PERM, seed=SEED)
    signatures = minhash_signatures(texts)
    assert np.array_equal(signatures, np.stack([minhash.hashvalues for minhash in minhashes]))

    lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
    for row, minhash in enumerate(minhashes):
        lsh.insert(row, minhash)
    expected = {(a, b) for a, minhash in enumerate(minhashes) for b in lsh.query(minhash) if a < b}
    found = {(a, b) for pairs in banded_pairs(signatures) for a, b in pairs.tolist()}
    assert len(expected) >= 100
    assert found == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"threshold": 0.0}, "threshold", id="threshold-zero"),
        pytest.param({"threshold": 1.5}, "threshold", id="threshold-over-one"),
        pytest.param({"min_words": 1}, "min_words", id="min-words-one"),
    ],
)
def test_bad_options_are_refused(options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        group_quotes(ACCEPTANCE, **options)  # type: ignore[arg-type]


def test_duplicate_quote_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        group_quotes([quote("q1", "a1", BRIDGE), quote("q1", "a2", BRIDGE)])


def test_no_quotes() -> None:
    assert group_quotes([]) == Provenance()
