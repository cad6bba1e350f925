"""The model's attribute ruler, its patterns matched with numpy instead of spaCy's ``Matcher``.

``en_core_web_sm``'s ``attribute_ruler`` maps each fine tag to a coarse part of speech and
morphology (56 patterns that match every token) and then corrects them for particular words (123
patterns: "is" -> AUX, "n't" -> PART, "gon na" -> lemma "go"...). spaCy runs all 179 through its
``Matcher`` and sets each match's attributes in a Python loop, about a thousand a news article:
14 ms an article on one core, more than the parser (PolNeAR dev, 2026-11-30). ``FastAttributeRuler``
reads the same patterns from the loaded component and gives the same tokens, in about 2 ms:

- the token attributes the patterns test are read with one ``Doc.to_array`` call, and each
  pattern's tokens are tested as numpy masks over those columns (equality, ``IN``, ``NOT_IN`` and
  ``REGEX`` on string attributes, booleans on ``IS_SPACE``; fixed-length sequences);
- the leading run of patterns that test the tag alone and set the part of speech and morphology
  (the tag map) is written for all tokens at once with ``Doc.from_array``;
- every other match gets spaCy's own ``set_token_attrs``, in the ruler's order (pattern, then
  start), so that later patterns win as they do in spaCy.

Patterns outside that subset (operators such as ``OP``, other attributes or predicates) make
``from_ruler`` return None, and the model keeps spaCy's component. ``tests/test_attributes.py``
checks the two give the same tags, parts of speech, morphology, lemmas and dependencies, on
sentences written for each kind of pattern and on PolNeAR dev when it is there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.attrs import IDS, MORPH, POS
from spacy.tokens import Doc

#: The string attributes a pattern may test, as ``Doc.to_array`` gives them (hashes).
STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "DEP", "LEMMA")
#: The boolean attributes a pattern may test.
BOOL_ATTRS = ("IS_SPACE",)
ALIASES = {"TEXT": "ORTH"}

Mask = npt.NDArray[np.bool_]
Columns = dict[str, npt.NDArray[np.uint64]]


@dataclass(frozen=True, slots=True)
class _Test:
    """One attribute test of one pattern token."""

    attr: str
    kind: str  # "eq", "in", "not_in", "regex", "bool"
    values: tuple[int, ...] = ()
    regex: re.Pattern[str] | None = None
    flag: bool = False


class FastAttributeRuler:
    """Callable like spaCy's ``AttributeRuler`` over the same patterns (see the module)."""

    def __init__(
        self,
        ruler: Any,
        rules: list[list[list[list[_Test]]]],
        table: tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.uint64]] | None,
        n_table: int,
    ) -> None:
        self.ruler = ruler  # spaCy's component: its normalized attributes, indices and vocab
        self.name = ruler.name
        self.rules = rules  # per pattern key (its position in the ruler): the alternatives' token tests
        self.table = table
        self.n_table = n_table
        self.attrs = sorted({t.attr for alts in rules for pat in alts for tok in pat for t in tok})

    @classmethod
    def from_ruler(cls, ruler: Any) -> FastAttributeRuler | None:
        """The fast equivalent of a loaded ``AttributeRuler``, or None when one of its patterns
        is outside what the numpy matching covers."""
        strings = ruler.vocab.strings
        rules: list[list[list[list[_Test]]]] = []
        for entry in ruler.patterns:
            alternatives = []
            for pattern in entry["patterns"]:
                if not isinstance(pattern, list) or not pattern:
                    return None
                tokens = [_tests(spec, strings) for spec in pattern]
                if any(t is None for t in tokens):
                    return None
                alternatives.append([t for t in tokens if t is not None])
            rules.append(alternatives)
        n_table = 0
        for alternatives in rules:
            if not _is_tag_map(alternatives, ruler.attrs[n_table], ruler.indices[n_table]):
                break
            n_table += 1
        table = None
        if n_table:
            tags, pos, morph = [], [], []
            for key in range(n_table):
                attrs = ruler.attrs[key]
                tags.append(rules[key][0][0][0].values[0])
                pos.append(attrs[POS])
                morph.append(attrs[MORPH])
            # the last pattern for a tag wins, as in spaCy
            last: dict[int, int] = {t: k for k, t in enumerate(tags)}
            order = sorted(last)
            table = (
                np.asarray(order, dtype=np.uint64),
                np.asarray([pos[last[t]] for t in order], dtype=np.uint64),
                np.asarray([morph[last[t]] for t in order], dtype=np.uint64),
            )
        return cls(ruler, rules, table, n_table)

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs  # spaCy internals, looked up on first use

        n = len(doc)
        if not n:
            return doc
        names = [a for a in self.attrs if a != "TAG"] + ["TAG"]
        array = np.asarray(doc.to_array([IDS[a] for a in names]), dtype=np.uint64).reshape(n, len(names))
        columns: Columns = {a: array[:, k] for k, a in enumerate(names)}
        strings = doc.vocab.strings
        attrs, indices = self.ruler.attrs, self.ruler.indices
        # every pattern is tested before any attribute is set, as spaCy's Matcher does; (pattern
        # key, token) in pattern order, the index counted within each alternative's own span
        matches: list[tuple[int, int]] = []
        for key in range(self.n_table, len(self.rules)):
            index = indices[key]
            for pattern in self.rules[key]:
                offset = index if index >= 0 else len(pattern) + index
                starts = np.flatnonzero(_match(pattern, columns, n, strings))
                matches.extend((key, int(start) + offset) for start in starts)
        if self.table is not None:
            self._tag_map(doc, columns["TAG"])
        for key, position in matches:
            set_token_attrs(doc[position], attrs[key])
        return doc

    def _tag_map(self, doc: Doc, tags: npt.NDArray[np.uint64]) -> None:
        assert self.table is not None
        keys, pos, morph = self.table
        current = np.asarray(doc.to_array([POS, MORPH]), dtype=np.uint64).reshape(len(doc), 2)
        at = np.minimum(np.searchsorted(keys, tags), len(keys) - 1)
        hit = keys[at] == tags
        if not hit.any():
            return
        current[hit, 0] = pos[at[hit]]
        current[hit, 1] = morph[at[hit]]
        doc.from_array([POS, MORPH], current)  # type: ignore[arg-type]


