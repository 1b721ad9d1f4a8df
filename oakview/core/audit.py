"""Recording domain events on the audit trail (row edits are kept by simple-history)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from .models import AuditEvent


def audit_record(*, home_id: int, actor, action: str, summary: str, target=None, detail: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        home_id=home_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=summary[:300],
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        detail=detail or {},
    )
