"""URL paths: an example's path compiled once, and the eight scoring steps of Postman's ladder.

| step                                               | score |
|----------------------------------------------------|-------|
| exact                                              | 100   |
| equal after removing trailing slashes              | 95    |
| equal case-insensitively                           | 90    |
| both of the above                                  | 85    |
| wildcard variables match any one whole segment    | 80    |
| equal after replacing IDs by a placeholder         | 79    |
| the same, after removing trailing slashes          | 75    |
| close by document (Levenshtein) distance           | 70    |

Wildcards (`{{var}}` left unresolved, or `:var` without a value) also stand for their segment
in the ID and distance steps, so that `/users/{{id}}/orders/123` still meets
`/users/7/orders/456` at the ID step, and `/users/{{id}}` meets `/users/7/` at 75 (the
wildcard step itself needs the same trailing slash).

Within a step, paths are not all alike: each match also says how close it is (`closeness`,
higher is closer), which decides between examples of equal score before Postman's tie rule.
At the wildcard and ID steps the more specific path is closer: more segments equal to the
call's, then fewer wildcards (`/gists/1/star` is closer to `/gists/{{id}}/star` than to
`/gists/{{id}}/{{sha}}`). At the distance step the smaller edit distance is closer, where a
differing segment that is not an ID on both sides (`users` vs `orders`) weighs ten times an
ID that differs (`/v1/orders/ord_1002` is closer to `/v1/orders/ord_1001` than to
`/v1/users/{{id}}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from mockpost.matching.distance import levenshtein
from mockpost.postman.variables import TOKEN
from mockpost.readonly import readonly

ID_SEGMENT = re.compile(
    r"\d+"
    r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{16,}"
)
MIN_SIMILARITY = 0.8
NAMED_SEGMENT_WEIGHT = 10  # an edit in a segment that is not an ID, against one in an ID
SPECIFIC = 1000  # a segment equal to the call's, against a wildcard fewer
LOOSE_MAX = 80  # the most a path scores that is not the call's but for case and trailing slash
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_id(segment: str) -> bool:
    """An alphanumeric ID: all digits, a UUID, or 16+ hex characters with a digit."""
    return ID_SEGMENT.fullmatch(segment) is not None


def path_of_url(text: str) -> str:
    """The path of a URL text: what follows the scheme and host, without query or fragment."""
    if "://" in text and (scheme := _SCHEME.match(text)) is not None:
        text = text[scheme.end() :]
    masked = _tokens_masked(text)  # where to look for marks: never inside a `{{…}}`
    for mark in ("?", "#"):
        cut = masked.find(mark)
        if cut >= 0:
            text, masked = text[:cut], masked[:cut]
    if not text.startswith("/"):
        slash = masked.find("/")
        text = text[slash:] if slash >= 0 else "/"
    return collapse_slashes(unquote(text) if "%" in text else text)


_SLASHES = re.compile(r"//+")


def collapse_slashes(path: str) -> str:
    """`//a///b` -> `/a/b`: a base URL ending in `/` before `/path` is common in real files."""
    return _SLASHES.sub("/", path) if "//" in path else path or "/"


_MARKED_TOKEN = re.compile(r"\{\{[^{}]*[?#/][^{}]*\}\}")  # a TOKEN holding a mark


def _tokens_masked(text: str) -> str:
    """The text with each `{{…}}` token as underscores: the same length, so that a mark found
    in it is where it is in the text, and never inside a token."""
    if "{{" not in text or _MARKED_TOKEN.search(text) is None:
        return text  # no token holds a mark: the text is as good
    return TOKEN.sub(lambda m: "_" * len(m.group(0)), text)


def split_segments(path: str) -> tuple[str, ...]:
    """Segments of a path once trailing slashes are removed: `/a/b/` -> ("a", "b")."""
    stripped = path.rstrip("/")
    return tuple(stripped.split("/")[1:]) if stripped else ()


@readonly
class SegmentPattern:
    text: str
    regex: re.Pattern[str] | None  # set when the segment holds a wildcard
    names: tuple[str, ...]  # the wildcard variables it captures
    is_id: bool


@readonly(eq=False)  # one object per path text (compile_path)
class PathPattern:
    """An example's path with every form the steps compare, computed once."""

    text: str
    stripped: str
    lower: str
    stripped_lower: str
    trailing_slash: bool
    segments: tuple[SegmentPattern, ...]
    wildcards: tuple[str, ...]
    fixed: tuple[int, ...]  # positions of the segments that are neither wildcards nor IDs
    fixed_texts: tuple[str, ...]  # and their text


