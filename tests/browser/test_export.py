"""The manager exports an approved revision from its page, watches the status change and
downloads the PDF; a real Celery worker on Redis renders it."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

import plans.tasks  # noqa: F401 - registered before the test worker starts, as autodiscovery does for the real one
from plans.models import PlanExport
from tests.plans.pdf_fixtures import approved_revision
from tests.services import require_redis

from .conftest import serious_axe_violations, sign_in


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.redis
def test_manager_exports_watches_progress_and_downloads_the_pdf(page, live_server, redis_worker, personas):
    require_redis()
    revision = approved_revision(personas)
    sign_in(page, live_server, personas.manager.username)
    page.goto(f"{live_server.url}/plans/{revision.plan_id}/revisions/1/")

    panel = page.locator("#revision-exports")
    expect(panel).to_be_visible()  # loaded into the revision page by htmx
    expect(panel).to_contain_text("No PDF has been exported from this revision yet.")
    page.get_by_role("button", name="Export PDF").click()

    # The worker takes it: the panel shows the job in progress, then the download link.
    expect(panel.get_by_role("status")).to_contain_text(re.compile(r"Queued|Rendering"))
    expect(page.get_by_role("button", name="Export PDF")).to_be_disabled()
    download_link = panel.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible(timeout=60_000)
    export = PlanExport.objects.get()
    assert export.status == "done"
    expect(panel.locator("code.sha256").first).to_have_text(export.sha256)
    # Polling stopped: the finished panel carries no trigger.
    assert panel.get_attribute("hx-trigger") is None

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "oak-view-digital-care-records-r1.pdf"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == export.page_count
    assert "1. Analysis of Need" in "".join(p.extract_text() for p in reader.pages[3:5])

    assert serious_axe_violations(page) == []
