"""The PDF of an approved revision. Nothing here imports WeasyPrint at module level:
`import weasyprint` costs about half a second and must stay out of web start-up."""

# Templates refer to static files as oakview-static:fonts/Carlito-Regular.ttf. A scheme of
# our own rather than /static/...: no base URL is set, so relative URLs resolve to nothing,
# and plans.pdf.fetcher maps this scheme (and nothing but data:) to files on disk.
STATIC_SCHEME = "oakview-static:"


def static_url(path: str) -> str:
    return f"{STATIC_SCHEME}{path}"
