"""Pure functions of plain data: snapshots, narratives, day-by-day cover. No ORM, no request.

What a revision looks like (layout), what changed between two (diff), how the care hours
hold during training (care_hours), the charts drawn from them, and how words are counted
(text) all take plain values and return plain values, so an approved revision renders the
same years later and every rule here is fast to test.
"""
