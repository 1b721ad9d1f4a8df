"""The Oak View demo: homes and people. The plan and its parts' content come after, from
plans' seed_demo command (plans.demo)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .models import CareHome, Membership, Role, User

DEMO_PASSWORD = "oakview-demo"

# (username, first, last, role, job title) at Oak View
OAK_VIEW_PEOPLE = [
    ("manager", "Sarah", "Okafor", Role.MANAGER, "Registered Manager"),
    ("approver", "David", "Hughes", Role.APPROVER, "Operations Director"),
    ("staff1", "Priya", "Sharma", Role.STAFF, "Senior Carer, digital champion"),
    ("staff2", "Tom", "Walsh", Role.STAFF, "Care Assistant"),
    ("staff3", "Margaret", "Bell", Role.STAFF, "Night Care Assistant"),
    ("viewer", "Helen", "Price", Role.VIEWER, "Quality assessor"),
]
# The rest of Oak View's care team: on the rota and in the training schedule, so the demo's
# sessions cover all 32 care staff (with staff1-3), but with no password: they cannot sign in.
# (username, first, last, job title); the last seven work nights, like Margaret Bell (staff3).
CARE_TEAM = [
    (f"carer{n:02d}", first, last, job)
    for n, (first, last, job) in enumerate(
        [
            ("Amara", "Osei", "Senior Carer"),
            ("Ben", "Clarke", "Care Assistant"),
            ("Chloe", "Evans", "Care Assistant"),
            ("Daniel", "Hughes-Ward", "Care Assistant"),
            ("Ewa", "Nowak", "Senior Carer"),
            ("Faith", "Adeyemi", "Care Assistant"),
            ("George", "Patel", "Care Assistant"),
            ("Hannah", "Lewis", "Care Assistant"),
            ("Imran", "Khan", "Care Assistant"),
            ("Jade", "Robinson", "Senior Carer"),
            ("Kofi", "Mensah", "Care Assistant"),
            ("Lucy", "Wright", "Care Assistant"),
            ("Maria", "Santos", "Care Assistant"),
            ("Nathan", "Hall", "Care Assistant"),
            ("Olivia", "Green", "Care Assistant"),
            ("Paul", "Murphy", "Senior Carer"),
            ("Rosa", "Fernandes", "Care Assistant"),
            ("Sam", "Turner", "Care Assistant"),
            ("Grace", "Mwangi", "Care Assistant"),
            ("Alan", "Baker", "Care Assistant"),
            ("Beata", "Kowalska", "Care Assistant"),
            ("Ruth", "Ellis", "Night Senior Carer"),
            ("Joseph", "Okoro", "Night Care Assistant"),
            ("Lily", "Chen", "Night Care Assistant"),
            ("Mark", "Davies", "Night Care Assistant"),
            ("Nadia", "Rahman", "Night Care Assistant"),
            ("Peter", "Wood", "Night Care Assistant"),
            ("Zainab", "Ali", "Night Care Assistant"),
            ("Tomasz", "Lis", "Care Assistant"),
        ],
        start=4,
    )
]
NIGHT_TEAM = ["staff3", *(username for username, *_rest, job in CARE_TEAM if job.startswith("Night"))]

BEECH_HOUSE_PEOPLE = [
    ("manager2", "James", "Reid", Role.MANAGER, "Registered Manager"),
]


@dataclass
class DemoContext:
    oak_view: CareHome
    beech_house: CareHome
    users: dict[str, User] = field(default_factory=dict)
    stdout: Any = None  # the command's OutputWrapper, or None for silence

    def say(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)


def _person(username: str, first: str, last: str) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@oakview.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people() -> DemoContext:
    oak_view, _ = CareHome.objects.get_or_create(
        name="Oak View",
        defaults={
            "beds": 40,
            "regulator": CareHome.Regulator.CQC,
            "location_id": "1-000000001",
            # 36 residents x 2.5 h assessed dependency = 90 h required; rota covers 96 h.
            "required_care_hours_per_day": Decimal("90"),
            "rostered_care_hours_per_day": Decimal("96"),
        },
    )
    beech_house, _ = CareHome.objects.get_or_create(
        name="Beech House",
        defaults={
            "beds": 28,
            "regulator": CareHome.Regulator.CQC,
            "location_id": "1-000000002",
            "required_care_hours_per_day": Decimal("64"),
            "rostered_care_hours_per_day": Decimal("68"),
        },
    )
    ctx = DemoContext(oak_view=oak_view, beech_house=beech_house)
    for home, people in ((oak_view, OAK_VIEW_PEOPLE), (beech_house, BEECH_HOUSE_PEOPLE)):
        for username, first, last, role, job in people:
            user = _person(username, first, last)
            Membership.objects.get_or_create(user=user, home=home, defaults={"role": role, "job_title": job})
            ctx.users[username] = user
    for username, first, last, job in CARE_TEAM:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@oakview.invalid"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, home=oak_view, defaults={"role": Role.STAFF, "job_title": job})
        ctx.users[username] = user
    return ctx
