"""The commands that read a corpus: search, speakers, diversity, quote, stance, relations.

Output formats are uniform: ``table`` (rich), ``json`` (one array), ``nl`` (one JSON object per
line) and ``csv``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from onrecord.cli.common import format_option, no_such_speaker, open_db, write_rows
from onrecord.errors import Errors, OnrecordError, QueryError

if TYPE_CHECKING:
    from onrecord.store.records import Sort


def _day(value: str | None, option: str) -> str | None:
    """A date that exists, as YYYY, YYYY-MM or YYYY-MM-DD (a usage error otherwise)."""
    if value is None:
        return None
    # the store: only when a date is given, not for --help
    from onrecord.store.search import check_day

    try:
        check_day(value)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint=option) from err
    return value


SEARCH_COLUMNS = ("quote_id", "published", "outlet", "speaker_name", "type", "snippet")


@click.command()
@click.argument("db")
@click.argument("query", default="")
@click.option("--speaker", help="Only this speaker (a name, an alias or a speaker id).")
@click.option("--outlet", help="Only this outlet.")
@click.option(
    "--since",
    metavar="DATE",
    callback=lambda _c, _p, v: _day(v, "--since"),
    help="Published on or after DATE (YYYY[-MM[-DD]]).",
)
@click.option(
    "--until",
    metavar="DATE",
    callback=lambda _c, _p, v: _day(v, "--until"),
    help="Published on or before DATE (YYYY[-MM[-DD]]).",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, help="Only quotations at least this sure."
)
@click.option(
    "--type",
    "quote_type",
    type=click.Choice(["direct", "mixed", "indirect"]),
    help="Only this kind of quotation.",
)
@click.option(
    "--sort",
    type=click.Choice(["rank", "date", "-date"]),
    default="rank",
    show_default=True,
    help="Best match first, or by date.",
)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@format_option()
def search(
    db: str,
    query: str,
    speaker: str | None,
    outlet: str | None,
    since: str | None,
    until: str | None,
    min_confidence: float | None,
    quote_type: str | None,
    sort: Sort,
    limit: int,
    offset: int,
    output_format: str,
) -> None:
    """Search quotations: words, "exact phrases", OR, -excluded words, prefix*, NEAR(a b, N),
    and the fields speaker:NAME, outlet:NAME, type:direct.

    The snippet is the quotation; matches are in bold in the table, and given as [start, end)
    offsets into it ("matches") in the other formats. A query that starts with "-" follows
    "--". An unknown --speaker is a usage error that names the closest speakers.

    Example:

    \b
        onrecord search news.db 'email server' --speaker "Donald Trump"
        onrecord search news.db '"national inquiry" -Musk' --since 2025-01-01 --format csv
        onrecord search news.db 'inquir* NEAR(grooming gangs, 5)' --min-confidence 0.5
        onrecord search news.db -- '-Musk inquiry'
    """
    # the store: only when the command runs
    from onrecord.store import QUOTE_COLUMNS, SearchFilters

    store = open_db(db)
    try:
        if speaker and not store.resolve_speaker(speaker):
            raise click.BadParameter(no_such_speaker(store, speaker), param_hint="--speaker")
        filters = SearchFilters(
            speaker=speaker,
            outlet=outlet,
            since=since,
            until=until,
            type=quote_type,
            min_confidence=min_confidence,
        )
        rows = store.search(query, filters, limit=limit, offset=offset, sort=sort)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    columns = SEARCH_COLUMNS if output_format == "table" else (*QUOTE_COLUMNS, "snippet", "matches")
    write_rows(rows, columns, output_format)


@click.command()
@click.argument("db")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@format_option()
def speakers(db: str, limit: int, output_format: str) -> None:
    """The most quoted speakers, with their counts.

    Example:

    \b
        onrecord speakers news.db --limit 20
    """
    store = open_db(db)
    try:
        rows = store.speakers(limit=limit)
    finally:
        store.close()
    write_rows(rows, ("speaker_id", "name", "kind", "quote_count", "article_count"), output_format)


@click.command()
@click.argument("db")
@click.option(
    "--by",
    "by",
    type=click.Choice(["outlet", "month", "topic"]),
    multiple=True,
    help="Group the counts; repeat for combinations (--by outlet --by month).",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    help="A full-text query (as search takes it): only the quotations it matches; with --by "
    "topic, one group per --topic.",
)
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None, help="Only quotations at least this sure."
)
@format_option()
def diversity(
    db: str, by: tuple[str, ...], topics: tuple[str, ...], min_confidence: float | None, output_format: str
) -> None:
    """Who gets quoted: quotations and people quoted by gender, and the shares of organisations and
    unnamed sources, in all or by outlet, month or topic.

    Gender is what each article shows (pronouns, gendered nouns, honorifics; the first-name
    lexicon only where the article says nothing), not self-identified: unknown is counted,
    never dropped.

    Example:

    \b
        onrecord diversity news.db --by outlet
        onrecord diversity news.db --by outlet --by month --format csv
        onrecord diversity news.db --by topic --topic immigration --topic "health care"
    """
    # the store: only when the command runs
    from onrecord.store import DIVERSITY_COLUMNS, SearchFilters

    store = open_db(db)
    try:
        rows = store.diversity(
            list(by), topics=list(topics), filters=SearchFilters(min_confidence=min_confidence)
        )
    except QueryError as err:
        raise click.UsageError(str(err)) from err
    finally:
        store.close()
    keys = [k for k in ("topic", "outlet", "month") if k in by]
    write_rows(rows, [*keys, *DIVERSITY_COLUMNS], output_format, title="who gets quoted")


@click.command()
@click.argument("db")
@click.argument("quote_id")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
def quote(db: str, quote_id: str, output_format: str) -> None:
    """A quotation's provenance: every article that carried it, the first, and its variants.

    Example:

    \b
        onrecord quote news.db 3f2a9c0d1e4b5a6c7d8e:q4
    """
    store = open_db(db)
    try:
        info = store.quote(quote_id)
    finally:
        store.close()
    if info is None:
        hint = "; quotation ids are ARTICLE_ID:qN, as search and export give them"
        raise click.BadParameter(
            Errors.E054.format(quote_id=quote_id).rstrip(".") + hint, param_hint="QUOTE_ID"
        )
    if output_format == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{info['speaker_name'] or '(no speaker)'} {info['cue_text'] or ''}: {' '.join(info['content_text'].split())}"
    )
    click.echo(
        f"  in {info['outlet'] or info['source_path']} ({info['published'] or 'no date'}), {info['type']}"
    )
    if info["group_id"] is None:
        click.echo("  carried by no other article in this corpus")
        return
    click.echo(f"  group {info['group_id']}: first appearance {info['first_quote_id']}")
    variants = {v["quote_id"]: v["differences"] for v in info["variants"]}
    for row in info["carried_by"]:
        mark = (
            "first"
            if row["quote_id"] == info["first_quote_id"]
            else ("VARIANT " + ", ".join(variants[row["quote_id"]]) if row["quote_id"] in variants else "")
        )
        click.echo(
            f"  {row['published'] or '????-??-??'}  {row['outlet'] or row['source_path']}  {row['quote_id']}  {mark}"
        )


@click.command()
@click.argument("db")
@click.argument("topic")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--evidence",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="Statements to print per speaker (table).",
)
def stance(db: str, topic: str, output_format: str, evidence: int) -> None:
    """Who is for, who against, and who speaks of TOPIC without a side, with the statements.

    TOPIC is read as a head noun and context: "national inquiry into grooming gangs" looks for
    statements whose target names an inquiry (or a probe, an investigation) in articles that
    mention the national grooming gangs. "Called for", "backed calls for" are for; "will not
    intervene", "don't need more inquiries" against.

    Example:

    \b
        onrecord stance news.db "national inquiry into grooming gangs"
        onrecord stance news.db "Clinton email" --format json
    """
    # the corpus: only when the command runs
    from onrecord.corpus.stance import stance

    store = open_db(db)
    try:
        answer = stance(store, topic)
    except OnrecordError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    if output_format == "json":
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{answer['topic']}: {answer['head']} (or {', '.join(answer['variants'][1:]) or 'no variant'})"
        + (f" in articles about {' '.join(answer['context'])}" if answer["context"] else "")
    )
    for side in ("for", "against", "unclear"):
        rows = answer[side]
        click.echo(f"{side.upper()} ({len(rows)} speakers, {sum(r['count'] for r in rows)} statements)")
        for row in rows:
            click.echo(f"  {row['name']} ({row['count']})")
            for item in row["evidence"][:evidence]:
                text = " ".join(str(item["evidence"]).split())
                click.echo(f"    {item['published'] or '????-??-??'} {item['outlet'] or ''}: {text[:140]}")
    if answer["articles_without_relations"]:
        click.echo(
            f"note: {answer['articles_without_relations']} articles were stored before relations and stances "
            "were extracted; run `onrecord ingest DB --reprocess` to add them",
            err=True,
        )


@click.command()
@click.argument("db")
@click.option("--speaker", "name", help="Only this speaker's relations (a name, an alias or a speaker id).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@format_option()
def relations(db: str, name: str | None, limit: int, output_format: str) -> None:
    """Who praises, criticises, thanks, accuses, supports or opposes whom, over the corpus.

    Example:

    \b
        onrecord relations news.db
        onrecord relations news.db --speaker "Elon Musk" --format json
    """
    store = open_db(db)
    try:
        if name is None:
            rows = store.relation_graph(limit=limit)
            write_rows(
                rows,
                ("subject", "predicate", "object", "count", "articles"),
                output_format,
                title="relations",
            )
            return
        ids = store.resolve_speaker(name)
        if not ids:
            raise click.BadParameter(no_such_speaker(store, name), param_hint="--speaker")
        found = store.relations_of(ids[0], limit=limit)
    finally:
        store.close()
    rows = [
        {"direction": direction, **row} for direction in ("outgoing", "incoming") for row in found[direction]
    ]
    write_rows(rows, ("direction", "predicate", "name", "count", "evidence"), output_format, title=name)
