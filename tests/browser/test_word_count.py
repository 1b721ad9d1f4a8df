"""The live word count while a manager types is the count the server saves and checks
against the guide: one rule (plans.snapshot.text.WORD_PATTERN), in Python and in the browser."""

import pytest
from playwright.sync_api import expect

from oakview.core.models import Role
from plans.models import Plan
from plans.snapshot.text import word_count
from tests.factories import CareHomeFactory, PlanFactory, member

from .conftest import serious_axe_violations, sign_in

# Markdown markers, a list, a link, a table, hyphens, curly and straight apostrophes, accents,
# numbers and stray punctuation: everything a naive split on spaces counts differently.
TEXT = (
    "## Why we are changing\n\n"
    "**Three** near-misses last quarter — all from *hand-written* notes.\n\n"
    "- Staff’s confidence: 40% (baseline)\n"
    "- The café's rota isn't affected\n"
    "1. See [the audit](https://example.org/audit) & the CQC report\n\n"
    "| Unit | Residents |\n| --- | --- |\n| Rowan | 10 |\n\n"
    "> A quote -- with dashes -- and ... dots\n"
)


@pytest.fixture
def plan(transactional_db):
    home = CareHomeFactory(name="Oak View")
    manager = member(home, Role.MANAGER, "manager", first_name="Sarah", last_name="Okafor")
    return PlanFactory(home=home, author=manager, title="Going digital at Oak View")


def test_the_count_on_screen_while_typing_is_the_count_saved(page, live_server, plan):
    expected = word_count(TEXT)
    assert expected != len(TEXT.split())  # the naive count would be wrong here

    sign_in(page, live_server, "manager")
    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/need/edit/")
    area = page.get_by_label("Narrative: Analysis of Need (Markdown)")
    area.fill(TEXT)
    expect(page.locator("#word-count-need")).to_have_text(f"{expected} words")
    assert serious_axe_violations(page) == []

    page.get_by_role("button", name="Save").click()
    saved = Plan.objects.get(pk=plan.pk).narrative_need
    assert word_count(saved) == expected
    # Saved, the section's page says the same number.
    expect(page.locator("main")).to_contain_text(f"{expected} words in this section (guide")

    # Reopened, the editor shows the same number before a key is pressed.
    page.goto(f"{live_server.url}/plans/{plan.pk}/sections/need/edit/")
    expect(page.locator("#word-count-need")).to_have_text(f"{expected} words")
