"""Standards reference data shipped with Oakview.

Titles and codes are the official ones; summaries are our own plain-English wording.
Loaded by migration core.0002 and by `manage.py load_standards` (idempotent, for updates).
When a regulator publishes a new framework version, add a new entry with current=True and
mark the old one current=False: plans tagged against the old version keep their tags.
"""

from __future__ import annotations

# Each framework's "citation" is its full reference, as the PDF's references list prints it
# (read from here by framework code; not stored in the database).
FRAMEWORKS: list[dict] = [
    {
        "code": "cqc-fundamental-standards",
        "version": "2014",
        "name": "CQC Fundamental Standards",
        "jurisdiction": "England",
        "description": (
            "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, "
            "regulations 9 to 20A. Registered providers must meet all of them."
        ),
        "citation": (
            "The Health and Social Care Act 2008 (Regulated Activities) Regulations 2014 (SI 2014/2936), "
            "Part 3, regulations 9 to 20A: the fundamental standards the Care Quality Commission regulates against"
        ),
        "standards": [
            (
                "Reg 9",
                "Person-centred care",
                "",
                "Care is planned around each person's assessed needs and wishes, and they take part in planning and reviewing it.",
            ),
            (
                "Reg 9A",
                "Visiting and accompanying in care homes, hospitals and hospices",
                "",
                "Residents are helped to receive visitors and to go out; this is restricted only in exceptional circumstances (in force from April 2024).",
            ),
            (
                "Reg 10",
                "Dignity and respect",
                "",
                "People are treated with dignity: their privacy, independence and protected characteristics are respected.",
            ),
            (
                "Reg 11",
                "Need for consent",
                "",
                "Care is given only with the person's consent, applying the Mental Capacity Act 2005 where they lack capacity.",
            ),
            (
                "Reg 12",
                "Safe care and treatment",
                "",
                "Risks to people are assessed and reduced: competent staff, safe premises and equipment, medicines, infection control and safe transfers.",
            ),
            (
                "Reg 13",
                "Safeguarding service users from abuse and improper treatment",
                "",
                "Abuse and neglect are prevented and acted on; no unlawful restraint or deprivation of liberty.",
            ),
            (
                "Reg 14",
                "Meeting nutritional and hydration needs",
                "",
                "People get enough suitable food and drink, with the support they need to eat and drink.",
            ),
            (
                "Reg 15",
                "Premises and equipment",
                "",
                "The building and equipment are clean, secure, suitable for their use and properly maintained.",
            ),
            (
                "Reg 16",
                "Receiving and acting on complaints",
                "",
                "There is an accessible way to complain, and complaints are investigated and acted on.",
            ),
            (
                "Reg 17",
                "Good governance",
                "",
                "The provider runs systems to check and improve quality and safety, and keeps an accurate, complete and contemporaneous record for each person. The central regulation for a move to digital care records.",
            ),
            (
                "Reg 18",
                "Staffing",
                "",
                "There are enough suitably qualified, competent and experienced staff, who get the training, supervision and appraisal they need.",
            ),
            (
                "Reg 19",
                "Fit and proper persons employed",
                "",
                "Staff are of good character and have the skills for the role, checked through safe recruitment.",
            ),
            (
                "Reg 20",
                "Duty of candour",
                "",
                "The provider is open with people; after a notifiable safety incident it tells them, apologises and follows up in writing.",
            ),
            (
                "Reg 20A",
                "Requirement as to display of performance assessments",
                "",
                "The latest CQC rating is displayed at the premises and on the provider's website.",
            ),
        ],
    },
    {
        "code": "cqc-quality-statements",
        "version": "2024",
        "name": "CQC quality statements (single assessment framework)",
        "jurisdiction": "England",
        "description": (
            "The 34 quality statements under the five key questions. CQC is replacing them "
            "with sector-specific assessment questions following its 2025 consultation."
        ),
        "citation": "Care Quality Commission (2024), Single assessment framework: quality statements (adult social care)",
        "standards": [
            *[
                (f"Safe {i}", title, "Safe", "")
                for i, title in enumerate(
                    [
                        "Learning culture",
                        "Safe systems, pathways and transitions",
                        "Safeguarding",
                        "Involving people to manage risks",
                        "Safe environments",
                        "Safe and effective staffing",
                        "Infection prevention and control",
                        "Medicines optimisation",
                    ],
                    start=1,
                )
            ],
            *[
                (f"Effective {i}", title, "Effective", "")
                for i, title in enumerate(
                    [
                        "Assessing needs",
                        "Delivering evidence-based care and treatment",
                        "How staff, teams and services work together",
                        "Supporting people to live healthier lives",
                        "Monitoring and improving outcomes",
                        "Consent to care and treatment",
                    ],
                    start=1,
                )
            ],
            *[
                (f"Caring {i}", title, "Caring", "")
                for i, title in enumerate(
                    [
                        "Kindness, compassion and dignity",
                        "Treating people as individuals",
                        "Independence, choice and control",
                        "Responding to people's immediate needs",
                        "Workforce wellbeing and enablement",
                    ],
                    start=1,
                )
            ],
            *[
                (f"Responsive {i}", title, "Responsive", "")
                for i, title in enumerate(
                    [
                        "Person-centred care",
                        "Care provision, integration and continuity",
                        "Providing information",
                        "Listening to and involving people",
                        "Equity in access",
                        "Equity in experiences and outcomes",
                        "Planning for the future",
                    ],
                    start=1,
                )
            ],
            *[
                (f"Well-led {i}", title, "Well-led", "")
                for i, title in enumerate(
                    [
                        "Shared direction and culture",
                        "Capable, compassionate and inclusive leaders",
                        "Freedom to speak up",
                        "Workforce equality, diversity and inclusion",
                        "Governance, management and sustainability",
                        "Partnerships and communities",
                        "Learning, improvement and innovation",
                        "Environmental sustainability – sustainable development",
                    ],
                    start=1,
                )
            ],
        ],
    },
    {
        "code": "hscs",
        "version": "2017",
        "name": "Health and Social Care Standards",
        "jurisdiction": "Scotland",
        "description": "Scotland's standards, in use since April 2018: five headline outcomes.",
        "citation": "Scottish Government (2017), Health and Social Care Standards: my support, my life",
        "standards": [
            (
                "HSCS 1",
                "I experience high quality care and support that is right for me",
                "Headline outcome",
                "Care and support meet the person's own needs, rights and choices.",
            ),
            (
                "HSCS 2",
                "I am fully involved in all decisions about my care and support",
                "Headline outcome",
                "The person shapes the decisions made about their care.",
            ),
            (
                "HSCS 3",
                "I have confidence in the people who support and care for me",
                "Headline outcome",
                "Staff are trained, competent and trusted.",
            ),
            (
                "HSCS 4",
                "I have confidence in the organisation providing my care and support",
                "Headline outcome",
                "The provider is well led, well run and improving.",
            ),
            (
                "HSCS 5",
                "I experience a high quality environment if the organisation provides the premises",
                "Headline outcome",
                "The place where care is given is safe, comfortable and suitable.",
            ),
        ],
    },
    {
        "code": "nos-lmcs",
        "version": "2012",
        "name": "National Occupational Standards: Leadership and Management for Care Services",
        "jurisdiction": "UK",
        "description": "The two standards most relevant to planning and leading an operational change.",
        "citation": (
            "Skills for Care and Development (2012), National Occupational Standards: Leadership and Management for Care Services"
        ),
        "standards": [
            (
                "SCDLMCA2",
                "Lead and manage change within care services",
                "Change",
                "Plan, lead and review change with the team, using a reflective and motivating style and involving the people affected.",
            ),
            (
                "SCDLMCE5",
                "Develop operational plans and manage resources to meet current and future demands on the provision of care services",
                "Planning",
                "Turn the service's aims into an operational plan, secure and manage the resources it needs, and check it against demand.",
            ),
        ],
    },
]


def load_standards(framework_model, standard_model) -> tuple[int, int]:
    """Create or update every framework and standard. Returns (created, updated) counts.

    Takes the model classes so a data migration can pass its historical models.
    """
    created = updated = 0
    for fw in FRAMEWORKS:
        framework, _ = framework_model.objects.update_or_create(
            code=fw["code"],
            version=fw["version"],
            defaults={
                "name": fw["name"],
                "jurisdiction": fw["jurisdiction"],
                "description": fw["description"],
                "current": True,
            },
        )
        for order, (code, title, group, summary) in enumerate(fw["standards"], start=1):
            _, was_created = standard_model.objects.update_or_create(
                framework=framework,
                code=code,
                defaults={"title": title, "group": group, "summary": summary, "order": order},
            )
            created += was_created
            updated += not was_created
    return created, updated


CITATIONS: dict[str, str] = {fw["code"]: fw["citation"] for fw in FRAMEWORKS}
