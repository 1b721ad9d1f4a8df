"""Export pages per persona: manager exports; manager, approver, viewer download; staff 403;
strangers 404; anonymous to the login page. htmx polls while a job runs and stops after."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from plans.access import get_plan_for_user
from plans.models import PlanExport, PlanRevision
from tests.factories import PlanFactory

from .pdf_fixtures import approved_revision, submitted_revision


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def revision(personas):
    return approved_revision(personas)


@pytest.fixture
def done_export(personas, revision):
    # A stored file stands in for a render here (rendering is tested in test_pdf_*): the
    # permission tests only need a finished export and its bytes.

    data = b"%PDF-1.7\n% stored export for the permission tests\n%%EOF\n"
    export = PlanExport(
        revision=revision,
        requested_by=personas.manager,
        status=PlanExport.Status.DONE,
        template_version=1,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        page_count=1,
    )
    export.file.save("exports/test/plan.pdf", ContentFile(data), save=True)
    return export


def urls(revision):
    base = f"/plans/{revision.plan_id}/revisions/{revision.number}"
    return f"{base}/exports/", f"{base}/export/"


@pytest.mark.parametrize(
    "who, status",
    [("manager", 200), ("approver", 200), ("viewer", 200), ("staff", 403), ("stranger", 404)],
)
def test_download_per_persona(personas, done_export, who, status):
    response = personas.client(getattr(personas, who)).get(f"/exports/{done_export.pk}/download/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "oak-view-digital-care-records-r1.pdf" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
        body = b"".join(response.streaming_content)
        assert body.startswith(b"%PDF") and len(body) == done_export.size


def test_download_needs_sign_in_and_media_is_not_served_by_url(personas, done_export, client):
    response = client.get(f"/exports/{done_export.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    manager = personas.client(personas.manager)
    assert manager.get("/media/" + done_export.file.name).status_code == 404
    assert manager.get("/media-not-served/" + done_export.file.name).status_code == 404


def test_unknown_or_unfinished_exports_are_not_found(personas, revision):
    queued = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    manager = personas.client(personas.manager)
    assert manager.get(f"/exports/{queued.pk}/download/").status_code == 404
    assert manager.get("/exports/999999/download/").status_code == 404


@pytest.mark.parametrize(
    "who, status",
    [("manager", 200), ("approver", 200), ("viewer", 200), ("staff", 403), ("stranger", 404)],
)
def test_export_panel_per_persona(personas, done_export, revision, who, status):
    panel, _ = urls(revision)
    response = personas.client(getattr(personas, who)).get(panel)
    assert response.status_code == status
    if status == 200:
        assert "Download the PDF" in response.text
        assert done_export.sha256 in response.text
        assert "Sarah Okafor" in response.text  # who asked
        assert ("Export PDF</button>" in response.text) == (who == "manager")


@pytest.mark.parametrize("who, status", [("approver", 403), ("viewer", 403), ("staff", 403), ("stranger", 404)])
def test_only_the_manager_may_start_an_export(personas, revision, who, status):
    _, export_url = urls(revision)
    assert personas.client(getattr(personas, who)).post(export_url).status_code == status
    assert not PlanExport.objects.exists()


def test_anonymous_export_goes_to_sign_in(client, revision):
    panel, export_url = urls(revision)
    for response in (client.get(panel), client.post(export_url)):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_export_is_a_post_only(personas, revision):
    _, export_url = urls(revision)
    assert personas.client(personas.manager).get(export_url).status_code == 405


@pytest.mark.django_db(transaction=True)  # the job is handed over after a real commit
def test_manager_exports_with_a_plain_form_post(personas, revision):
    panel, export_url = urls(revision)
    response = personas.client(personas.manager).post(export_url, follow=True)
    assert response.redirect_chain[-1][0] == panel
    export = PlanExport.objects.get()
    assert export.status == PlanExport.Status.DONE  # in-process: no broker configured in tests
    assert "The PDF is ready to download." in response.text or "Export started" in response.text
    assert f"/exports/{export.pk}/download/" in response.text


def test_htmx_panel_polls_while_queued_and_stops_when_done(personas, revision):
    panel, _ = urls(revision)
    manager = personas.client(personas.manager)
    export = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    response = manager.get(panel, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text  # a fragment
    assert 'hx-trigger="every 2s"' in response.text and "Queued" in response.text
    PlanExport.objects.filter(pk=export.pk).update(status="rendering")
    response = manager.get(panel, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in response.text and "Rendering" in response.text
    PlanExport.objects.filter(pk=export.pk).update(status="failed", error="Rendering took too long and was stopped.")
    response = manager.get(panel, headers={"HX-Request": "true"})
    assert "every 2s" not in response.text
    assert "Export failed: Rendering took too long and was stopped." in response.text


@pytest.mark.django_db(transaction=True)  # the job is handed over after a real commit
def test_htmx_export_returns_the_panel(personas, revision):
    _, export_url = urls(revision)
    response = personas.client(personas.manager).post(export_url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="revision-exports"' in response.text and "Download the PDF" in response.text


def test_exporting_an_unapproved_revision_is_refused_with_a_message(personas):
    revision = submitted_revision(personas)
    panel, export_url = urls(revision)
    manager = personas.client(personas.manager)
    response = manager.post(export_url)
    assert response.status_code == 400
    assert "Only an approved revision can be exported. Revision 1 is awaiting review." in response.text
    assert not PlanExport.objects.exists()
    page = manager.get(panel)
    assert "Export PDF</button>" not in page.text


def test_revision_page_fragment_loads_the_panel(personas, revision):
    plan = get_plan_for_user(personas.manager, revision.plan_id)
    html = render_to_string("plans/_revision_export_panel.html", {"plan": plan, "revision": revision})
    panel, _ = urls(revision)
    assert f'hx-get="{panel}"' in html and 'hx-trigger="load"' in html
    assert f'href="{panel}"' in html  # works without JavaScript
    staff_plan = get_plan_for_user(personas.staff, revision.plan_id)
    assert "hx-get" not in render_to_string("plans/_revision_export_panel.html", {"plan": staff_plan, "revision": revision})


# --- The export_plan command ----------------------------------------------------------------


def test_export_plan_command_writes_the_latest_approved_revision(personas, revision, tmp_path, capsys):
    out = tmp_path / "plan.pdf"
    call_command("export_plan", str(revision.plan_id), "--output", str(out))
    printed = capsys.readouterr().out
    data = out.read_bytes()

    assert data.startswith(b"%PDF")
    assert f"Pages: {len(PdfReader(io.BytesIO(data)).pages)}" in printed
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in printed


def test_export_plan_command_refuses_drafts_and_unapproved_revisions(personas, tmp_path):
    revision = submitted_revision(personas)
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="has no approved revision yet"):
        call_command("export_plan", str(revision.plan_id), "--output", out)
    with pytest.raises(CommandError, match="Revision 1 of plan .* is awaiting review: only an approved revision"):
        call_command("export_plan", str(revision.plan_id), "--revision", "1", "--output", out)

    draft = PlanFactory(home=personas.home, author=personas.manager)
    with pytest.raises(CommandError, match="is a draft with no submitted revision"):
        call_command("export_plan", str(draft.pk), "--output", out)
    with pytest.raises(CommandError, match="There is no plan 999999"):
        call_command("export_plan", "999999", "--output", out)
    assert not (tmp_path / "x.pdf").exists()
    assert PlanRevision.objects.count() == 1


def test_a_stalled_export_says_so(personas, revision):
    export = PlanExport.objects.create(revision=revision, requested_by=personas.manager, template_version=1)
    panel, _ = urls(revision)
    manager = personas.client(personas.manager)
    assert "taking longer than it should" not in manager.get(panel).text
    PlanExport.objects.filter(pk=export.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=10))
    response = manager.get(panel)
    assert "Queued" in response.text and "check that the Celery worker is running" in response.text
