"""HTML pages: the article body and its metadata, through trafilatura.

``from_html`` runs ``trafilatura.bare_extraction`` once with metadata and turns its result into a
``Document``: body paragraphs one per line, the headline without the site name glued to it
("Headline | Site" -> "Headline"), the publication date, author, outlet (site name) and URL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from courlan.urlutils import get_tldinfo
from lxml.html import HtmlElement
from trafilatura.baseline import block_text
from trafilatura.metadata import examine_title_element
from trafilatura.settings import Document as TrafilaturaDocument
from trafilatura.utils import decode_file, is_dubious_html, repair_faulty_html

from onrecord.errors import Errors, InputError
from onrecord.ingest.document import Document
from onrecord.ingest.text import PAYWALL_PATTERNS

# Separators that join a headline to a site or section name. A dash only counts with spaces
# around it, so "Spider-Man" and "5-Step" never split.
_SEPARATOR = re.compile(r"\s+(?:[|•·⋆~»›/:]|[-–—]{1,2})\s+|(?<=\w):\s+")
# Separators safe enough to cut a short unknown trailing segment after (" | Opinion"); a
# dash or colon often joins two halves of a real headline ("... – tips and tricks").
_STRONG_SEPARATORS = frozenset("|•·⋆»›")
# A colon never cuts a leading segment: "Tesla: sales fall" names its subject, not the site.
_LEADING_SEPARATORS = frozenset("|•·⋆»›~/-–—")
_TRAILING_ORNAMENT = re.compile(r"\s+[|•·⋆~»›:–—-]+\s*$")
# A trailing segment of at most this many words after a strong separator is taken for a
# section or site name even when it matches neither the site name nor the domain.
_SHORT_SEGMENT_WORDS = 3
_MIN_HEADLINE_WORDS = 2
_MIN_SHARED_WORDS = 2
# letters a site-naming segment may add to the site key (".com", "The ")
_SITE_KEY_SLACK = 4


def from_html(
    html: str | bytes,
    *,
    url: str | None = None,
    source_path: str | None = None,
    clean: bool = True,
) -> Document:
    """A Document from an HTML page: main body text and metadata.

    Cascade: trafilatura's ``bare_extraction`` (its own fallbacks included: its extractor, then
    readability and jusText when the result looks too short) gives the body and the metadata
    (title from ``og:title``/JSON-LD/``<title>``/``<h1>``, date via htmldate, author, site
    name, canonical URL). When that title is only the site's name (a logo ``<h1>``), the
    ``<title>`` element is used instead. The title then goes through ``clean_title``: the site
    name is stripped and the page's visible headline (an ``<h1>`` about the same story) is
    preferred. A first body line that repeats the headline is dropped, as ``from_text`` does.
    ``Document.url`` is ``url`` when given, else the page's canonical URL; ``published`` is
    ``YYYY-MM-DD``. ``clean`` exists for symmetry with ``from_text``: trafilatura's body is
    already free of page furniture.

    Raises ``InputError`` (E014) when the page has no extractable body text.
    """
    del clean  # the HTML body is always the cleaned main text
    where = source_path or url or "<html>"
    tree = load_page(html)
    if tree is None:
        raise InputError(Errors.E014.format(path=where))
    _inline_buttons_as_text(tree)
    # read before bare_extraction prunes the tree
    headlines = page_headlines(tree)
    title_element = examine_title_element(tree)[0]
    extracted = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
    )
    if not isinstance(extracted, TrafilaturaDocument):
        raise InputError(Errors.E014.format(path=where))
    lines = _paragraphs(extracted.text or "")
    if not lines:
        raise InputError(Errors.E014.format(path=where))
    page_url = url or extracted.url
    raw_title = extracted.title or title_element
    if raw_title and title_element and _is_site_segment(raw_title, _site_keys(extracted.sitename, page_url)):
        raw_title = title_element  # the title trafilatura found is the site's name (a logo <h1>)
    title = None
    if raw_title:
        title = clean_title(raw_title, sitename=extracted.sitename, url=page_url, headlines=headlines)
    # the headline is metadata, as in plain text: not the first line of the body
    headline_keys = {_key(t) for t in (title, raw_title, *headlines) if t}
    if len(lines) > 1 and _key(lines[0]) in headline_keys:
        lines = lines[1:]
    text = "\n".join(lines)
    return Document(
        text=text,
        source_path=source_path,
        title=title or None,
        published=extracted.date or None,
        outlet=extracted.sitename or None,
        author=clean_author(extracted.author),
        url=page_url or None,
    )


def _inline_buttons_as_text(tree: HtmlElement) -> None:
    """A button inside a paragraph is part of its sentence ('said professor <button>Ana Ortiz,
    </button> the director', a name that opens a side note): keep its words, which trafilatura
    would drop with the page's other buttons."""
    for button in tree.iter("button"):
        if button.text_content().strip() and any(
            a.tag in ("p", "li", "blockquote") for a in button.iterancestors()
        ):
            button.tag = "span"
            button.attrib.clear()  # its class ("...-button") would mark it as furniture again
            button.text = " " + (button.text or "")  # the space before it is dropped with the tag


#: Words of a job title a byline adds after the name ("Ana Ortiz, Trending Editor").
JOB_WORDS = frozenset(
    """
    editor editors reporter reporters writer writers correspondent correspondents contributor
    contributors columnist producer staff senior trending deputy associate managing assistant chief
    executive news politics political sports features digital contributing freelance journalist
    analyst director host anchor intern fellow desk team lead head commerce shopping lifestyle
    health science tech technology business culture opinion investigations investigative video
    photographer photo audience social media engagement breaking national international local
    """.split()
)


#: Words of a web address, never of a name ("https://www.facebook.com/...", or trafilatura's
#: "Www Facebook Com").
WEB_ADDRESS_WORDS = frozenset({"www", "http", "https", "com", "html"})


def clean_author(author: str | None) -> str | None:
    """The names of a byline without the job titles trafilatura keeps ("Ana Ortiz, Trending
    Editor" -> "Ana Ortiz"; "By Ben Lutz | Senior Reporter" -> "Ben Lutz"), and no web address
    taken for a name; several authors stay joined by "; "."""
    if not author:
        return None
    names = []
    for part in re.split(r"\s*[;,]\s*|\s+and\s+", author):  # several names, or a name and its title
        part = re.sub(r"^by\s+", "", part.strip(), flags=re.I)
        part = re.split(r"\s*(?:\||\s[-–—]\s)\s*", part)[0]  # "Name | Title", "Name - Title"
        words = part.split()
        while len(words) > 2 and words[-1].lower().strip(".") in JOB_WORDS:
            words.pop()
        if WEB_ADDRESS_WORDS.intersection(re.findall(r"[a-z]+", part.lower())):
            continue  # a web address, written whole or read as a name ("Www Facebook Com")
        if words and not all(w.lower().strip(".") in JOB_WORDS for w in words):
            names.append(" ".join(words))
    return "; ".join(dict.fromkeys(names)) or None


def _paragraphs(body: str) -> list[str]:
    """The body's paragraphs, one per line: lines stripped, blank lines and paywall or sign-in
    prompts (``PAYWALL_PATTERNS``, which trafilatura keeps) dropped."""
    lines = (line.strip() for line in body.splitlines())
    return [line for line in lines if line and not any(p.match(line) for p in PAYWALL_PATTERNS)]


#: trafilatura's HTML parser with lxml's ``huge_tree``: a page nested past 255 levels (libxml2's
#: default limit) keeps its text instead of losing everything below the limit.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)


def load_page(html: str | bytes) -> HtmlElement | None:
    """The page's tree as ``trafilatura.utils.load_html`` makes it (the same repairs and the
    same refusal of what is not HTML), parsed with ``huge_tree``."""
    text = decode_file(html)
    beginning = text[:50].lower()
    dubious = is_dubious_html(beginning)
    text = repair_faulty_html(text, beginning)
    try:
        tree = lxml.html.fromstring(text, parser=_PARSER)
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree = lxml.html.fromstring(text.encode("utf-8"), parser=_PARSER)
    except lxml.etree.ParserError:
        return None
    if dubious and len(tree) < 2:
        return None
    return tree


def page_headlines(tree: HtmlElement) -> list[str]:
    """The texts of the page's ``<h1>`` elements, in document order (empty ones skipped)."""
    found: list[str] = []
    for element in tree.iter("h1"):
        if isinstance(element, HtmlElement) and (text := block_text(element)):
            found.append(" ".join(text.split()))
    return found


def _key(text: str) -> str:
    """Letters and digits only, lowercased and accent-folded: the form names are compared in."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def _site_keys(sitename: str | None, url: str | None) -> list[str]:
    """Comparison keys for the site: its name (and its parts), its domain and domain label."""
    keys: list[str] = []
    if sitename:
        keys.append(_key(sitename))
        keys.extend(_key(part) for part in _SEPARATOR.split(sitename))
    if url:
        # courlan (trafilatura's URL library): ("bbc", "bbc.co.uk") for news.bbc.co.uk
        keys.extend(_key(part) for part in get_tldinfo(url) if part)
        keys.append(_key((urlsplit(url).hostname or "").removeprefix("www.")))
    return [key for key in dict.fromkeys(keys) if len(key) >= 3]


def _is_site_segment(segment: str, keys: Iterable[str]) -> bool:
    """True when ``segment`` names the site.

    That is: equal to a site key, a part of one ("Class Central" for "The Report by Class
    Central"), or a site key with a few more letters ("TheBestVPN.com" for ``thebestvpn``).
    A segment that merely mentions the site ("Latest Trends with CR Maids") does not.
    """
    seg = _key(segment)
    if len(seg) < 3:
        return False
    return any(seg in key or (key in seg and len(seg) - len(key) <= _SITE_KEY_SLACK) for key in keys)


def _words(text: str) -> int:
    return len(text.split())


def _split(title: str) -> tuple[list[str], list[str]]:
    """Title segments and the separators between them, spaces included (one fewer)."""
    segments: list[str] = []
    seps: list[str] = []
    last = 0
    for match in _SEPARATOR.finditer(title):
        segments.append(title[last : match.start()])
        seps.append(match.group())
        last = match.end()
    segments.append(title[last:])
    return segments, seps


def strip_site_name(title: str, *, sitename: str | None = None, url: str | None = None) -> str:
    """The title without the site or section name joined to it.

    Cuts, repeatedly, a trailing segment after a separator (``|``, ``-``, ``–``, ``—``, ``•``,
    ``:``...) when it names the site (matches ``sitename``, one of its parts, or the domain), or
    when it is a short segment (at most three words) after a strong separator (``|``, ``•``...),
    like " | Opinion"; then cuts leading segments that name the site ("Site | Headline").
    Dashes without spaces ("Spider-Man") never split, a dash or colon followed by a segment
    that does not name the site is kept ("Brake pads – From a Mechanic"), and what remains
    always has at least two words: a title that is only the site name is returned unchanged.
    """
    title = " ".join(title.split())
    if sitename and title.endswith(sitename) and title != sitename:
        head = title[: -len(sitename)]
        stripped = _TRAILING_ORNAMENT.sub("", head)
        if stripped != head and _words(stripped) >= _MIN_HEADLINE_WORDS:
            title = stripped
    title = _TRAILING_ORNAMENT.sub("", title)
    keys = _site_keys(sitename, url)
    segments, seps = _split(title)
    while len(segments) > 1:
        last, sep = segments[-1], seps[-1]
        strong = sep.strip() in _STRONG_SEPARATORS
        names_site = _is_site_segment(last, keys)
        short = strong and _words(last) <= _SHORT_SEGMENT_WORDS
        remaining = _join(segments[:-1], seps[:-1])
        if not (names_site or short) or _words(remaining) < _MIN_HEADLINE_WORDS:
            break
        segments, seps = segments[:-1], seps[:-1]
    while (
        len(segments) > 1 and seps[0].strip() in _LEADING_SEPARATORS and _is_site_segment(segments[0], keys)
    ):
        remaining = _join(segments[1:], seps[1:])
        if _words(remaining) < _MIN_HEADLINE_WORDS:
            break
        segments, seps = segments[1:], seps[1:]
    return _join(segments, seps)


def _join(segments: list[str], seps: list[str]) -> str:
    out = segments[0]
    for sep, segment in zip(seps, segments[1:], strict=True):
        out += sep + segment
    return out.strip()


def _content_words(text: str) -> set[str]:
    return {key for word in text.split() if len(key := _key(word)) >= 3}


def _same_story(headline: str, title: str) -> bool:
    """True when two titles share at least two words of three letters or more."""
    return len(_content_words(headline) & _content_words(title)) >= _MIN_SHARED_WORDS


def clean_title(
    title: str,
    *,
    sitename: str | None = None,
    url: str | None = None,
    headlines: Iterable[str] = (),
) -> str:
    """The article's headline from the page title and the page's ``<h1>`` headlines.

    The metadata title (``og:title``, JSON-LD, ``<title>``) is often a search or social variant
    of the headline readers see, with the site name glued on. Cascade:

    1. ``strip_site_name`` on the title and on each headline;
    2. headlines that are about the same story are kept as candidates: at least two words,
       not all capitals, not the site name, sharing at least two words with the title (a logo or section
       ``<h1>`` like "The Blog" is not a candidate);
    3. when a candidate equals the stripped title (ignoring case, spaces and punctuation), the
       stripped title: the headline confirms it;
    4. when a candidate equals a leading run of the title's segments, that run ("Tools - Price
       List - Site" with an ``<h1>`` "Tools" gives "Tools");
    5. otherwise the first candidate in page order, as the visible headline;
    6. with no candidate, the stripped title.
    """
    stripped = strip_site_name(title, sitename=sitename, url=url)
    keys = _site_keys(sitename, url)
    candidates = [
        headline
        for headline in (strip_site_name(h, sitename=sitename, url=url) for h in headlines)
        if _words(headline) >= _MIN_HEADLINE_WORDS
        and not headline.isupper()
        and not _is_site_segment(headline, keys)
        and _same_story(headline, title)
    ]
    if not candidates:
        return stripped
    if any(_key(headline) == _key(stripped) for headline in candidates):
        return stripped
    segments, seps = _split(" ".join(title.split()))
    wanted = {_key(h) for h in candidates}
    for end in range(len(segments) - 1, 0, -1):
        lead = _join(segments[:end], seps[: end - 1])
        if _key(lead) in wanted:
            return lead
    return candidates[0]
