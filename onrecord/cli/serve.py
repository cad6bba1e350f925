"""``onrecord serve``: the web pages and JSON API over a corpus."""

from __future__ import annotations

import os
from pathlib import Path

import click

from onrecord.cli.common import MODE_OPTION, spacy_command
from onrecord.errors import OnrecordError


@click.command()
@click.argument("db")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--write-token-file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A file holding the write token (or set ONRECORD_WRITE_TOKEN): POST /api/articles with "
    "'Authorization: Bearer TOKEN' stores articles, and extraction needs it too. Without a token "
    "the server is read-only.",
)
@click.option("--write-token", "token_in_argv", default=None, hidden=True)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Answer to this Host name too (repeatable; '*.example.org'; '*' for any). Default: the "
    "--host address, localhost, 127.0.0.1 and ::1; other Host headers get 400 (DNS rebinding).",
)
@click.option(
    "--access-log",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    metavar="FILE",
    help="Write one Common Log Format line per request to FILE ('-': standard error). Off by default.",
)
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Server processes.")
@MODE_OPTION
@spacy_command
def serve(
    db: str,
    host: str,
    port: int,
    write_token_file: str | None,
    token_in_argv: str | None,
    allow_hosts: tuple[str, ...],
    access_log: str | None,
    workers: int,
    mode: str,
) -> None:
    """Serve a corpus: search, speaker, article and quotation pages, and a JSON API.

    Every page has a .json twin; the OpenAPI spec is at /openapi.json. Read-only unless a
    write token is given, by environment or file (never on the command line, where every user
    of the machine sees it in ps).

    Example:

    \b
        onrecord serve news.db
        openssl rand -hex 16 > token.txt && onrecord serve news.db --port 9000 --write-token-file token.txt
        onrecord serve news.db --host 0.0.0.0 --allow-host quotes.example.org --access-log -
    """
    # heavy: uvicorn, only when the command runs
    import uvicorn

    from onrecord.serve import create_app  # heavy: the app (starlette, FastAPI), only when it runs
    from onrecord.serve.app import LOOPBACK_HOSTS  # heavy: the app, as the line above

    if token_in_argv is not None:
        raise click.UsageError(
            "--write-token puts the token where every user sees it (ps); "
            "use --write-token-file FILE or set ONRECORD_WRITE_TOKEN"
        )
    write_token = os.environ.get("ONRECORD_WRITE_TOKEN") or None
    if write_token_file is not None:
        try:
            write_token = Path(write_token_file).read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError) as err:
            raise click.ClickException(f"cannot read the write token from {write_token_file}: {err}") from err
        if write_token is None:
            raise click.ClickException(f"{write_token_file} is empty: no write token in it")
    hosts = [*LOOPBACK_HOSTS, *allow_hosts]
    if host not in ("0.0.0.0", "::", ""):
        hosts.append(host)
    try:
        # fail here, not in a worker, on a bad store or host pattern
        create_app(db, write_token=write_token, mode=mode, allowed_hosts=hosts, create=False)
    except (OnrecordError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    os.environ["ONRECORD_SERVE_DB"] = db
    os.environ["ONRECORD_SERVE_MODE"] = mode
    os.environ["ONRECORD_SERVE_HOSTS"] = ",".join(hosts)
    if access_log:
        os.environ["ONRECORD_ACCESS_LOG"] = access_log
    if write_token:
        os.environ["ONRECORD_WRITE_TOKEN"] = write_token
    click.echo(
        f"onrecord: serving {db} on http://{host}:{port}/ (read-{'write' if write_token else 'only'}; "
        f"answering to Host {', '.join(hosts)})",
        err=True,
    )
    uvicorn.run(
        "onrecord.serve.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
    )
