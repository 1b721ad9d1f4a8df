"""What an assessor (and a screen reader) checks in the exported PDF, read from the file
itself: poppler's pdftotext -bbox for where every word sits, pypdf for font sizes, pikepdf for
the tagged structure tree. Shared by the PDF tests."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pypdf import PdfReader

MM = 72 / 25.4


@dataclass(frozen=True)
class Word:
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def fill(self, top: float, bottom: float) -> float:
        """How far down the page's text area the body text reaches (0 to 1), footer apart."""
        body = [w.y1 for w in self.words if w.y1 < self.height - bottom]
        return (max(body) - top) / (self.height - bottom - top) if body else 0.0


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


def layout(data: bytes) -> list[Page]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), 1):
        words = [Word(number, float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(body)]
        pages.append(Page(number, float(width), float(height), words))
    return pages


def words_off_the_paper(pages: list[Page], *, margin: float = 0.0) -> list[Word]:
    """Words any part of which lies outside the page (or within `margin` of its edge)."""
    return [w for p in pages for w in p.words if w.x0 < margin - 0.5 or w.x1 > p.width - margin + 0.5 or w.y1 > p.height + 0.5]


def font_sizes(data: bytes) -> dict[float, list[tuple[int, str]]]:
    """{size in pt: [(page, text), ...]} for every piece of text drawn, as set on the page."""
    sizes: dict[float, list[tuple[int, str]]] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, 1):

        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes.setdefault(round(size * scale, 1), []).append((number, text.strip()))

        page.extract_text(visitor_text=visit)
    return sizes


def structure(data: bytes) -> list[pikepdf.Dictionary]:
    """Every element of the tagged structure tree, in reading order."""
    found: list[pikepdf.Dictionary] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for item in node:
                    walk(item)
            elif isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    found.append(node)
                kids = node.get("/K")
                if kids is not None:
                    walk(kids)

        if root is not None:
            walk(root.get("/K"))
        # Read what we need before the file closes.
        return [_plain(n) for n in found]


def _plain(node: pikepdf.Dictionary) -> dict:
    attributes = node.get("/A")
    scope = None
    for attr in attributes if isinstance(attributes, pikepdf.Array) else [attributes] if attributes is not None else []:
        if isinstance(attr, pikepdf.Dictionary) and "/Scope" in attr:
            scope = str(attr["/Scope"])
    return {"role": str(node["/S"]), "scope": scope}


def heading_levels(data: bytes) -> list[int]:
    return [int(n["role"][2]) for n in structure(data) if re.fullmatch(r"/H[1-6]", n["role"])]


def header_cells(data: bytes) -> list[dict]:
    return [n for n in structure(data) if n["role"] == "/TH"]


def fonts(data: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name, type, emb, sub, uni for every font in the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) >= 7:
            rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows
