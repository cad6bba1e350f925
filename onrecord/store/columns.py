"""The columns the store's questions give back, and the SQL fragments that select them.

Export (``onrecord.corpus.export``), the CLI and the server's CSV read the column tuples; the
queries (``onrecord.store.queries``, ``onrecord.store.reports``) and the backends' searches read
the SQL.
"""

from __future__ import annotations

from onrecord.store.records import GENDERS

TABLES = ("quotes", "articles", "speakers", "entities", "failures", "relations", "stances")

QUOTE_COLUMNS = (
    "quote_id",
    "article_id",
    "position",
    "source_path",
    "url",
    "title",
    "published",
    "outlet",
    "speaker_id",
    "speaker_name",
    "source_text",
    "type",
    "content_text",
    "content_start",
    "content_end",
    "cue_text",
    "medium_text",
    "addressee_text",
    "confidence",
    "group_id",
    "extractor",
)
ARTICLE_COLUMNS = (
    "article_id",
    "item_key",
    "source_path",
    "url",
    "title",
    "published",
    "outlet",
    "author",
    "quote_count",
    "extractor",
    "text",
    "data",
)
STANCE_MATCH_COLUMNS = (
    "article_id",
    "holder_entity",
    "speaker_id",
    "name",
    "stance",
    "target_text",
    "cue_text",
    "evidence_text",
    "quote_id",
    "confidence",
    "published",
    "outlet",
    "title",
)
STANCE_MATCH_SELECT = (
    "s.article_id, s.holder_entity, e.speaker_id, coalesce(sp.name, s.holder_name), s.stance, s.target_text, "
    "s.cue_text, s.evidence_text, s.quote_id, s.confidence, a.published, a.outlet, a.title"
)
STANCE_MATCH_JOINS = (
    "JOIN articles a ON a.article_id = s.article_id "
    "LEFT JOIN entities e ON e.article_id = s.article_id AND e.entity_id = s.holder_entity "
    "LEFT JOIN speakers sp ON sp.speaker_id = e.speaker_id "
)
ENTITY_COLUMNS = ("article_id", "entity_id", "name", "kind", "descriptions", "mention_count", "speaker_id")
FAILURE_COLUMNS = ("item_key", "status", "reason")
RELATION_COLUMNS = (
    "article_id",
    "position",
    "subject_id",
    "subject_name",
    "predicate",
    "object_id",
    "object_name",
    "cue_text",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "confidence",
    "published",
    "outlet",
)
STANCE_COLUMNS = (
    "article_id",
    "position",
    "holder_id",
    "holder_name",
    "stance",
    "target_text",
    "cue_text",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "quote_id",
    "confidence",
    "published",
    "outlet",
)
SPEAKER_COLUMNS = ("speaker_id", "name", "kind", "quote_count", "article_count", "aliases", "roles")


#: The columns of a quotation row (``QUOTE_COLUMNS``), over quotes ``q``, articles ``a``, speakers ``s``.
QUOTE_SELECT = (
    "q.quote_id, q.article_id, q.position, a.source_path, a.url, a.title, q.published, q.outlet, q.speaker_id, "
    "coalesce(s.name, q.speaker_local_name), q.source_text, q.type, q.content_text, q.content_start, "
    "q.content_end, q.cue_text, q.medium_text, q.addressee_text, q.confidence, q.group_id, q.extractor"
)

#: What ranks a quotation before the text match does: a named speaker (a person or an organisation
#: before a group, before an unnamed or missing one), then a quotation of five words or more,
#: then a confidence of one half or more.
RANK_ORDER = (
    "CASE WHEN s.kind IN ('person', 'organization') THEN 0 WHEN s.kind = 'group' THEN 1 ELSE 2 END, "
    "CASE WHEN length(q.content_text) - length(replace(q.content_text, ' ', '')) >= 4 THEN 0 ELSE 1 END, "
    "CASE WHEN q.confidence >= 0.5 THEN 0 ELSE 1 END"
)
#: A search sorted by date, either way, on both backends: the undated last in both directions
#: (PostgreSQL would put them first going down, SQLite first going up).
DATE_ORDER = {"date": "q.published ASC NULLS LAST", "-date": "q.published DESC NULLS LAST"}

#: What ``diversity`` groups by, as SQL over quotations ``q`` (``topic`` is a full-text query).
DIVERSITY_GROUPS = {"outlet": "q.outlet", "month": "substr(q.published, 1, 7)", "topic": ""}
DIVERSITY_KINDS = ("female", "male", "unknown", "organization", "group", "unnamed")
#: The counts and shares of a ``diversity`` row, in the order the CLI and the page's CSV give them.
DIVERSITY_COLUMNS = (
    "quotes",
    *DIVERSITY_KINDS,
    *(f"people_{g}" for g in GENDERS),
    "share_women_people",
    "share_women_quotes",
    "share_organizations",
    "share_unnamed",
)
