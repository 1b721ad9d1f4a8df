"""What every page's base template needs from the plan parts."""

from __future__ import annotations

from django.http import HttpRequest

from plans.parts import part_stylesheets


def parts(request: HttpRequest) -> dict[str, list[str]]:
    """The stylesheets the parts' panels and blocks need, linked once in <head> (strict CSP:
    no style in the fragments themselves)."""
    return {"part_stylesheets": part_stylesheets()}
