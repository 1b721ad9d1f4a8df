"""The PDF of an approved revision. Nothing here imports WeasyPrint at module level:
`import weasyprint` costs about half a second and must stay out of web start-up."""

# Templates refer to static files as oakviewstatic:fonts/Carlito-Regular.ttf. A scheme of
# our own rather than /static/...: no base URL is set, so relative URLs resolve to nothing,
# and plans.pdf.fetcher maps this scheme (and nothing but data:) to files on disk. Letters
# only: Django's manifest storage recognises a URL scheme by ^[a-z]+: and would otherwise
# try to hash "oakview-static:..." as a relative path, failing collectstatic.
STATIC_SCHEME = "oakviewstatic:"


def static_url(path: str) -> str:
    return f"{STATIC_SCHEME}{path}"
