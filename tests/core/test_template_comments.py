"""Django's {# #} comment ends on its own line: one left open runs on into the page (and the PDF)."""

from pathlib import Path

from django.conf import settings

ROOTS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]


def test_no_template_comment_spans_lines():
    open_comments = []
    for root in ROOTS:
        for path in root.rglob("*.*"):
            if path.suffix not in {".html", ".txt", ".svg", ".ics", ".csv"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                rest = line
                while "{#" in rest:
                    rest = rest.split("{#", 1)[1]
                    if "#}" not in rest:
                        open_comments.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
                        break
                    rest = rest.split("#}", 1)[1]
    assert open_comments == [], "use {% comment %} for comments over several lines: " + ", ".join(open_comments)
