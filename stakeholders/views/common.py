"""What the stakeholder views share: refusing changes to a locked plan, showing a service's
errors on the form, the one form page, the confirmation page and pagination."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from oakview.core.forms import add_validation_errors
from oakview.core.http import AuthedRequest
from oakview.core.locking import StaleEdit
from oakview.core.once import AlreadySent, create_once
from plans.models import Plan

from .. import services

PAGE_SIZE = 25


def url_with(name: str, plan_id: int, anchor: str = "", **params) -> str:
    url = reverse(name, args=[plan_id])
    if params:
        url += "?" + urlencode(params)
    return url + (f"#{anchor}" if anchor else "")


def locked(request: AuthedRequest, plan: Plan, back: str) -> HttpResponse:
    messages.error(request, str(services.PlanLocked(plan)))
    return HttpResponseClientRedirect(back) if request.htmx else redirect(back)


T = TypeVar("T")


def attempt(form: Any, call: Callable[[], T]) -> T | None:
    """Run a service; on bad input, a stale version or a form sent twice put the message on
    the form and return None (PlanLocked propagates: the caller redirects with the reason)."""
    try:
        return create_once(form, call)  # a create form's one-time token
    except AlreadySent as e:
        # The same form sent twice (a double click): the first saved it; say so, add nothing.
        form.add_error(None, str(e))
    except StaleEdit:
        form.add_stale_error()
    except ValidationError as e:
        add_validation_errors(form, e)
    return None


def form_page(
    request: AuthedRequest,
    *,
    plan: Plan,
    form,
    save: Callable[[], T],
    back: str,
    success: Callable[[T], str],
    title: str,
    template: str = "stakeholders/row_form.html",
    extra: dict | None = None,
) -> HttpResponse:
    """A plain add or edit page: GET shows the form, a good POST saves and goes back, a bad
    one shows the messages beside the fields with everything typed kept (status 400)."""
    if not plan.can_edit_content():
        return locked(request, plan, back)
    if request.method == "POST" and form.is_valid():
        try:
            result = attempt(form, save)
        except services.PlanLocked:
            return locked(request, plan, back)
        if result is not None:
            messages.success(request, success(result))
            return redirect(back)
    context = {"plan": plan, "form": form, "title": title, "back": back, **(extra or {})}
    return render(request, template, context, status=400 if form.is_bound else 200)


def confirm_delete(
    request: AuthedRequest, *, plan: Plan, what: str, name: str, consequences: str, delete: Callable[[], None], back: str
) -> HttpResponse:
    """A GET shows what will go; the POST deletes."""
    if not plan.can_edit_content():
        return locked(request, plan, back)
    if request.method == "POST":
        try:
            delete()
        except services.PlanLocked:
            return locked(request, plan, back)
        messages.success(request, f"Deleted {what} “{name}”.")
        return redirect(back)
    return render(
        request,
        "stakeholders/confirm_delete.html",
        {"plan": plan, "what": what, "name": name, "consequences": consequences, "back": back},
    )


def paginate(request: AuthedRequest, rows, *, param: str = "page") -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


def page_query(request: AuthedRequest, param: str = "page") -> str:
    """The current filters without the page number, for the pager's links."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


def plain_get(request: AuthedRequest) -> AuthedRequest:
    """After an htmx save the page is shown unfiltered: what was just added might not match
    the filters, and a manager who cannot see it would add it again."""
    request.GET = QueryDict()  # empty, and immutable like Django's own
    return request
