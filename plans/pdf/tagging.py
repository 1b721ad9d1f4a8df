"""Finishing the tagged PDF's structure tree where WeasyPrint leaves it short.

PDF/UA-1 (7.5) and WCAG ask every table header cell to say what it heads. WeasyPrint 70 tags
<th> as /TH with the table attribute owner (/O /Table) but never writes /Scope, so a screen
reader cannot tell a column header from a row header. The HTML's scope attribute is not
carried into the PDF either; the structure says it all the same: a /TH in a /THead row heads
its column, any other /TH (the first cell of a body or footer row) heads its row.
"""

from __future__ import annotations

import io

import pikepdf

COLUMN = pikepdf.Name("/Column")
ROW = pikepdf.Name("/Row")


def _table_attributes(element: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The element's /A dictionary owned by /Table, created if it has none."""
    attributes = element.get("/A")
    candidates = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes] if attributes is not None else []
    for candidate in candidates:
        if isinstance(candidate, pikepdf.Dictionary) and candidate.get("/O") == pikepdf.Name("/Table"):
            return candidate
    table = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
    if attributes is None:
        element.A = table
    elif isinstance(attributes, pikepdf.Array):
        attributes.append(table)
    else:
        element.A = pikepdf.Array([attributes, table])
    return table


def add_table_header_scopes(data: bytes) -> bytes:
    """The same PDF with /Scope on every /TH; unchanged if it has no structure tree."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        stack: list[tuple[object, bool]] = [(root.get("/K"), False)]
        changed = 0
        while stack:
            node, in_head = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend((child, in_head) for child in node)
                continue
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                continue
            role = node.S
            if role == pikepdf.Name("/TH"):
                _table_attributes(node).Scope = COLUMN if in_head else ROW
                changed += 1
            kids = node.get("/K")
            if kids is not None:
                stack.append((kids, in_head or role == pikepdf.Name("/THead")))
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
