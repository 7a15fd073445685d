"""Failed redactions in a PDF: text drawn and then covered by dark filled boxes.

The content stream is walked with pypdf's visitor callbacks to collect filled
rectangles (with the colour they were filled with) and the runs of text with
their matrices; a character whose glyph lies under a dark box drawn after it is
hidden. ``nccd.ingest.pdf`` masks hidden characters before anything else sees
the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace


try:  # pypdf's parsed fonts know real glyph widths; private API, so optional
    from pypdf.generic._font import Font as _PdfFont
except ImportError:  # pragma: no cover - older pypdf
    _PdfFont = None

_WORD = re.compile(r"\S+")

#: Luminance (0 black … 1 white) at or below which a fill counts as dark.
_DARK = 0.25

#: Text drawn on a dark box in a colour this close to the box's cannot be read
#: (black "highlighting" in a word processor).
_CONTRAST = 0.1

#: A box thinner than this (page units, 1/72 inch) is a rule, an underline or a
#: table border, never something drawn to hide a line of text.
_MIN_BOX = 2.0

#: Heights above the baseline, in ems, that a box must cover to hide a glyph:
#: about the x-height, so underlines and strike-throughs do not count.
_GLYPH_LOW, _GLYPH_HIGH = 0.15, 0.55

#: Share of the distance from the start of a run that a glyph's estimated
#: position may be off by (kerning in TJ arrays is not modelled); larger when
#: the font's widths are unknown and guessed.
_DRIFT_KNOWN, _DRIFT_GUESSED = 0.005, 0.15

#: Width of a glyph, in ems, when the font does not say.
_GUESSED_WIDTH = 0.5

#: Share of a run's characters whose widths must be known for the font's
#: widths to be trusted.
_KNOWN_SHARE = 0.9

#: Operators that show text, and those that fill the current path.
_SHOW = frozenset({b"Tj", b"TJ", b"'", b'"'})
_FILL = frozenset({b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"})
_END_PATH = _FILL | {b"S", b"s", b"n"}
_PATH = frozenset({b"m", b"l", b"c", b"v", b"y", b"re"})

#: Colour spaces whose initial colour (set by ``cs``) is black.
_DEVICE_SPACES = frozenset({"/DeviceGray", "/DeviceRGB", "/DeviceCMYK"})


# ---------------------------------------------------------------- geometry

_Matrix = tuple[float, float, float, float, float, float]
_Widths = tuple[dict[str, float], float]  # glyph widths by character and the font's default, in ems
_IDENTITY: _Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mult(m: _Matrix, n: _Matrix) -> _Matrix:
    """``m`` then ``n``, in PDF's row-vector convention."""
    return (
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _inverse(m: _Matrix) -> _Matrix | None:
    det = m[0] * m[3] - m[1] * m[2]
    if abs(det) < 1e-12:
        return None
    a, b, c, d = m[3] / det, -m[1] / det, -m[2] / det, m[0] / det
    return (a, b, c, d, -(m[4] * a + m[5] * c), -(m[4] * b + m[5] * d))


def _matrix(values) -> _Matrix:
    return tuple(float(v) for v in values[:6])  # type: ignore[return-value]


def _numbers(args, count: int) -> list[float] | None:
    """The first ``count`` operands as floats, or ``None`` when they are not numbers."""
    if len(args) < count:
        return None
    try:
        return [float(arg) for arg in args[:count]]
    except (TypeError, ValueError):
        return None


def _luminance(args) -> float | None:
    """Luminance (0 black … 1 white) of a colour given as gray, RGB or CMYK operands."""
    values = _numbers(args, len(args))
    if not values:
        return None  # a pattern, a named colour: unknown
    if len(values) == 1:
        return values[0]
    if len(values) == 3:
        return 0.299 * values[0] + 0.587 * values[1] + 0.114 * values[2]
    if len(values) == 4:
        c, m, y, k = values
        return (0.299 * (1 - c) + 0.587 * (1 - m) + 0.114 * (1 - y)) * (1 - k)
    return None


@dataclass(frozen=True)
class _Box:
    """A dark filled area of a page, in page space, and when it was painted."""

    seq: float  # operator count when painted; annotations come after all content
    luminance: float
    x0: float
    y0: float
    x1: float
    y1: float

    def usable(self) -> bool:
        return min(self.x1 - self.x0, self.y1 - self.y0) >= _MIN_BOX

    def hides(self, run: _Run) -> bool:
        """Painted over the run, or under it in much the run's own colour."""
        if self.seq > run.seq:
            return True
        return run.luminance is not None and abs(run.luminance - self.luminance) <= _CONTRAST

    def in_text_space(self, inverse: _Matrix) -> tuple[float, float, float, float]:
        corners = [_apply(inverse, x, y) for x in (self.x0, self.x1) for y in (self.y0, self.y1)]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return min(xs), min(ys), max(xs), max(ys)


def _box(points: list[tuple[float, float]], seq: float = 0, luminance: float = 0.0) -> _Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return _Box(seq, luminance, min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class _TextState:
    """The parts of the graphics state that decide how text and fills look."""

    fill: float | None = 0.0  # luminance of the fill colour; pages start black
    char_spacing: float = 0.0  # Tc
    word_spacing: float = 0.0  # Tw
    scale: float = 1.0  # Tz / 100


@dataclass
class _Run:
    """A piece of text as pypdf reported it, where it starts and how it was drawn."""

    seq: int
    text: str
    matrix: _Matrix  # text space → page space at the run's first glyph
    size: float
    widths: _Widths
    state: _TextState
    luminance: float | None  # of the brightest fill it was drawn in
    origins: list[tuple[float, float]] = field(default_factory=list)  # page-space starts of its operators


# ---------------------------------------------------------------- content stream scan


class _PageScan:
    """Follows a page's content stream beside pypdf: colours, dark boxes, text runs.

    pypdf reads form XObjects with a fresh matrix, so each form's own content
    is mapped back to page space with the matrix in force where it was drawn.
    """

    def __init__(self, fonts: dict[int, tuple[object, _Widths]], xobjects) -> None:
        self.seq = 0
        self.state = _TextState()
        self.boxes: list[_Box] = []
        self.runs: list[_Run] = []
        self._fonts = fonts
        self._xobjects = xobjects
        self._saved: list[_TextState] = []
        self._forms: list[_Matrix] = [_IDENTITY]  # form space → page space
        # Per Do being drawn: did its form's content start, and the state to go back to.
        self._drawing: list[tuple[bool, int, _TextState]] = []
        self._pending: _Matrix | None = None
        self._path: list[_Box] = []
        self._points: list[tuple[float, float]] = []
        self._curved = False
        self._shown: list[tuple[float | None, tuple[float, float]]] = []

    def operator(self, op: bytes, args, cm, tm) -> None:
        """pypdf's ``visitor_operand_before``: called before each operator."""
        self.seq += 1
        if self._pending is not None:
            # The first operator after a Do belongs to the form it draws.
            self._forms.append(self._pending)
            self._drawing[-1] = (True, *self._drawing[-1][1:])
            self._pending = None
        if op in _SHOW:
            page_matrix = _mult(_mult(_matrix(tm), _matrix(cm)), self._forms[-1])
            self._shown.append((self.state.fill, _apply(page_matrix, 0.0, 0.0)))
            self._text_operands(op, args)
        elif op in _PATH:
            self._build_path(op, args, _mult(_matrix(cm), self._forms[-1]))
        elif op in _END_PATH:
            self._paint(op in _FILL)
        elif op == b"Do":
            self._draw_form(args, _mult(_matrix(cm), self._forms[-1]))
        else:
            self._set_state(op, args)

    def after(self, op: bytes, args, cm, tm) -> None:
        """pypdf's ``visitor_operand_after``: leaves a form once pypdf has read it."""
        if op == b"Do" and self._drawing:
            entered, depth, self.state = self._drawing.pop()
            if entered:
                self._forms.pop()
            del self._saved[depth:]  # a form's unbalanced q's end with it
            self._pending = None

    def _draw_form(self, args, cm: _Matrix) -> None:
        # A form is drawn inside q … Q; it starts at its first operator (see operator).
        self._drawing.append((False, len(self._saved), self.state))
        self._pending = _mult(self._form_matrix(args), cm)

    def _form_matrix(self, args) -> _Matrix:
        """A top-level form's /Matrix; nested forms' resources are not followed."""
        try:
            if len(self._forms) == 1 and args and self._xobjects is not None:
                values = _numbers(self._xobjects[args[0]].get_object().get("/Matrix") or [], 6)
                return tuple(values) if values else _IDENTITY  # type: ignore[return-value]
        except Exception:  # a missing or broken form draws nothing pypdf reads either
            pass
        return _IDENTITY

    def _set_state(self, op: bytes, args) -> None:
        if op == b"q":
            self._saved.append(self.state)
        elif op == b"Q":
            self.state = self._saved.pop() if self._saved else _TextState()
        elif op in (b"g", b"rg", b"k", b"sc", b"scn"):
            self.state = replace(self.state, fill=_luminance(args))
        elif op == b"cs":
            # Setting a colour space resets the colour, to black in the device spaces.
            device = bool(args) and str(args[0]) in _DEVICE_SPACES
            self.state = replace(self.state, fill=0.0 if device else None)
        elif op in (b"Tc", b"Tw", b"Tz") and (values := _numbers(args, 1)):
            self.state = _spacing(self.state, op, values[0])

    def _text_operands(self, op: bytes, args) -> None:
        """The ``"`` operator sets word and character spacing before showing its text."""
        if op == b'"' and (values := _numbers(args, 2)):
            self.state = replace(self.state, word_spacing=values[0], char_spacing=values[1])

    def _build_path(self, op: bytes, args, cm: _Matrix) -> None:
        """Path construction, in page space (the CTM cannot change inside a path)."""
        if op in (b"c", b"v", b"y"):
            self._curved = True
        elif op == b"l" and (values := _numbers(args, 2)):
            self._points.append(_apply(cm, *values))
        elif op == b"m" and (values := _numbers(args, 2)):
            self._close_subpath()
            self._points = [_apply(cm, *values)]
        elif op == b"re" and (values := _numbers(args, 4)):
            self._close_subpath()
            x, y, w, h = values
            self._path.append(_box([_apply(cm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]))

    def _close_subpath(self) -> None:
        """Keep a finished ``m``/``l`` subpath when it outlines an upright rectangle."""
        points, self._points = self._points, []
        curved, self._curved = self._curved, False
        if curved or not 4 <= len(points) <= 5:
            return
        if len({round(p[0], 1) for p in points}) == 2 and len({round(p[1], 1) for p in points}) == 2:
            self._path.append(_box(points))

    def _paint(self, filled: bool) -> None:
        self._close_subpath()
        fill = self.state.fill
        if filled and fill is not None and fill <= _DARK:
            self.boxes.extend(replace(box, seq=self.seq, luminance=fill) for box in self._path)
        self._path = []

    def text(self, text: str, cm, tm, font, size) -> None:
        """pypdf's ``visitor_text``: called with each piece of text it adds to the page."""
        if not text:
            return
        shown, self._shown = self._shown, []
        fills = [fill for fill, _ in shown] if shown else [self.state.fill]
        self.runs.append(_Run(
            seq=self.seq,
            text=text,
            matrix=_mult(_mult(_matrix(tm), _matrix(cm)), self._forms[-1]),
            size=abs(float(size or 0)) or 1.0,
            widths=self._widths(font),
            state=self.state,
            luminance=None if None in fills else max(fills),
            origins=[origin for _, origin in shown],
        ))

    def _widths(self, font) -> _Widths:
        # Fonts are shared by pages; the object is kept with its widths so a
        # recycled id() can never pick up another font's.
        cached = self._fonts.get(id(font))
        if cached is None or cached[0] is not font:
            cached = self._fonts[id(font)] = (font, _font_widths(font))
        return cached[1]


def _spacing(state: _TextState, op: bytes, value: float) -> _TextState:
    if op == b"Tc":
        return replace(state, char_spacing=value)
    if op == b"Tw":
        return replace(state, word_spacing=value)
    return replace(state, scale=value / 100)


def _font_widths(font) -> _Widths:
    """Glyph widths of a font resource by character, in ems; guessed when unknown."""
    if font is None or _PdfFont is None:
        return {}, _GUESSED_WIDTH
    try:
        parsed = _PdfFont.from_font_resource(font)
        encoding = parsed.encoding if isinstance(parsed.encoding, dict) else {}
        unicode_of = parsed.character_map or {}
        widths: dict[str, float] = {}
        for raw, width in parsed.character_widths.items():
            if raw == "default" or len(raw) != 1:
                continue
            char = unicode_of.get(raw) or encoding.get(ord(raw)) or raw
            widths[char] = float(width) / 1000
        default = float(parsed.character_widths.get("default", 0)) / 1000 or _GUESSED_WIDTH
        return widths, default
    except Exception:  # a font pypdf cannot parse still has text; guess its widths
        return {}, _GUESSED_WIDTH


def _annotation_boxes(page) -> list[_Box]:
    """Redaction marks never applied, and dark filled rectangle comments."""
    boxes: list[_Box] = []
    try:
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else []
    except Exception:  # a broken annotation list hides nothing
        return boxes
    for annotation in annotations or []:
        try:
            annotation = annotation.get_object()
            kind = annotation.get("/Subtype")
            fill = _luminance(annotation.get("/IC") or [])
            if kind == "/Redact" or (kind == "/Square" and fill is not None and fill <= _DARK):
                x0, y0, x1, y1 = _numbers(annotation["/Rect"], 4)
                boxes.append(_box([(x0, y0), (x1, y1)], math.inf, fill or 0.0))
        except Exception:  # a malformed annotation is skipped, not fatal
            continue
    return boxes


# ---------------------------------------------------------------- hidden text


def _hidden_offsets(text: str, runs: list[_Run], boxes: list[_Box]) -> set[int]:
    """Offsets in ``text`` (the runs' texts joined) of characters hidden by ``boxes``.

    A glyph is hidden when a dark box painted over it, or under it in much its
    own colour, covers it from about its baseline to its x-height. Every word
    with a hidden character is hidden whole, since glyph positions are
    estimated and a word half hidden would still give away the rest.
    """
    hidden: set[int] = set()
    start = 0
    for run in runs:
        hidden.update(start + i for i in _hidden_in_run(run, boxes))
        start += len(run.text)
    if not hidden:
        return hidden
    for word in _WORD.finditer(text):
        if any(i in hidden for i in range(word.start(), word.end())):
            hidden.update(range(word.start(), word.end()))
    return hidden


def _hidden_in_run(run: _Run, boxes: list[_Box]) -> list[int]:
    """Indexes into ``run.text`` of the characters a box hides."""
    inverse = _inverse(run.matrix)
    if inverse is None:
        return []
    low, high = _GLYPH_LOW * run.size, _GLYPH_HIGH * run.size
    spans = []
    for box in boxes:
        if box.hides(run):
            x0, y0, x1, y1 = box.in_text_space(inverse)
            if y0 <= low and y1 >= high:
                spans.append((x0, x1))
    found: list[int] = []
    for span in spans:
        covered = _covered_glyphs(run, span)
        if not covered and _covers_origin(run, inverse, span):
            # An operator of this run starts under the box but the estimated
            # glyph positions missed it (text placed apart within one run).
            return [i for i, ch in enumerate(run.text) if not ch.isspace()]
        found.extend(covered)
    return found


def _covered_glyphs(run: _Run, span: tuple[float, float]) -> list[int]:
    """Characters whose estimated glyph centre lies in ``span`` (text space x)."""
    widths, default = run.widths
    letters = [ch for ch in run.text if not ch.isspace()]
    # A font whose widths are keyed in a way not understood gives few matches.
    known = sum(ch in widths for ch in letters) >= _KNOWN_SHARE * len(letters)
    default, drift = (default, _DRIFT_KNOWN) if known else (_GUESSED_WIDTH, _DRIFT_GUESSED)
    state = run.state
    found = []
    advance = 0.0
    for i, ch in enumerate(run.text):
        width = 0.0
        if ch != "\n":
            width = widths.get(ch, default) * run.size + state.char_spacing
            width = (width + (state.word_spacing if ch == " " else 0.0)) * state.scale
        centre, slack = advance + width / 2, drift * abs(advance)
        if not ch.isspace() and span[0] - slack <= centre <= span[1] + slack:
            found.append(i)
        advance += width
    return found


def _covers_origin(run: _Run, inverse: _Matrix, span: tuple[float, float]) -> bool:
    """Whether the first glyph of one of the run's operators lies in ``span``."""
    for origin in run.origins:
        x, _ = _apply(inverse, *origin)
        if span[0] <= x + 0.25 * run.size <= span[1]:
            return True
    return False
