import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from oakview.core.models import CareHome, Framework, Membership, Standard, User


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_creates_homes_and_people_and_is_idempotent(django_user_model):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (CareHome.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (CareHome.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    oak = CareHome.objects.get(name="Oak View")
    assert oak.beds == 40 and oak.regulator == "cqc"
    roles = dict(
        Membership.objects.filter(home=oak).exclude(user__username__startswith="carer").values_list("user__username", "role")
    )
    # The rest of the care team is on the rota (and in training) but cannot sign in.
    carers = User.objects.filter(username__startswith="carer", memberships__home=oak, memberships__role="staff")
    assert carers.count() == 29 and not any(c.has_usable_password() for c in carers)
    assert roles == {
        "manager": "manager",
        "approver": "approver",
        "staff1": "staff",
        "staff2": "staff",
        "staff3": "staff",
        "viewer": "viewer",
    }
    assert Membership.objects.get(user__username="manager2").home.name == "Beech House"
    assert User.objects.get(username="staff2").check_password("oakview-demo")


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_in_production_without_force():
    with pytest.raises(CommandError, match="DEBUG is false"):
        call_command("seed_demo")
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    assert User.objects.filter(username="manager").exists()


@pytest.mark.django_db
def test_standards_reference_data_is_shipped():
    regs = Standard.objects.filter(framework__code="cqc-fundamental-standards")
    assert [s.code for s in regs] == [
        "Reg 9",
        "Reg 9A",
        "Reg 10",
        "Reg 11",
        "Reg 12",
        "Reg 13",
        "Reg 14",
        "Reg 15",
        "Reg 16",
        "Reg 17",
        "Reg 18",
        "Reg 19",
        "Reg 20",
        "Reg 20A",
    ]
    assert regs.get(code="Reg 17").title == "Good governance"
    statements = Standard.objects.filter(framework__code="cqc-quality-statements")
    per_question = {g: statements.filter(group=g).count() for g in ["Safe", "Effective", "Caring", "Responsive", "Well-led"]}
    assert per_question == {"Safe": 8, "Effective": 6, "Caring": 5, "Responsive": 7, "Well-led": 8}
    assert Framework.objects.get(code="cqc-quality-statements").version == "2024"
    assert Standard.objects.filter(framework__code="hscs").count() == 5
    assert set(Standard.objects.filter(framework__code="nos-lmcs").values_list("code", flat=True)) == {"SCDLMCA2", "SCDLMCE5"}


@pytest.mark.django_db
def test_load_standards_is_idempotent():
    before = Standard.objects.count()
    call_command("load_standards", stdout=open("/dev/null", "w"))
    assert Standard.objects.count() == before
