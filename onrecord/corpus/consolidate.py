"""Consolidation: speaker identity and quote provenance over a whole stored corpus.

``consolidate(store)`` reads every entity and quotation from the store, gives every entity its
corpus-wide speaker id (``identity.assign_speakers``, with the human corrections), decides each
person speaker's gender, groups the quotations that several articles carry
(``provenance.group_quotes``) and writes it all back, in one transaction. Deterministic: the same
articles and corrections give the same ids, whatever order they were stored in. The store only
reads and writes the rows; it runs after ``ingest`` and after a correction, when
``store.needs_consolidation()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from onrecord.corpus.identity import assign_speakers
from onrecord.corpus.provenance import group_quotes
from onrecord.store.protocol import Store
from onrecord.store.records import GENDERS, Correction, SpeakerRecord


def consolidate(store: Store) -> dict[str, int]:
    """Give every entity of ``store`` its speaker id and group the quotations several articles
    carry (see the module docstring): how many ``speakers``, ``groups`` and ``variants``."""
    with store.transaction():
        corrections = store.corrections()
        identity = assign_speakers(store.name_records(), [c for c in corrections if c.action != "gender"])
        store.set_entity_speakers(identity.speaker_of)
        store.put_speakers(
            [
                SpeakerRecord(sid, s.name, s.kind, s.aliases, s.roles)
                for sid, s in sorted(identity.speakers.items())
            ]
        )
        store.set_speaker_genders(
            speaker_genders(store.person_genders(), [c for c in corrections if c.action == "gender"])
        )
        provenance = group_quotes(store.quote_records())
        store.put_provenance(provenance)
        store.mark_consolidated()
    return {
        "speakers": len(identity.speakers),
        "groups": len(provenance.first),
        "variants": len(provenance.variants),
    }


def speaker_genders(
    votes: Mapping[str, Mapping[str, int]], corrections: Sequence[Correction]
) -> dict[str, tuple[str, str]]:
    """Each person speaker's gender across the corpus, and where it comes from: the weight of
    its articles' evidence (``votes``: the articles whose entity for it is female against those
    where it is male; one side with at least twice the other wins, else ``unknown``), unless a
    gender correction says otherwise (the latest for that speaker wins)."""
    decided: dict[str, tuple[str, str]] = {}
    for sid, count in votes.items():
        female, male = count["female"], count["male"]
        gender = "female" if female >= 2 * male else "male" if male >= 2 * female else "unknown"
        decided[sid] = (gender, "articles")
    for correction in corrections:
        if correction.b in GENDERS:
            decided[correction.a] = (correction.b, "correction")
    return decided
