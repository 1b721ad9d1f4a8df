"""The evaluation's pages (pages) and its CSV import and export (exports)."""
