"""Short sentences written for the project, each with the relations it states: (subject,
predicate, object) by entity name. Covers verbs of praise and attack, passives ("X was praised
by Y"), praise and criticism received ("drew criticism from"), labels ("described X as a liar"),
what a speaker says of someone ("a line has been crossed by X"), negation, and neutral mentions
that state no relation at all.

Every row is a test case of its own (``tests/test_relate.py``); the rows the extractor gets
wrong today are in ``KNOWN_WRONG`` with what goes wrong, and run as ``xfail(strict=True)``."""

from __future__ import annotations

import re

Triple = tuple[str, str, str]

TABLE: list[tuple[str, str, set[Triple]]] = [
    # praise, active
    (
        "praise",
        "Senator Maria Lopez praised Governor Tom Becker for his handling of the floods.",
        {("Maria Lopez", "praises", "Tom Becker")},
    ),
    (
        "praise",
        "Angela Merkel hailed Emmanuel Macron as a true European.",
        {("Angela Merkel", "praises", "Emmanuel Macron")},
    ),
    (
        "praise",
        "Sadiq Khan congratulated Marcus Rashford on his campaign for free school meals.",
        {("Sadiq Khan", "praises", "Marcus Rashford")},
    ),
    (
        "praise",
        "Joe Biden paid tribute to John McCain on Saturday.",
        {("Joe Biden", "praises", "John McCain")},
    ),
    (
        "praise",
        "Gordon Brown heaped praise on Alistair Darling after the summit.",
        {("Gordon Brown", "praises", "Alistair Darling")},
    ),
    (
        "praise",
        "Joe Biden commended Janet Yellen for her work at the Treasury.",
        {("Joe Biden", "praises", "Janet Yellen")},
    ),
    # praise, reported (passive and received)
    (
        "reported praise",
        "Governor Tom Becker was praised by Senator Maria Lopez for his handling of the floods.",
        {("Maria Lopez", "praises", "Tom Becker")},
    ),
    (
        "reported praise",
        "Emmanuel Macron was hailed by Angela Merkel as a true European.",
        {("Angela Merkel", "praises", "Emmanuel Macron")},
    ),
    (
        "reported praise",
        "John Smith was applauded by Sarah Jones during the debate.",
        {("Sarah Jones", "praises", "John Smith")},
    ),
    (
        "reported praise",
        "Rishi Sunak received praise from Jeremy Hunt for the budget.",
        {("Jeremy Hunt", "praises", "Rishi Sunak")},
    ),
    # criticism, explicit
    (
        "criticism",
        "Donald Trump attacked Hillary Clinton at a rally in Ohio.",
        {("Donald Trump", "criticises", "Hillary Clinton")},
    ),
    (
        "criticism",
        "Bernie Sanders criticised Jeff Bezos over warehouse conditions.",
        {("Bernie Sanders", "criticises", "Jeff Bezos")},
    ),
    (
        "criticism",
        "Nicola Sturgeon condemned Liz Truss for the mini-budget.",
        {("Nicola Sturgeon", "criticises", "Liz Truss")},
    ),
    (
        "criticism",
        "Elizabeth Warren slammed Mark Zuckerberg in a statement on Tuesday.",
        {("Elizabeth Warren", "criticises", "Mark Zuckerberg")},
    ),
    (
        "criticism",
        "Gavin Newsom hit out at Ron DeSantis during the debate.",
        {("Gavin Newsom", "criticises", "Ron DeSantis")},
    ),
    (
        "criticism",
        "Nancy Pelosi took aim at Kevin McCarthy on Thursday.",
        {("Nancy Pelosi", "criticises", "Kevin McCarthy")},
    ),
    (
        "criticism",
        "Marine Le Pen lashed out at Emmanuel Macron after the vote.",
        {("Marine Le Pen", "criticises", "Emmanuel Macron")},
    ),
    (
        "criticism",
        "Piers Morgan described Meghan Markle as a liar.",
        {("Piers Morgan", "criticises", "Meghan Markle")},
    ),
    (
        "criticism",
        "Joe Biden called Vladimir Putin a war criminal.",
        {("Joe Biden", "criticises", "Vladimir Putin")},
    ),
    (
        "criticism",
        "Hillary Clinton criticised Donald Trump and Mike Pence.",
        {("Hillary Clinton", "criticises", "Donald Trump"), ("Hillary Clinton", "criticises", "Mike Pence")},
    ),
    (
        "criticism",
        "Boris Johnson drew criticism from Keir Starmer over the parties.",
        {("Keir Starmer", "criticises", "Boris Johnson")},
    ),
    (
        "criticism",
        "Hillary Clinton was attacked by Donald Trump at a rally.",
        {("Donald Trump", "criticises", "Hillary Clinton")},
    ),
    (
        "criticism",
        "Jeff Bezos was criticised by Bernie Sanders over pay.",
        {("Bernie Sanders", "criticises", "Jeff Bezos")},
    ),
    (
        "criticism",
        'Jacinda Ardern said "a line has been crossed" by Scott Morrison.',
        {("Jacinda Ardern", "criticises", "Scott Morrison")},
    ),
    (
        "criticism",
        "Keir Starmer said Elon Musk ought to stay out of British politics.",
        {("Keir Starmer", "criticises", "Elon Musk")},
    ),
    (
        "criticism",
        "Nicola Sturgeon said that Boris Johnson should resign.",
        {("Nicola Sturgeon", "criticises", "Boris Johnson")},
    ),
    # a good label
    (
        "praise",
        "Jacinda Ardern described Ashley Bloomfield as a hero.",
        {("Jacinda Ardern", "praises", "Ashley Bloomfield")},
    ),
    # thanks, accusations, support, opposition
    (
        "thanks",
        "Volodymyr Zelensky thanked Joe Biden for the new aid package.",
        {("Volodymyr Zelensky", "thanks", "Joe Biden")},
    ),
    (
        "thanks",
        "Greta Thunberg thanked David Attenborough in a letter.",
        {("Greta Thunberg", "thanks", "David Attenborough")},
    ),
    (
        "accusation",
        "Keir Starmer accused Rishi Sunak of hiding the figures.",
        {("Keir Starmer", "accuses", "Rishi Sunak")},
    ),
    (
        "accusation",
        "Hillary Clinton blamed James Comey for her defeat.",
        {("Hillary Clinton", "accuses", "James Comey")},
    ),
    (
        "support",
        "Barack Obama endorsed Kamala Harris on Friday.",
        {("Barack Obama", "supports", "Kamala Harris")},
    ),
    (
        "support",
        "Bernie Sanders backed Joe Biden in the general election.",
        {("Bernie Sanders", "supports", "Joe Biden")},
    ),
    (
        "support",
        "Mitt Romney defended Liz Cheney after the vote.",
        {("Mitt Romney", "supports", "Liz Cheney")},
    ),
    (
        "opposition",
        "Nigel Farage opposed Theresa May over the Brexit deal.",
        {("Nigel Farage", "opposes", "Theresa May")},
    ),
    # negation
    ("negation", "Angela Merkel did not criticise Emmanuel Macron.", set()),
    ("negation", "Joe Biden refused to praise Donald Trump.", set()),
    ("negation", "Keir Starmer never attacked Jeremy Corbyn in public.", set()),
    ("negation", "Barack Obama declined to endorse Bernie Sanders.", set()),
    ("negation", "Emmanuel Macron did not thank Olaf Scholz for the support.", set()),
    ("negation", "Rishi Sunak was not praised by Boris Johnson.", set()),
    ("negation", "Nicola Sturgeon stopped short of condemning Boris Johnson.", set()),
    ("negation", "Karen Olsen said she did not know if she would vote for Donald Trump.", set()),
    ("negation", "Sandra Paradis said that if Donald Trump is nominated she would vote for him.", set()),
    # neutral mentions
    ("neutral", "Angela Merkel met Emmanuel Macron in Paris on Monday.", set()),
    ("neutral", "Joe Biden spoke with Justin Trudeau by phone.", set()),
    ("neutral", "Rishi Sunak and Keir Starmer will debate on Tuesday.", set()),
    ("neutral", "Donald Trump and Hillary Clinton attended the same dinner in New York.", set()),
    ("neutral", "Boris Johnson visited Kyiv, where he met Volodymyr Zelensky.", set()),
    ("neutral", "Bernie Sanders was interviewed by Anderson Cooper.", set()),
    ("neutral", "Nancy Pelosi sat next to Kevin McCarthy at the ceremony.", set()),
    ("neutral", "Elon Musk bought Twitter in 2022.", set()),
    ("neutral", "Many voters are supporting a plan like Bernie Sanders' proposal.", set()),
]

#: Rows the extractor gets wrong today (by their sentence), with what goes wrong.
KNOWN_WRONG: dict[str, str] = {
    "Jacinda Ardern described Ashley Bloomfield as a hero.": (
        "spaCy tags 'Ashley Bloomfield' a place (GPE), and 'Ashley' is not in the first-name list "
        "that overrides such tags, so there is no person to be praised: no relation at all"
    ),
}


def row_id(kind: str, text: str) -> str:
    """A row's test id: its kind and the first five words of its sentence
    (``praise-senator-maria-lopez-praised-governor``)."""
    words = re.findall(r"[A-Za-z]+", text)[:5]
    return "-".join([re.sub(r"\W+", "-", kind), *(w.lower() for w in words)])
