"""WeasyPrint may read the app's own static files and data: URIs, and nothing else,
whatever a plan's text says. Proven on the fetcher itself, and by rendering hostile plans
while a real socket on 127.0.0.1 waits to see whether anything connects."""

from __future__ import annotations

import base64
import copy
import io
import socket
import threading
import time

import pytest
from pypdf import PdfReader

from plans.pdf.fetcher import FetchRefused, StaticOnlyFetcher
from plans.pdf.render import html_to_pdf, render_snapshot, revision_meta

from .pdf_fixtures import approved_revision

PNG_1PX = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
    )
).decode()


class Listener:
    """A TCP port on 127.0.0.1 that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop = True
        self.thread.join(1)
        self.sock.close()


@pytest.fixture
def listener():
    server = Listener()
    yield server
    server.close()


def test_fetcher_serves_static_files_and_data_uris():
    fetcher = StaticOnlyFetcher()
    font = fetcher.fetch("oakviewstatic:fonts/Carlito-Regular.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font, read from static/fonts
    css = fetcher.fetch("oakviewstatic:pdf/print.css")
    assert b"@font-face" in css.read()
    image = fetcher.fetch(f"data:image/png;base64,{PNG_1PX}")
    assert image.read().startswith(b"\x89PNG")
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:6379/",
        "https://127.0.0.1/",
        "http://localhost:8000/static/pdf/print.css",
        "https://example.org/logo.png",
        "ftp://example.org/x",
        "gopher://127.0.0.1:6379/_INFO",
        "oakviewstatic:../oakview/settings.py",
        "oakviewstatic:/etc/passwd",
        "oakviewstatic:fonts/../../manage.py",
        "oakviewstatic:fonts/%2e%2e/%2e%2e/db.sqlite3",
        "oakviewstatic:js/oakview.js",  # not a type the PDF needs
        "oakviewstatic:fonts/missing.ttf",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_blocks_hostile_markup_that_bypasses_the_sanitiser(listener):
    """Straight into WeasyPrint, no sanitiser: the fetcher alone stops every read."""
    target = f"http://127.0.0.1:{listener.port}"
    html = f"""<!doctype html><html lang="en-GB"><head><title>t</title>
    <link rel="stylesheet" href="{target}/style.css">
    <style>@import url("{target}/import.css");
      @font-face {{ font-family: X; src: url("file:///etc/passwd"); }}
      body {{ background: url("{target}/bg.png"); font-family: X; }}</style></head>
    <body><p>Hello</p><img src="file:///etc/passwd" alt=""><img src="{target}/img.png" alt="">
    <object data="{target}/object"></object><iframe src="{target}/frame"></iframe>
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image href="{target}/svg.png" width="5" height="5"/></svg>
    <img src="data:image/png;base64,{PNG_1PX}" alt="dot"></body></html>"""
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.data.startswith(b"%PDF") and pdf.pages == 1
    time.sleep(0.3)
    assert listener.connections == 0
    assert "file:///etc/passwd" in fetcher.refused
    assert any(url.startswith(target) for url in fetcher.refused)
    assert all(url.startswith(("oakviewstatic:", "data:")) for url in fetcher.served)
    assert any(url.startswith("data:image/png") for url in fetcher.served)
    assert b"root:x:0:0" not in pdf.data


def test_hostile_plan_text_is_escaped_or_sanitised_and_fetches_nothing(personas, listener):
    revision = approved_revision(personas)
    target = f"http://127.0.0.1:{listener.port}"
    snapshot = copy.deepcopy(revision.snapshot)
    plan = snapshot["plan"]
    hostile = (
        f'<img src="file:///etc/passwd"> <link rel="stylesheet" href="{target}/"> '
        f"<style>@import url({target}/x.css);</style> ![pw](file:///etc/passwd) ![r]({target}/r.png) "
        f'<iframe src="{target}/f"></iframe> <script>alert(1)</script>'
    )
    plan["title"] = "Plan <b>bold</b> " + hostile[:60]
    for key in plan["narratives"]:
        plan["narratives"][key] = f"Answer for {key}.\n\n{hostile}\n\n[link]({target}/a)"
    plan["current_state"] = hostile
    plan["drivers"][0]["description"] = hostile[:300]
    plan["actions"][0]["title"] = hostile[:200]
    plan["training"][0]["title"] = hostile[:200]
    plan["training"][0]["attendees"][0]["name"] = '<img src="file:///etc/passwd">'
    fetcher = StaticOnlyFetcher()
    data = render_snapshot(snapshot, revision_meta(revision), fetcher=fetcher)
    time.sleep(0.3)
    assert listener.connections == 0
    # Nothing user-written even reached the fetcher: it was escaped or stripped first.
    assert fetcher.refused == []
    assert sorted(set(fetcher.served)) == [
        "oakviewstatic:fonts/Carlito-Bold.ttf",
        "oakviewstatic:fonts/Carlito-BoldItalic.ttf",
        "oakviewstatic:fonts/Carlito-Italic.ttf",
        "oakviewstatic:fonts/Carlito-Regular.ttf",
        "oakviewstatic:fonts/NotoEmoji-Regular.ttf",
        "oakviewstatic:fonts/NotoSansArabic-Regular.ttf",
        "oakviewstatic:fonts/NotoSansHebrew-Regular.ttf",
        "oakviewstatic:pdf/print.css",
    ]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "root:x:0:0" not in text
    # Escaped text is shown as text, the way the pages show it.
    assert '<img src="file:///etc/passwd">' in text.replace("\n", " ")


def test_huge_tables_render_whole(personas):
    """A narrative that is one 1,700-row table and 100 actions render to the end, every row kept.

    How long it takes is a benchmark's business (make bench, docs/performance.md), not a test's.
    """
    revision = approved_revision(personas)
    snapshot = copy.deepcopy(revision.snapshot)
    plan = snapshot["plan"]
    # A narrative at its 30,000-character limit made of one table, and 100 actions.
    narrative = ("| a | b |\n|---|---|\n" + "\n".join(f"| r{i} | {'x' * 8} |" for i in range(1700)))[:30000]
    last_row = narrative.rstrip().splitlines()[-1].split("|")[1].strip()
    plan["narratives"]["planning"] = narrative
    action = plan["actions"][0]
    plan["actions"] = [{**action, "id": i, "title": f"Action {i} " + "word " * 20} for i in range(100)]
    reader = PdfReader(io.BytesIO(render_snapshot(snapshot, revision_meta(revision))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 40
    assert last_row in text.split()
    assert "Action 99" in text
