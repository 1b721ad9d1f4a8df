"""The case-study assessment room of the plans kernel: the criteria (shipped reference
data), the live check of a snapshot against them, the passages a manager links to the
criteria only prose can meet, and the assessment part that puts the check on the plan
overview, the review page and the PDF's outcomes matrix. The assessor's feedback is
written by plans.services.assessment and stored in plans.models.assessment."""
