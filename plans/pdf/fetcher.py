"""The only way WeasyPrint may read anything while rendering a plan.

Plan text is written by users. Even though narratives are sanitised and every other field
is escaped, the renderer must not be able to read a local file (file:///etc/passwd) or
reach a network address (http://127.0.0.1:6379/ would talk to Redis) whatever slips
through. So the fetcher serves the app's own static files, looked up through Django's
staticfiles finders (never over HTTP), and data: URIs. Everything else is refused.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
from functools import lru_cache
from urllib.parse import unquote, unquote_to_bytes

from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import STATIC_SCHEME, static_url  # noqa: F401 - static_url re-exported for callers

_STATIC_TYPES = {
    ".css": "text/css",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# A data: URI bigger than this in a plan is an attack or an accident, not a picture.
MAX_DATA_URI_BYTES = 2 * 1024 * 1024


class FetchRefused(ValueError):
    """WeasyPrint catches this, logs a warning and renders without the resource."""


@lru_cache(maxsize=64)
def _static_bytes(path: str) -> bytes:
    # Static files do not change while a worker runs; fonts are read once per process.
    found = finders.find(path)
    if not found:
        raise FetchRefused(f"No static file {path!r}.")
    with open(found, "rb") as f:
        return f.read()


def _clean_static_path(raw: str) -> str:
    path = unquote(raw.split("?", 1)[0].split("#", 1)[0])
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        raise FetchRefused(f"Bad static path {raw!r}.")
    normal = posixpath.normpath(path)
    if normal != path or normal.startswith("..") or "/../" in f"/{normal}/":
        raise FetchRefused(f"Bad static path {raw!r}.")
    if posixpath.splitext(normal)[1].lower() not in _STATIC_TYPES:
        raise FetchRefused(f"Static file type not served to the PDF: {raw!r}.")
    return normal


def _data_uri(url: str) -> tuple[bytes, str]:
    header, sep, payload = url[len("data:") :].partition(",")
    if not sep:
        raise FetchRefused("Malformed data: URI.")
    if len(payload) > MAX_DATA_URI_BYTES * 2:
        raise FetchRefused("data: URI too large.")
    parts = header.split(";")
    mime = parts[0] or "text/plain"
    data = base64.b64decode(unquote(payload), validate=False) if "base64" in parts[1:] else unquote_to_bytes(payload)
    if len(data) > MAX_DATA_URI_BYTES:
        raise FetchRefused("data: URI too large.")
    return data, mime


class StaticOnlyFetcher(URLFetcher):
    """Serves oakviewstatic: and data: URLs; refuses file:, http(s):, and anything else.

    `served` and `refused` list the URLs asked for, so a test can prove what was (not) read.
    """

    def __init__(self):
        # No handlers are ever used (fetch never calls urllib), but the base class keeps the
        # attributes WeasyPrint reads, e.g. _fail_on_errors.
        super().__init__(timeout=1, allowed_protocols=("oakviewstatic", "data"), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        try:
            response = self._fetch(url)
        except FetchRefused:
            self.refused.append(url)
            raise
        self.served.append(url if not url.startswith("data:") else url[:40])
        return response

    def _fetch(self, url: str) -> URLFetcherResponse:
        lowered = url[:20].lower()
        if lowered.startswith("data:"):
            data, mime = _data_uri(url)
            return URLFetcherResponse(url, data, {"Content-Type": mime})
        if lowered.startswith(STATIC_SCHEME):
            path = _clean_static_path(url[len(STATIC_SCHEME) :])
            kind = _STATIC_TYPES.get(posixpath.splitext(path)[1].lower()) or mimetypes.guess_type(path)[0]
            return URLFetcherResponse(url, _static_bytes(path), {"Content-Type": kind or "application/octet-stream"})
        raise FetchRefused(f"The PDF may not fetch {url[:200]!r}.")
