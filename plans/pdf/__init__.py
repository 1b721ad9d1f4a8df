"""The PDF of an approved revision. Nothing here imports WeasyPrint at module level:
`import weasyprint` costs about half a second and must stay out of web start-up."""