@lru_cache(maxsize=1 << 16)
def _segment_pattern(segment: str) -> SegmentPattern:
    """A segment compiled once (cached: the same segments recur across examples)."""
    if "{{" not in segment:
        return SegmentPattern(segment, None, (), is_id(segment))
    names = tuple(m.group(1) for m in TOKEN.finditer(segment))
    if not names:
        return SegmentPattern(segment, None, (), is_id(segment))
    pattern: list[str] = []
    last = 0
    for i, match in enumerate(TOKEN.finditer(segment)):
        pattern.append(re.escape(segment[last : match.start()]))
        pattern.append(f"(?P<w{i}>.+?)" if len(names) > 1 else "(?P<w0>.+)")
        last = match.end()
    pattern.append(re.escape(segment[last:]))
    return SegmentPattern(segment, re.compile("".join(pattern), re.DOTALL), names, False)


@lru_cache(maxsize=1 << 14)
def compile_path(text: str) -> PathPattern:
    """Compile an example's path (variables resolved; `{{name}}` left are wildcards)."""
    stripped = text.rstrip("/")
    segments = tuple(map(_segment_pattern, split_segments(text)))
    wildcards: list[str] = []
    fixed: list[int] = []
    fixed_texts: list[str] = []
    for i, segment in enumerate(segments):
        if segment.regex is not None:
            wildcards.extend(segment.names)
        elif not segment.is_id:
            fixed.append(i)
            fixed_texts.append(segment.text)
    # Positional, in the order of the fields: keywords cost a dict per object.
    return PathPattern(
        text,
        stripped,
        text.lower(),
        stripped.lower(),
        stripped != text,  # trailing_slash
        segments,
        tuple(wildcards),
        tuple(fixed),
        tuple(fixed_texts),
    )


class CallPath:
    """The incoming path in every form the steps compare, computed once per call.

    `ids` (which segments are alphanumeric IDs) is worked out only if a step needs it.
    """

    __slots__ = (
        "_ids",
        "lower",
        "segments",
        "stripped",
        "stripped_lower",
        "text",
        "trailing_slash",
    )

    def __init__(self, path: str) -> None:
        path = collapse_slashes(path or "/")
        stripped = path.rstrip("/")
        self.text = path
        self.stripped = stripped
        self.lower = path.lower()
        self.stripped_lower = stripped.lower()
        self.trailing_slash = stripped != path
        self.segments = tuple(stripped.split("/")[1:]) if stripped else ()
        self._ids: tuple[bool, ...] | None = None

    @property
    def ids(self) -> tuple[bool, ...]:
        if self._ids is None:
            self._ids = tuple(is_id(s) for s in self.segments)
        return self._ids


@dataclass(slots=True)  # not frozen: built per call, and frozen fields cost to set
class PathMatch:
    score: int
    step: str
    captures: dict[str, str]
    closeness: float = 0.0  # between matches of one step: higher is closer (module text)


NO_CAPTURES: dict[str, str] = {}


