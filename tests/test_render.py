"""Renderers: the HTML page is inert whatever the text, well nested whatever the spans, and colours
speakers consistently; the table shows who said what."""

from __future__ import annotations

import io
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from rich.console import Console

from onrecord.model import Article, Entity, Quote, Span, Speaker
from onrecord.render import PALETTE, UNATTRIBUTED, SpeakerColours
from onrecord.render.html import article_view, iter_html, render_html, safe_href
from onrecord.render.table import print_table, truncate

VOID = {"meta", "br", "img", "input", "link", "hr", "wbr"}
PAGE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "h2",
    "p",
    "span",
    "b",
    "article",
    "ul",
    "li",
    "a",
}


def span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span.of(text, start, start + len(part))


class Page(HTMLParser):
    """Parses a rendered page: checks nesting, collects tags and attributes, and rebuilds the text
    of each article body (``<p class="text">``) leaving out tooltips and labels."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.feed(html)
        self.close()
        assert self.stack == [], f"unclosed: {self.stack}"

    def _inside(self, css_class: str) -> bool:
        return any(css_class in classes.split() for _, classes in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in VOID:
            return
        classes = attributes.get("class") or ""
        if tag == "p" and "text" in classes.split():
            self.texts.append("")
        self.stack.append((tag, classes))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        opened, _ = self.stack.pop()
        assert opened == tag, f"</{tag}> closes <{opened}>"

    def handle_data(self, data: str) -> None:
        if self._inside("text") and not self._inside("tip") and not self._inside("lbl"):
            self.texts[-1] += data

    def segment_styles(self) -> list[str]:
        """The style attributes of the highlighted segments (class ``q``)."""
        return [
            a.get("style") or ""
            for tag, a in self.tags
            if tag == "span" and "q" in (a.get("class") or "").split()
        ]


def ferry_article() -> Article:
    text = (
        'Harbour City approved a new ferry timetable. "This will cut waiting times in half," '
        "Mayor Elena Duarte told reporters. Samuel Okafor said in a statement that the changes "
        'would start in March. "We listened," Duarte added. A spokesperson declined to comment.'
    )
    duarte = Speaker("e1", "Elena Duarte")
    return Article(
        text=text,
        source_path="ferry.txt",
        title="Ferry timetable approved",
        entities=[
            Entity("e1", "Elena Duarte", "person", [span(text, "Elena Duarte")], ["Mayor"]),
            Entity("e2", "Samuel Okafor", "person", [span(text, "Samuel Okafor")], ["transport director"]),
        ],
        quotes=[
            Quote(
                "q1",
                "direct",
                [span(text, "This will cut waiting times in half")],
                cue=span(text, "told"),
                source=span(text, "Mayor Elena Duarte"),
                speaker=duarte,
                addressee=span(text, "reporters"),
                confidence=0.9,
            ),
            Quote(
                "q2",
                "indirect",
                [span(text, "the changes would start in March")],
                cue=span(text, "said"),
                source=span(text, "Samuel Okafor"),
                speaker=Speaker("e2", "Samuel Okafor"),
                medium=span(text, "a statement"),
            ),
            Quote(
                "q3",
                "direct",
                [span(text, "We listened")],
                cue=span(text, "added"),
                source=span(text, "Duarte", text.index("We listened")),
            ),
        ],
    )


def test_page_is_well_nested_and_gives_back_the_text() -> None:
    article = ferry_article()
    page = Page(render_html([article]))
    assert page.texts == [article.text]
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS


def test_overlapping_spans_give_well_nested_markup() -> None:
    text = "The minister said the plan was ready and that the budget was agreed, officials said."
    article = Article(
        text=text,
        entities=[Entity("e1", "The minister", "person"), Entity("e2", "officials", "group")],
        quotes=[
            # A content inside another, a source straddling the start of a content and covering
            # the cue, a content running past the end of the text, an empty span.
            Quote(
                "q1",
                "indirect",
                [span(text, "the plan was ready and that the budget was agreed")],
                cue=span(text, "said"),
                source=span(text, "minister said the plan"),
                speaker=Speaker("e1", "The minister"),
            ),
            Quote(
                "q2",
                "indirect",
                [span(text, "the budget was agreed")],
                cue=span(text, "said", 70),
                source=span(text, "officials"),
                speaker=Speaker("e2", "officials"),
            ),
            Quote(
                "q3",
                "mixed",
                [Span(text.index("was agreed"), 500, text[text.index("was agreed") :])],
                medium=Span.of(text, 3, 3),
            ),
        ],
    )
    html = render_html([article])
    page = Page(html)
    assert page.texts == [text]
    assert 'class="seg q overlap' in html
    view = article_view(article, number=1, colours=SpeakerColours())
    assert "".join(s.text for s in view.segments) == text
    nested = next(s for s in view.segments if s.text == "the budget ")
    assert (nested.colour, nested.outer) == (PALETTE[1], PALETTE[0])  # innermost content's colour first
    straddled = next(s for s in view.segments if s.text == "the plan")
    assert (straddled.colour, straddled.roles, [t.number for t in straddled.tips]) == (
        PALETTE[0],
        ["source"],
        [1],
    )
    both = next(s for s in view.segments if s.text == "said" and s.roles == ["cue", "source"])
    assert [label.role for label in both.labels] == ["cue"]


def test_segments_join_back_to_the_text_with_labels_where_spans_end() -> None:
    article = ferry_article()
    view = article_view(article, number=1, colours=SpeakerColours())
    assert "".join(s.text for s in view.segments) == article.text
    labelled = {s.text: [label.role for label in s.labels] for s in view.segments if s.labels}
    assert labelled["told"] == ["cue"]
    assert labelled["Mayor Elena Duarte"] == ["source"]
    assert labelled["reporters"] == ["addressee"]
    assert labelled["a statement"] == ["medium"]


HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)> "</span><b onmouseover=alert(2)>'


def test_article_text_and_metadata_render_inert() -> None:
    text = f"Before. {HOSTILE} she said. After."
    article = Article(
        text=text,
        source_path='"><script>alert(3)</script>',
        title="<script>alert(4)</script>",
        outlet="<img src=y onerror=alert(5)>",
        url="javascript:alert(6)",
        entities=[
            Entity("<e1>", "<script>alert(7)</script>", "person", [], ["<img src=z onerror=alert(8)>"])
        ],
        quotes=[
            Quote(
                "<q>",
                "direct",
                [span(text, HOSTILE)],
                cue=span(text, "said"),
                source=span(text, "she"),
                speaker=Speaker("<e1>", "<script>alert(7)</script>"),
                medium=span(text, "<img src=x"),
            ),
        ],
    )
    html = render_html([article], title="<script>alert(9)</script>")
    page = Page(html)
    assert page.texts == [text]
    assert {tag for tag, _ in page.tags} <= PAGE_TAGS
    for _, attributes in page.tags:
        assert not [name for name in attributes if name.startswith("on")]
        assert not (attributes.get("href") or "").startswith("javascript")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "href=" not in html  # a javascript: URL is shown, not linked


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://example.com/a?b=1", "https://example.com/a?b=1"),
        (" http://example.com ", "http://example.com"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        (None, None),
    ],
)
def test_only_http_urls_are_linked(url: str | None, href: str | None) -> None:
    assert safe_href(url) == href


def test_each_speaker_keeps_one_colour_and_speakers_differ() -> None:
    article = ferry_article()
    article.quotes[2].speaker = Speaker("e1", "Elena Duarte")
    article.quotes.append(Quote("q4", "indirect", [span(article.text, "declined to comment")]))
    view = article_view(article, number=1, colours=SpeakerColours())
    by_speaker: dict[str, set[str]] = {}
    for segment in view.segments:
        for tip in segment.tips:
            by_speaker.setdefault(tip.speaker, set()).add(tip.colour)
            assert segment.colour == tip.colour
    assert by_speaker["Elena Duarte"] == {PALETTE[0]}
    assert by_speaker["Samuel Okafor"] == {PALETTE[1]}
    assert by_speaker["unattributed"] == {UNATTRIBUTED}
    html = render_html([article])
    styles = Page(html).segment_styles()
    assert styles.count(f"--c:{PALETTE[0]}") == 2
    assert styles.count(f"--c:{PALETTE[1]}") == 1


def test_colours_are_stable_across_the_articles_of_a_page() -> None:
    def article(name: str, kind: str) -> Article:
        text = f"{name} said it was fine."
        return Article(
            text=text,
            entities=[Entity("e1", name, kind)],  # type: ignore[arg-type]
            quotes=[Quote("q1", "indirect", [span(text, "it was fine")], speaker=Speaker("e1", name))],
        )

    colours = SpeakerColours()
    pages = [
        article("Elena Duarte", "person"),
        article("Samuel Okafor", "person"),
        article("elena duarte", "person"),
    ]
    first, second, third = (colours.colour(a, a.quotes[0], article_number=n) for n, a in enumerate(pages, 1))
    assert first == third != second
    # Unnamed speakers are not assumed to be the same one across articles.
    spokes = [article("a spokesperson", "unnamed"), article("a spokesperson", "unnamed")]
    one, two = (colours.colour(a, a.quotes[0], article_number=n) for n, a in enumerate(spokes, 1))
    assert one != two


def test_legend_lists_speakers_with_descriptions_and_counts() -> None:
    article = ferry_article()
    legend = article_view(article, number=1, colours=SpeakerColours()).legend
    assert [(e.name, e.kind, e.descriptions, e.count) for e in legend] == [
        ("Elena Duarte", "person", "Mayor", 1),
        ("Samuel Okafor", "person", "transport director", 1),
        ("unattributed", "no speaker found", "", 1),
    ]
    html = render_html([article])
    assert (
        '<b>Samuel Okafor</b> <span class="desc">(person)</span> <span class="desc">transport director</span>'
        in html
    )


def test_tooltips_carry_the_details_and_are_focusable() -> None:
    html = render_html([ferry_article()])
    page = Page(html)
    focusable = [a for tag, a in page.tags if a.get("tabindex") == "0"]
    assert len(focusable) == 3
    tip_ids = {a["id"] for tag, a in page.tags if a.get("role") == "tooltip"}
    assert {a["aria-describedby"] for a in focusable} == tip_ids
    assert '<span class="k">medium</span>a statement' in html
    assert '<span class="k">confidence</span>0.90' in html
    assert 'name="viewport"' in html
    assert "http" not in html.split("<body>")[0]  # no external assets


def test_page_without_articles_or_quotes() -> None:
    assert "No articles." in render_html([])
    html = render_html([Article(text="Quiet day.", title="Nothing")])
    assert "No quotations found." in html
    assert Page(html).texts == ["Quiet day."]


def test_html_reads_articles_lazily() -> None:
    read: list[int] = []

    def articles() -> Iterator[Article]:
        for number in (1, 2):
            read.append(number)
            yield Article(text=f"Article number {number}.")

    chunks = iter_html(articles())
    seen = ""
    while "Article number 1." not in seen:
        seen += next(chunks)
    assert read == [1]
    assert "Article number 2." in "".join(chunks)


def test_table_shows_who_said_what() -> None:
    out = io.StringIO()
    print_table(ferry_article(), Console(file=out, width=120))
    table = out.getvalue()
    assert table.splitlines()[0] == "ferry.txt: Ferry timetable approved (3 quotations)"
    for part in ("speaker", "Elena Duarte", "Samuel Okafor", "told", "reporters", "a statement", "indirect"):
        assert part in table
    assert "Duarte" in table.splitlines()[-2]  # an unresolved source is shown in place of a speaker


def test_table_exact_output() -> None:
    text = 'Lee told the BBC: "[bold]We will win.[/bold]" Others disagreed.'
    article = Article(
        text=text,
        source_path="lee.txt",
        quotes=[
            Quote(
                "q1",
                "direct",
                [span(text, "[bold]We will win.[/bold]")],
                cue=span(text, "told"),
                speaker=Speaker("e1", "Lee"),
                addressee=span(text, "the BBC"),
            ),
        ],
    )
    out = io.StringIO()
    print_table(article, Console(file=out, width=80))
    assert out.getvalue() == (
        "lee.txt (1 quotation)\n"
        "┏━━━┳━━━━━━━━━┳━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━┓\n"
        "┃ # ┃ speaker ┃ type   ┃ cue  ┃ content                   ┃ medium ┃ addressee ┃\n"
        "┡━━━╇━━━━━━━━━╇━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━┩\n"
        "│ 1 │ Lee     │ direct │ told │ [bold]We will win.[/bold] │        │ the BBC   │\n"
        "└───┴─────────┴────────┴──────┴───────────────────────────┴────────┴───────────┘\n"
    )


def test_table_without_quotes() -> None:
    out = io.StringIO()
    print_table(Article(text="Quiet.", title="Nothing happened"), Console(file=out, width=80))
    assert out.getvalue() == "Nothing happened (0 quotations)\nNo quotations found.\n"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("  spread \n over\tlines ", 40, "spread over lines"),
        ("abcdefghijkl", 10, "abcdefghi…"),
        ("words and more words", 10, "words and…"),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    assert truncate(text, limit) == expected
    assert len(truncate(text, limit)) <= limit
