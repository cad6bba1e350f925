"""``onrecord speaker``: one speaker (``show``, the default), and hand corrections (merge, split)."""

from __future__ import annotations

import datetime
import getpass
import json
import os
from collections.abc import Iterable

import click

from onrecord.cli.common import no_such_speaker, open_db


class _DefaultGroup(click.Group):
    """A group whose arguments go to its ``show`` command unless they name a subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup)
def speaker() -> None:
    """One speaker (onrecord speaker DB NAME), or correct speaker identity (merge, split).

    Example:

    \b
        onrecord speaker news.db "Donald Trump"
        onrecord speaker merge news.db "Mr. Smith" "John Smith"
        onrecord speaker split news.db "John Smith" "Jane Smith"
    """


@speaker.command(name="show")
@click.argument("db")
@click.argument("name")
@click.option(
    "--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option(
    "--timeline",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Quotations of the timeline to print (table).",
)
@click.option(
    "--set-gender",
    type=click.Choice(["female", "male", "unknown"]),
    default=None,
    help="Correct the speaker's gender by hand: it wins over what the articles show, now and "
    "after every later ingest, and is recorded with its author and time.",
)
@click.option("--author", default=None, help="Who makes the correction.  [default: $USER]")
def speaker_show(
    db: str, name: str, output_format: str, timeline: int, set_gender: str | None, author: str | None
) -> None:
    """A speaker: gender, aliases, roles over time, outlets, media, addressees, and a timeline
    of quotes.

    NAME is a name, an alias or a speaker id.

    Example:

    \b
        onrecord speaker news.db "Donald Trump"
        onrecord speaker news.db Trump --format json
        onrecord speaker news.db "Robin Lutz" --set-gender female --author "desk editor"
    """
    store = open_db(db)
    try:
        info = store.speaker(name)
        if info is None:
            raise click.BadParameter(no_such_speaker(store, name), param_hint="NAME")
        if set_gender is not None:
            # consolidation (spaCy, through identity's names): only when a correction is made
            from onrecord.corpus.consolidate import consolidate
            from onrecord.store.records import Correction  # the store: likewise

            if info["kind"] != "person":
                raise click.BadParameter(
                    f"{info['name']} is an {info['kind']}: only people have a gender", param_hint="NAME"
                )
            created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
            who = author or os.environ.get("USER") or getpass.getuser()
            store.add_correction(
                Correction("gender", info["speaker_id"], set_gender, author=who, created=created)
            )
            consolidate(store)
            click.echo(
                f"onrecord: {info['name']} is now {set_gender} (corrected by {who}, {created})", err=True
            )
            info = store.speaker(info["speaker_id"])
            assert info is not None
    finally:
        store.close()
    if output_format == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{info['name']} ({info['speaker_id']}, {info['kind']}): {info['quote_count']} quotations in {info['article_count']} articles"
    )
    if info["kind"] == "person":
        source = "corrected by hand" if info["gender_source"] == "correction" else "as its articles show"
        click.echo(f"gender: {info['gender'] or 'unknown'} ({source})")
    _listing("aliases", [f"{a['alias']} ({a['count']})" for a in info["aliases"]])
    _listing(
        "roles",
        [
            f"{r['role']} ({r['count']}, {r['first_seen'] or '?'} to {r['last_seen'] or '?'})"
            for r in info["roles"][:15]
        ],
    )
    for field in ("outlets", "media", "addressees"):
        _listing(field, [f"{r['name']} ({r['count']})" for r in info[field][:10]])
    if info["other_matches"]:
        _listing("other speakers with this name", info["other_matches"])
    if timeline:
        click.echo("timeline:")
        for row in info["timeline"][-timeline:]:
            text = " ".join(row["content_text"].split())
            click.echo(
                f"  {row['published'] or '????-??-??'}  {row['outlet'] or ''}  {row['type']}: {text[:100]}"
            )


def _listing(label: str, values: Iterable[str]) -> None:
    values = list(values)
    if values:
        click.echo(f"{label}: " + "; ".join(values))


@speaker.command(name="merge")
@click.argument("db")
@click.argument("a")
@click.argument("b")
def speaker_merge(db: str, a: str, b: str) -> None:
    """Merge speaker A into speaker B (names or ids). Kept, and applied again after every ingest.

    Example:

    \b
        onrecord speaker merge news.db "Mr. Smith" "John Smith"
    """
    _correct(db, "merge", a, b=b)


@speaker.command(name="split")
@click.argument("db")
@click.argument("speaker_name", metavar="SPEAKER")
@click.argument("alias")
def speaker_split(db: str, speaker_name: str, alias: str) -> None:
    """Split the mentions named ALIAS off SPEAKER into a speaker of their own. Kept, and applied
    again after every ingest.

    Example:

    \b
        onrecord speaker split news.db "John Smith" "Jane Smith"
    """
    _correct(db, "split", speaker_name, alias=alias)


def _correct(db: str, action: str, a: str, *, b: str | None = None, alias: str | None = None) -> None:
    # consolidation (spaCy, through identity's names): only when a correction is made
    from onrecord.corpus.consolidate import consolidate
    from onrecord.store.records import Correction  # the store: likewise

    store = open_db(db)
    try:
        ids_a = store.resolve_speaker(a)
        if not ids_a:
            raise click.BadParameter(
                no_such_speaker(store, a), param_hint="A" if b is not None else "SPEAKER"
            )
        target = None
        if b is not None:
            ids_b = store.resolve_speaker(b)
            if not ids_b:
                raise click.BadParameter(no_such_speaker(store, b), param_hint="B")
            target = ids_b[0]
        store.add_correction(Correction(action, ids_a[0], target, alias))  # type: ignore[arg-type]
        result = consolidate(store)
    finally:
        store.close()
    click.echo(f"{action}: done; {result['speakers']} speakers", err=True)