def _match_segments(pattern: PathPattern, call: CallPath, *, ids: bool) -> dict[str, str] | None:
    captures: dict[str, str] = {}
    for seg, text, text_is_id in zip(pattern.segments, call.segments, call.ids, strict=True):
        if seg.regex is not None:
            found = seg.regex.fullmatch(text)
            if found is None:
                return None
            for i, name in enumerate(seg.names):
                captures.setdefault(name, found.group(f"w{i}"))
        elif seg.text != text and not (ids and seg.is_id and text_is_id):
            return None
    return captures


def _loose_captures(pattern: PathPattern, call: CallPath) -> dict[str, str]:
    """Captures of the wildcard segments that match, whatever the other segments hold."""
    captures: dict[str, str] = {}
    for seg, text in zip(pattern.segments, call.segments, strict=True):
        found = seg.regex.fullmatch(text) if seg.regex is not None else None
        if found is not None:
            for i, name in enumerate(seg.names):
                captures.setdefault(name, found.group(f"w{i}"))
    return captures


def _specific(pattern: PathPattern, call: CallPath) -> float:
    """Segments equal to the call's, then fewer wildcards: the wildcard and ID steps' rank."""
    equal = sum(seg.text == text for seg, text in zip(pattern.segments, call.segments, strict=True))
    return equal * SPECIFIC - len(pattern.wildcards)


def _edits(pattern: PathPattern, call: CallPath) -> float:
    """The distance step's rank: minus the edits from the example's path to the call's, an
    edit in a segment that is not an ID on both sides weighing ten."""
    cost = 0
    for seg, text, text_is_id in zip(pattern.segments, call.segments, call.ids, strict=True):
        if seg.regex is not None and seg.regex.fullmatch(text) is not None:
            continue
        if seg.text != text:
            weight = 1 if seg.is_id and text_is_id else NAMED_SEGMENT_WEIGHT
            cost += weight * levenshtein(seg.text, text)
    return -float(cost)


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / the longer length (1.0 for two empty strings)."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    return 1.0 - levenshtein(a, b) / longest


def _distance_form(pattern: PathPattern, call: CallPath) -> str:
    """The example's stripped path with each wildcard segment standing as the call's."""
    parts = [
        text if seg.regex is not None else seg.text
        for seg, text in zip(pattern.segments, call.segments, strict=True)
    ]
    return "/" + "/".join(parts) if parts else ""


def score_path(pattern: PathPattern, call: CallPath, *, fuzzy: bool = True) -> PathMatch | None:
    """The first step of the ladder that matches, or None when the example is dropped."""
    if pattern.text == call.text:
        return PathMatch(100, "exact", NO_CAPTURES)
    if pattern.stripped == call.stripped:
        return PathMatch(95, "trailing slash", NO_CAPTURES)
    if pattern.lower == call.lower:
        return PathMatch(90, "case-insensitive", NO_CAPTURES)
    if pattern.stripped_lower == call.stripped_lower:
        return PathMatch(85, "case-insensitive, trailing slash", NO_CAPTURES)
    if len(pattern.segments) != len(call.segments):
        return None
    same_slash = pattern.trailing_slash == call.trailing_slash
    if pattern.wildcards and same_slash:
        captures = _match_segments(pattern, call, ids=False)
        if captures is not None:
            return PathMatch(80, "wildcard", captures, _specific(pattern, call))
    captures = _match_segments(pattern, call, ids=True)
    if captures is not None:
        closeness = _specific(pattern, call)
        if same_slash:
            return PathMatch(79, "ID placeholder", captures, closeness)
        return PathMatch(75, "ID placeholder, trailing slash", captures, closeness)
    if fuzzy:
        form = _distance_form(pattern, call)
        longest = max(len(form), len(call.stripped))
        if longest and abs(len(form) - len(call.stripped)) > (1 - MIN_SIMILARITY) * longest:
            return None
        if similarity(form, call.stripped) >= MIN_SIMILARITY:
            captures = _loose_captures(pattern, call)
            return PathMatch(70, "document distance", captures, _edits(pattern, call))
    return None
