"""Dashboard and admin for every persona; helpers give 404 outside your homes, 403 for roles."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client

from oakview.core.access import get_home_for_user, require_role
from oakview.core.models import Membership, Role
from plans.access import get_plan_for_user
from tests.factories import PlanFactory, UserFactory


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["manager", "approver", "staff", "viewer"])
def test_each_role_sees_its_home_on_the_dashboard(personas, who):
    response = personas.client(getattr(personas, who)).get("/")
    assert response.status_code == 200
    assert "Oak View" in response.text
    assert "Beech House" not in response.text


def test_stranger_sees_only_their_own_home(personas):
    PlanFactory(home=personas.home, title="Oak View digital care plans", author=personas.manager)
    response = personas.client(personas.stranger).get("/")
    assert "Beech House" in response.text
    assert "Oak View" not in response.text


def test_user_without_a_home_is_told_what_to_do(db):

    c = Client()
    c.force_login(UserFactory(username="newcomer"))
    response = c.get("/")
    assert "not a member of any care home yet" in response.text


def test_manager_sees_create_prompt_and_staff_do_not(personas):
    manager_page = personas.client(personas.manager).get("/").text
    staff_page = personas.client(personas.staff).get("/").text
    assert "No change plans yet" in manager_page
    assert "Change plans" not in staff_page  # staff get their actions, not the plan list panel
    assert "My actions" in staff_page


@pytest.mark.parametrize("who", ["manager", "approver", "staff", "viewer", "stranger"])
def test_admin_is_closed_to_every_home_role(personas, who):
    response = personas.client(getattr(personas, who)).get("/admin/core/carehome/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_superuser_reaches_the_admin(personas, operator_client):
    response = operator_client.get("/admin/core/carehome/")
    assert response.status_code == 200
    assert "Oak View" in response.text and "Beech House" in response.text


def test_plan_helper_404_outside_home_and_403_for_read_only_roles(personas):
    plan = PlanFactory(home=personas.home, author=personas.manager)
    with pytest.raises(Http404):
        get_plan_for_user(personas.stranger, plan.pk)
    for reader in (personas.approver, personas.staff, personas.viewer):
        assert get_plan_for_user(reader, plan.pk) == plan
        with pytest.raises(PermissionDenied):
            get_plan_for_user(reader, plan.pk, write=True)
    assert get_plan_for_user(personas.manager, plan.pk, write=True) == plan
    with pytest.raises(Http404):
        get_plan_for_user(personas.manager, 999999)


def test_home_helper(personas):
    assert get_home_for_user(personas.staff, personas.home.pk) == personas.home
    with pytest.raises(Http404):
        get_home_for_user(personas.stranger, personas.home.pk)
    with pytest.raises(PermissionDenied):
        require_role(personas.staff, personas.home.pk, [Role.MANAGER])


def test_membership_is_one_per_user_per_home(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=personas.staff, home=personas.home, role=Role.VIEWER)


def test_a_user_can_belong_to_several_homes(personas):
    Membership.objects.create(user=personas.approver, home=personas.other_home, role=Role.APPROVER)
    page = personas.client(personas.approver).get("/").text
    assert "Oak View" in page and "Beech House" in page
