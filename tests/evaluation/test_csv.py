"""Measurements from a CSV: the reader on its own (encodings, columns, dates, numbers,
duplicates), then the page: a preview with a problem per row, nothing saved until confirmed,
all or nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluation import csv_import
from evaluation.models import Measurement
from plans.models import Plan

from .conftest import set_status


def rows(text, encoding="utf-8"):
    return csv_import.read(text.encode(encoding))


def test_a_plain_export_reads_with_uk_and_iso_dates_and_percent_signs():
    found = rows('Date,Value,Note\n2026-11-02,70,audit\n09/11/2026,71%,\n16 Nov 2026,"1,072.5",big\n')
    assert [(r.date, r.value, r.note) for r in found] == [
        (dt.date(2026, 11, 2), Decimal("70"), "audit"),
        (dt.date(2026, 11, 9), Decimal("71"), ""),
        (dt.date(2026, 11, 16), Decimal("1072.5"), "big"),
    ]
    assert all(r.ok for r in found)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_excel_encodings_read_the_same(encoding):
    (row,) = rows("date;value;note\n2026-11-02;70;Café £5 note\n", encoding)
    assert row.ok and row.note == "Café £5 note"


def test_semicolons_and_tabs_are_found():
    assert rows("date\tvalue\n2026-11-02\t70\n")[0].value == Decimal("70")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"when,how much\n2026-11-02,70\n", "must name a date column and a value column (found: “when”, “how much”)"),
        (b"date,value\n", "no measurements"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(data, message):
    with pytest.raises(csv_import.FileRefused) as e:
        csv_import.read(data)
    assert message in str(e.value)


def test_each_bad_row_says_what_is_wrong():
    found = rows(
        "date,value\n"
        "2026-11-02,70\n"
        "31/02/2026,71\n"  # no such day
        "11/30/2026,72\n"  # month first: not a UK date
        "2026-11-09,seventy\n"
        "2026-11-16,\n"
        ",73\n"
        "2026-11-02,74\n"  # the same date as line 2
        "2026-11-23,70.123\n"
    )
    problems = {r.line: "; ".join(r.errors) for r in found if not r.ok}
    assert problems == {
        3: "“31/02/2026” is not a date (use 2026-12-03 or 03/12/2026)",
        4: "“11/30/2026” is not a date (use 2026-12-03 or 03/12/2026)",
        5: "“seventy” is not a number",
        6: "no value",
        7: "no date",
        8: "the same date as line 2",
        9: "“70.123” has too many digits (at most two decimal places)",
    }


# --- The page ------------------------------------------------------------------------------------


def _upload(client, kpi, text, name="export.csv"):
    return client.post(
        reverse("evaluation:measurement-import", args=[kpi.pk]), {"file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


def test_the_preview_saves_nothing_and_the_confirmation_saves_all(db, personas, plan, framework):
    kpi = framework["notes"]
    client = personas.client(personas.manager)
    before = Measurement.objects.filter(kpi=kpi).count()
    days = [timezone.localdate() - dt.timedelta(days=n) for n in (3, 2, 1)]
    text = "date,value,note\n" + "".join(f"{d.isoformat()},{80 + i},import\n" for i, d in enumerate(days))
    preview = _upload(client, kpi, text)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Preview: 3 rows" in page and "Import 3 measurements" in page
    assert Measurement.objects.filter(kpi=kpi).count() == before
    signed = preview.context["signed"]
    response = client.post(reverse("evaluation:measurement-import", args=[kpi.pk]), {"rows": signed, "confirm": "1"})
    assert response.status_code == 302
    assert Measurement.objects.filter(kpi=kpi).count() == before + 3
    # The same preview confirmed twice: the second is refused whole, nothing doubled.
    again = client.post(reverse("evaluation:measurement-import", args=[kpi.pk]), {"rows": signed, "confirm": "1"})
    assert again.status_code == 400 and "Nothing was imported" in again.content.decode()
    assert Measurement.objects.filter(kpi=kpi).count() == before + 3


def test_a_file_with_any_bad_row_cannot_be_confirmed(db, personas, plan, framework):
    kpi = framework["notes"]
    taken = Measurement.objects.filter(kpi=kpi).first().date
    future = timezone.localdate() + dt.timedelta(days=5)
    text = f"date,value\n{taken.isoformat()},80\n{future.isoformat()},81\n{timezone.localdate().isoformat()},140\n"
    response = _upload(personas.client(personas.manager), kpi, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 with a problem" in page and "Nothing has been imported" in page
    assert "That date already has a measurement" in page and "The date is in the future" in page
    assert "The KPI cannot go above 100" in page
    assert "Import 3" not in page and "signed" not in response.context


def test_a_tampered_or_foreign_preview_is_refused(db, personas, plan, framework):
    client = personas.client(personas.manager)
    response = client.post(
        reverse("evaluation:measurement-import", args=[framework["notes"].pk]), {"rows": "not-signed", "confirm": "1"}
    )
    assert response.status_code == 302
    preview = _upload(client, framework["confidence"], f"date,value\n{timezone.localdate().isoformat()},50\n")
    response = client.post(
        reverse("evaluation:measurement-import", args=[framework["notes"].pk]),
        {"rows": preview.context["signed"], "confirm": "1"},
    )
    assert response.status_code == 403


def test_only_those_who_measure_may_import(db, personas, plan, framework):
    set_status(plan, Plan.Status.IN_PROGRESS)
    url = reverse("evaluation:measurement-import", args=[framework["notes"].pk])
    assert personas.client(personas.staff).get(url).status_code == 200  # its owner
    assert personas.client(personas.approver).get(url).status_code == 403
    assert personas.client(personas.stranger).get(url).status_code == 404


def test_the_export_reads_back_in(db, personas, plan, framework):
    client = personas.client(personas.manager)
    exported = client.get(reverse("evaluation:kpi-csv", args=[framework["notes"].pk])).content
    found = csv_import.read(exported)
    assert [r.value for r in found] == [Decimal("70"), Decimal("62"), Decimal("74"), Decimal("80"), Decimal("84")]
