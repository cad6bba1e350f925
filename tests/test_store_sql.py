"""The query builder: a statement written once with ``{p}``, in each backend's parameter style."""

from __future__ import annotations

import sqlite3

import pytest

from onrecord.store.sql import placeholders, render


@pytest.mark.parametrize(
    "template, qmark, format_",
    [
        ("SELECT a FROM t WHERE b = {p}", "SELECT a FROM t WHERE b = ?", "SELECT a FROM t WHERE b = %s"),
        ("VALUES ({p}, {p})", "VALUES (?, ?)", "VALUES (%s, %s)"),
        # a literal % is doubled for psycopg only; a literal ? is no placeholder for either
        ("SELECT '100%' WHERE x LIKE {p}", "SELECT '100%' WHERE x LIKE ?", "SELECT '100%%' WHERE x LIKE %s"),
        ("SELECT 'why?', {p}", "SELECT 'why?', ?", "SELECT 'why?', %s"),
        ("SELECT count(*) FROM t", "SELECT count(*) FROM t", "SELECT count(*) FROM t"),
    ],
)
def test_render_writes_each_backends_placeholders(template: str, qmark: str, format_: str) -> None:
    assert render(template, "qmark") == qmark
    assert render(template, "format") == format_


def test_placeholders() -> None:
    assert placeholders(3) == "{p}, {p}, {p}"
    assert render(f"VALUES ({placeholders(2)})", "qmark") == "VALUES (?, ?)"


def test_a_rendered_statement_runs_on_sqlite() -> None:
    conn = sqlite3.connect(":memory:")
    sql = render("SELECT {p} || '?%', {p}", "qmark")
    assert conn.execute(sql, ("a", 2)).fetchall() == [("a?%", 2)]
