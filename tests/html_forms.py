"""Read a form out of a page as a browser would, and fill what a person must fill in.

form = page_form(response.content.decode(), action="/plans/3/action/new/")
data = form.filled(date="2027-01-12")   # what pressing the button would send
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Control:
    tag: str
    type: str
    name: str
    value: str
    required: bool
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    multiple: bool = False


@dataclass
class PageForm:
    action: str
    method: str
    controls: list[Control]
    attrs: dict[str, str]

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.controls}

    def filled(self, *, date: str = "2027-01-12", **overrides: Any) -> dict[str, Any]:
        """The posted data: defaults as shown, required blanks filled with plausible values."""
        data: dict[str, Any] = {}
        radios: dict[str, list[Control]] = {}
        for c in self.controls:
            if c.type in ("submit", "button", "reset", "file"):
                continue
            if c.type == "radio":
                radios.setdefault(c.name, []).append(c)
            elif c.type == "checkbox":
                if c.checked:
                    data.setdefault(c.name, []).append(c.value or "on")
            elif c.tag == "select":
                chosen = [v for v, selected in c.options if selected]
                if not chosen and not c.multiple:
                    chosen = [v for v, _ in c.options][:1]  # a browser sends the first option
                if chosen == [""] and c.required:
                    chosen = [v for v, _ in c.options if v][:1]  # a person picks one
                if chosen:
                    data[c.name] = chosen if c.multiple else chosen[0]
            else:
                value = c.value
                if not value and c.required:
                    value = {"date": date, "datetime-local": f"{date}T09:00", "number": "1", "email": "a@example.org"}.get(
                        c.type, "Filled in by the test"
                    )
                if value:
                    data[c.name] = value
        for name, group in radios.items():
            checked = [c.value for c in group if c.checked] or [group[0].value]
            data[name] = checked[0]
        for name, value in overrides.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: Control | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "form":
            self._form = PageForm(
                action=attrs.get("action", ""), method=attrs.get("method", "get").lower(), controls=[], attrs=attrs
            )
            self.forms.append(self._form)
            return
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        required = "required" in attrs
        if tag == "input":
            self._form.controls.append(
                Control(
                    "input",
                    attrs.get("type", "text").lower(),
                    attrs["name"],
                    attrs.get("value", ""),
                    required,
                    "checked" in attrs,
                )
            )
        elif tag == "select":
            self._select = Control("select", "select", attrs["name"], "", required, multiple="multiple" in attrs)
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value", ""), "selected" in attrs)
            self._option_text = ""
            if "value" in attrs:
                self._select.options.append(self._option)
                self._option = None
        elif tag == "textarea":
            self._textarea = Control("textarea", "textarea", attrs["name"], "", required)
            self._form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None
        elif tag == "option" and self._option is not None and self._select is not None:
            self._select.options.append((self._option_text.strip(), self._option[1]))
            self._option = None


def page_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def page_form(html: str, *, action: str) -> PageForm:
    found = [f for f in page_forms(html) if f.method == "post" and action in (f.action, f.attrs.get("hx-post"))]
    # A form without an action posts to its own page; the page's main form has a token or a version.
    found = found or [
        f for f in page_forms(html) if f.method == "post" and f.action == "" and f.names & {"form_token", "version"}
    ]
    assert found, f"no form posting to {action}"
    return found[0]
