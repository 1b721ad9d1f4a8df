"""Every admin page an operator can reach renders with the demo loaded."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from plans.models import Plan
from tests.factories import PlanFactory


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_every_admin_changelist_and_change_page_renders(operator_client):
    client = operator_client
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
        obj = model._default_manager.first()
        if obj is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_admin_never_offers_to_delete_a_submitted_plan(operator_client):
    client = operator_client
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    submitted = Plan.objects.get(home__name="Oak View")
    response = client.get(reverse("admin:plans_plan_delete", args=[submitted.pk]))
    assert response.status_code == 403
    draft = PlanFactory(home=submitted.home, author=submitted.author)
    response = client.post(reverse("admin:plans_plan_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Plan.objects.filter(pk=draft.pk).exists()