def replace_attribute_ruler(nlp: Any) -> bool:
    """Swap the pipeline's ``attribute_ruler`` for its ``FastAttributeRuler``, in place and under
    the same name; False (spaCy's kept) when there is none or its patterns are not covered."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    fast = FastAttributeRuler.from_ruler(nlp.get_pipe("attribute_ruler"))
    if fast is None:
        return False
    # spaCy's replace_pipe builds from a registered factory; this component is built from the
    # loaded one, so it goes in the component list itself (disabled components included)
    # (private attributes of spaCy 3.8, which the lock pins: another spaCy keeps its own ruler)
    components = getattr(nlp, "_components", None)
    if not isinstance(components, list) or not hasattr(nlp, "_link_components"):
        return False
    index = [name for name, _ in components].index("attribute_ruler")
    components[index] = ("attribute_ruler", fast)
    nlp._link_components()
    return True


def _tests(spec: Any, strings: Any) -> list[_Test] | None:
    """The tests of one pattern token, or None for one outside the covered subset."""
    if not isinstance(spec, dict) or not spec:
        return None
    out: list[_Test] = []
    for raw, value in spec.items():
        attr = ALIASES.get(str(raw).upper(), str(raw).upper())
        if attr in BOOL_ATTRS:
            if not isinstance(value, bool):
                return None
            out.append(_Test(attr, "bool", flag=value))
        elif attr in STRING_ATTRS:
            test = _string_test(attr, value, strings)
            if test is None:
                return None
            out.append(test)
        else:
            return None
    return out


def _string_test(attr: str, value: Any, strings: Any) -> _Test | None:
    if isinstance(value, str):
        return _Test(attr, "eq", (_hash(value, strings),))
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((op, arg),) = value.items()
    op = str(op).upper()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
        return _Test(attr, op.lower(), tuple(_hash(v, strings) for v in arg))
    if op == "REGEX" and isinstance(arg, str):
        return _Test(attr, "regex", regex=re.compile(arg))
    return None


def _hash(value: str, strings: Any) -> int:
    return int(strings.add(value)) if value else 0


def _is_tag_map(alternatives: list[list[list[_Test]]], attrs: dict[int, Any], index: int) -> bool:
    """A pattern that tests the tag alone (one token, one value) and sets part of speech and
    morphology only."""
    if len(alternatives) != 1 or len(alternatives[0]) != 1 or index not in (0, -1):
        return False
    (tests,) = alternatives[0]
    if len(tests) != 1 or tests[0].attr != "TAG" or tests[0].kind != "eq":
        return False
    return set(attrs) == {POS, MORPH} and all(isinstance(v, int) for v in attrs.values())


def _match(pattern: Sequence[list[_Test]], columns: Columns, n: int, strings: Any) -> Mask:
    """The start positions at which the token tests of ``pattern`` hold in sequence."""
    length = len(pattern)
    if length > n:
        return np.zeros(n, dtype=bool)
    starts = np.ones(n - length + 1, dtype=bool)
    for k, tests in enumerate(pattern):
        mask = np.ones(n, dtype=bool)
        for test in tests:
            mask &= _mask(test, columns[test.attr], strings)
        starts &= mask[k : n - length + 1 + k]
    out = np.zeros(n, dtype=bool)
    out[: len(starts)] = starts
    return out


def _mask(test: _Test, column: npt.NDArray[np.uint64], strings: Any) -> Mask:
    if test.kind == "bool":
        return np.asarray((column != 0) == test.flag, dtype=bool)
    if test.kind == "eq":
        return np.asarray(column == np.uint64(test.values[0]), dtype=bool)
    if test.kind in ("in", "not_in"):
        hit = np.isin(column, np.asarray(test.values, dtype=np.uint64))
        return hit if test.kind == "in" else ~hit
    assert test.regex is not None
    search: Callable[[str], Any] = test.regex.search
    values, inverse = np.unique(column, return_inverse=True)
    found = np.asarray([bool(search(strings[int(v)])) for v in values.tolist()], dtype=bool)
    return found[inverse.reshape(-1)]
