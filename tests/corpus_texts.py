"""Short made-up news articles for the corpus tests (written for the project, no real text)."""

from __future__ import annotations

import random
from pathlib import Path

PEOPLE = [
    ("Maria Gonzalez", "the mayor of Eastport", "she"),
    ("Peter Okafor", "the harbour master", "he"),
    ("Linda Brandt", "a city councillor", "she"),
    ("Tomas Novak", "the transport minister", "he"),
    ("Grace Holm", "chair of the ferry union", "she"),
    ("David Reyes", "a local shop owner", "he"),
]
TOPICS = [
    "the ferry timetable",
    "the bridge repairs",
    "the school heating budget",
    "the new bus lanes",
    "the harbour wall",
    "the winter flood plan",
]
OUTLETS = ["The Eastport Gazette", "Harbour Radio", "The Coast Courier"]


def article_text(index: int) -> str:
    """One article: a headline, a date line, and four attributed statements."""
    rng = random.Random(index)
    (name, role, pronoun), (other, other_role, _) = rng.sample(PEOPLE, 2)
    topic, second = rng.sample(TOPICS, 2)
    day = 1 + index % 27
    honorific = ("Mr " if pronoun == "he" else "Ms ") + name.split()[-1]
    return (
        f"Row over {topic} grows in Eastport ({index})\n"
        f"{day} March 2025\n\n"
        f"{name}, {role}, said on Tuesday that {topic} would cost far more than the council had planned.\n\n"
        f"\u201cWe cannot keep paying for {topic} while {second} is left to fall apart,\u201d "
        f"{pronoun} told {rng.choice(OUTLETS)}.\n\n"
        f"{other}, {other_role}, argued that the plan for {second} was fair and had been agreed in public.\n\n"
        f"{honorific} later wrote on Facebook that residents deserved a vote on {topic} before the summer.\n"
    )


def write_articles(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(start, start + count):
        path = folder / f"article-{index:03d}.txt"
        path.write_text(article_text(index), encoding="utf-8")
        paths.append(path)
    return paths
