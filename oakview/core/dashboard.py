"""Dashboard panels contributed by apps, so core does not import them.

An app registers a function from its AppConfig.ready(): it takes the request and the
user's {home_id: role} map and returns a Panel, or None when it has nothing to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PanelFn = Callable[[HttpRequest, dict[int, str]], "Panel | None"]
_panels: list[PanelFn] = []


def register_panel(fn: PanelFn) -> PanelFn:
    if fn not in _panels:
        _panels.append(fn)
    return fn


def panels_for(request: HttpRequest, roles: dict[int, str]) -> list[Panel]:
    found = [p for fn in _panels if (p := fn(request, roles)) is not None]
    return sorted(found, key=lambda p: p.order)
