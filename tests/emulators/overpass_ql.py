"""The Overpass QL subset the loopback Overpass emulator understands: tokenizer and parser.

`parse(text)` returns the settings and the statements, or raises QLError with Overpass's wording
("line 3: parse error: Unknown type "nodee"") for anything outside the subset described in
`emulators.overpass`. Tag filters come back as predicates over a tags dict, spatial filters as
("area", set name) or ("bbox", shapely box).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shapely.geometry import box

STATEMENT_TYPES = {"node": "n", "way": "w", "rel": "r", "relation": "r", "nwr": "nwr", "nw": "nw",
                   "nr": "nr", "wr": "wr"}
VERBOSITY = ("ids", "skel", "body", "tags", "meta")
GEOMETRY_MODES = ("center", "geom", "bb")


class QLError(Exception):
    """A query the emulator (like Overpass) cannot parse; answered with HTTP 400."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: parse error: {message}")


_TOKEN = re.compile(r"""
    (?P<skip>\s+|//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?::[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<punct>->|!=|!~|[\[\]();:=~.,!])
""", re.VERBOSE | re.DOTALL)
_SETTINGS = re.compile(r"\s*((?:\[\s*[a-z]+\s*:[^\]]*\]\s*)+);")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "'": "'", "\\": "\\"}


@dataclass(slots=True)
class Token:
    kind: str
    text: str
    line: int


def tokenize(text: str, first_line: int = 1) -> list[Token]:
    tokens, position, line = [], 0, first_line
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise QLError(line, f"Unknown character {text[position]!r}")
        kind = match.lastgroup or ""
        value = match.group()
        if kind != "skip":
            tokens.append(Token(kind, _unquote(value) if kind == "string" else value, line))
        line += value.count("\n")
        position = match.end()
    return tokens


def _unquote(literal: str) -> str:
    body = literal[1:-1]
    return re.sub(r"\\u([0-9a-fA-F]{4})|\\(.)",
                  lambda m: chr(int(m.group(1), 16)) if m.group(1) else _ESCAPES.get(m.group(2), m.group(2)), body)


@dataclass(slots=True)
class Query:
    """A parsed request: its settings and statements (executed in order)."""

    settings: dict[str, str]
    statements: list[tuple[str, Any]]


class Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens, self.i = tokens, 0

    def peek(self, offset: int = 0) -> Token | None:
        index = self.i + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def line(self) -> int:
        token = self.peek() or (self.tokens[-1] if self.tokens else None)
        return token.line if token else 1

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        token = self.peek()
        if token is None or (text is not None and token.text != text) or (kind and token.kind != kind):
            found = repr(token.text) if token else "end of query"
            raise QLError(self.line(), f"{text or kind!r} expected, {found} found")
        self.i += 1
        return token

    def at(self, text: str) -> bool:
        token = self.peek()
        return token is not None and token.text == text and token.kind in ("punct", "word")

    def statements(self, closing: str | None = None) -> list[tuple[str, Any]]:
        result = []
        while self.peek() is not None and not (closing and self.at(closing)):
            result.append(self.statement())
        return result

    def statement(self) -> tuple[str, Any]:
        token = self.peek()
        assert token is not None
        if token.text == "(":
            self.take("(")
            inner = self.statements(closing=")")
            self.take(")")
            return "union", (inner, self.output_name())
        if token.text == "out" or (token.text == "." and self.peek(2) and self.peek(2).text == "out"):
            source = "_"
            if token.text == ".":
                self.take(".")
                source = self.take(kind="word").text
            self.take("out")
            modes = []
            while not self.at(";"):
                modes.append(self.take().text)
            self.take(";")
            for mode in modes:
                if mode not in VERBOSITY + GEOMETRY_MODES + ("asc", "qt") and not mode.isdigit():
                    raise QLError(token.line, f'Unknown output mode "{mode}"')
            return "out", (source, modes)
        if token.text == "area":
            self.take("area")
            self.take("(")
            self.take("id")
            self.take(":")
            area_id = int(self.take(kind="number").text)
            self.take(")")
            return "area", (area_id, self.output_name())
        if token.kind == "word" and token.text in STATEMENT_TYPES:
            self.take()
            filters = []
            while self.at("[") or self.at("("):
                filters.append(self.tag_filter() if self.at("[") else self.spatial_filter())
            return "query", (STATEMENT_TYPES[token.text], filters, self.output_name())
        raise QLError(token.line, f'Unknown type "{token.text}"')

    def output_name(self) -> str:
        name = "_"
        if self.at("->"):
            self.take("->")
            self.take(".")
            name = self.take(kind="word").text
        self.take(";")
        return name

    def text(self) -> str:
        token = self.take()
        if token.kind not in ("string", "word", "number"):
            raise QLError(token.line, f"a key or value expected, {token.text!r} found")
        return token.text

    def tag_filter(self) -> Callable[[dict[str, str]], bool]:
        self.take("[")
        if self.at("!"):
            self.take("!")
            key = self.text()
            self.take("]")
            return lambda tags: key not in tags
        if self.at("~"):
            self.take("~")
            key_re = self.text()
            self.take("~")
            value_re, flags = self.text(), self.regex_flags()
            keys, values = re.compile(key_re, flags), re.compile(value_re, flags)
            return lambda tags: any(keys.search(k) and values.search(v) for k, v in tags.items())
        key = self.text()
        if self.at("]"):
            self.take("]")
            return lambda tags: key in tags
        operator = self.take().text
        value = self.text()
        if operator in ("~", "!~"):
            pattern = re.compile(value, self.regex_flags())
            if operator == "~":
                return lambda tags: key in tags and bool(pattern.search(tags[key]))
            return lambda tags: key in tags and not pattern.search(tags[key])
        self.take("]")
        if operator == "=":
            return lambda tags: tags.get(key) == value
        if operator == "!=":
            return lambda tags: tags.get(key) != value
        raise QLError(self.line(), f"unknown tag filter operator {operator!r}")

    def regex_flags(self) -> int:
        flags = 0
        if self.at(","):
            self.take(",")
            if self.take(kind="word").text != "i":
                raise QLError(self.line(), "only ',i' may follow a regular expression")
            flags = re.IGNORECASE
        self.take("]")
        return flags

    def spatial_filter(self) -> tuple[str, Any]:
        self.take("(")
        if self.at("area"):
            self.take("area")
            self.take(".")
            name = self.take(kind="word").text
            self.take(")")
            return "area", name
        numbers = [float(self.take(kind="number").text)]
        for _ in range(3):
            self.take(",")
            numbers.append(float(self.take(kind="number").text))
        self.take(")")
        south, west, north, east = numbers
        return "bbox", box(west, south, east, north)


def parse(query: str) -> Query:
    """Parse the QL subset; raises QLError like Overpass's parse errors."""
    settings: dict[str, str] = {}
    match = _SETTINGS.match(query)
    body, first_line = query, 1
    if match:
        for item in re.findall(r"\[\s*([a-z]+)\s*:([^\]]*)\]", match.group(1)):
            settings[item[0]] = item[1].strip()
        first_line += query[:match.end()].count("\n")
        body = query[match.end():]
    for name in settings:
        if name not in ("out", "timeout", "maxsize"):
            raise QLError(1, f'Unknown setting "{name}"')
    if settings.get("out", "xml") != "json":
        raise QLError(1, "this emulator answers [out:json] only")
    parser = Parser(tokenize(body, first_line))
    return Query(settings, parser.statements())
