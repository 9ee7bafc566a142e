"""A realistic SEV-1 in progress, for ``incident-tui --demo``, screenshots and tests.

Checkout starts failing right after a deploy; the IC escalates, rolls back, and the team is
now watching recovery. Everything goes through the store API; a private frozen clock on the
same data dir is walked forward so each row gets a believable past time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from incident_tui.core import operations as ops
from incident_tui.core.clock import FrozenClock
from incident_tui.core.models import DetectionSource, EventKind, Role, Severity, Status
from incident_tui.core.store import IncidentFile, IncidentStore

IC = "Priya Raman"
COMMS = "Marcus Lee"
OPS = "Dana Kowalski"
SCRIBE = "Sam Ortiz"
SME = "Wei Chen"

DETECTED_AGO = timedelta(minutes=40)
"""How long before the store's "now" the demo incident was detected."""

_INTERNAL_INVESTIGATING = (
    "[{time} UTC] SEV-1: checkout is failing for most customers since {detected} UTC "
    "(error rate ~38%). We are investigating; the 2.14.0 deploy of checkout-api is the "
    "leading suspect. Next update in 15 minutes."
)
_EXTERNAL_IDENTIFIED = (
    "Identified: we have found the cause of failed payments at checkout and are rolling out "
    "a fix. Customers in all regions may see 'payment failed'. Next update in 30 minutes."
)
_INTERNAL_MITIGATED = (
    "[{time} UTC] Rollback to 2.13.2 is complete; checkout error rate is back near baseline. "
    "Some orders are stuck in 'pending' and are being reconciled. Next update in 15 minutes."
)


def seed_demo(store: IncidentStore) -> IncidentFile:
    """Declare and fill the demo incident in ``store``; returns it opened on ``store``'s clock."""
    now = store.clock.now()
    detected = now - DETECTED_AGO
    clock = FrozenClock(detected)
    scribe = IncidentStore(store.data_dir, clock=clock, author=SCRIBE)

    def at(minutes: float) -> datetime:
        """Move the private clock to detection + ``minutes`` and return that moment."""
        clock.set(detected + timedelta(minutes=minutes))
        return clock.now()

    at(2)
    inc = ops.declare(
        scribe,
        "Checkout errors after checkout-api 2.14.0 deploy",
        severity=Severity.SEV2,
        impact="Customers cannot complete checkout; payments fail with 'payment failed'",
        source=DetectionSource.ALERT,
        detected_at=detected,
        responder=IC,
    )
    ops.log(
        inc,
        "checkout-api 2.14.0 rolled out to all regions",
        kind=EventKind.ACTION,
        at=detected - timedelta(minutes=3),
        author="deploy-bot",
    )
    at(3)
    ops.assign_role(inc, Role.COMMS, COMMS)
    ops.assign_role(inc, Role.OPS, OPS)
    ops.assign_role(inc, Role.SCRIBE, SCRIBE)
    at(4)
    ops.log(inc, "Error rate on POST /checkout at 38% (baseline 0.4%)", author=OPS)
    at(5)
    ops.log(
        inc, "Support: tickets from customers seeing 'payment failed' at checkout", author=COMMS
    )
    at(6)
    ops.set_severity(
        inc, Severity.SEV1, "most customers cannot check out; revenue lost every minute"
    )
    at(7)
    ops.record_update(
        inc,
        "internal",
        _INTERNAL_INVESTIGATING.format(
            time=clock.now().strftime("%H:%M"), detected=detected.strftime("%H:%M")
        ),
        summary="Internal update posted (investigating)",
        details={"template": "investigating"},
        author=COMMS,
    )
    at(8)
    ops.assign_role(inc, Role.SME, SME)
    at(9)
    ops.log(inc, "Errors started 3 min after the 2.14.0 rollout; no other change", author=OPS)
    at(10)
    ops.log(
        inc,
        "2.14.0 diff changes the DB connection pool size from 50 to 5",
        kind=EventKind.ACTION,
        author=OPS,
    )
    at(12)
    ops.decide(
        inc,
        "Roll back checkout-api to 2.13.2",
        why=(
            "the deploy matches the start, rollback is safe (no schema change), "
            "staying broken is worse"
        ),
        decided_by=IC,
        alternatives="hotfix the pool size forward",
        reversible=True,
        rubric="rollback",
        answer="yes",
    )
    at(13)
    ops.log(inc, "Rollback to 2.13.2 started in all regions", kind=EventKind.ACTION, author=OPS)
    at(15)
    ops.set_status(inc, Status.IDENTIFIED, "connection pool starved by the 2.14.0 config")
    at(18)
    ops.mark(inc, "mitigated", "rollback to 2.13.2 complete in all regions")
    at(19)
    ops.log(inc, "Error rate falling: 38% -> 6%", author=OPS)
    at(20)
    ops.record_update(
        inc,
        "external",
        _EXTERNAL_IDENTIFIED,
        summary="Status page updated (identified)",
        details={"template": "identified"},
        author=COMMS,
    )
    at(24)
    ops.log(inc, "Some orders stuck in 'pending'; Wei checking the payments DB", author=SME)
    at(26)
    ops.decide(
        inc,
        "Freeze the checkout-api release train until a pool-size check exists",
        why="the same config could ship again with the next release",
        decided_by=IC,
        reversible=True,
    )
    at(28)
    ops.add_action_item(inc, "Add a connection-pool sanity check to the deploy canary", owner=OPS)
    ops.add_action_item(inc, "Reconcile orders stuck in 'pending'", owner=SME)
    ops.add_action_item(inc, "Schedule the after-action review", owner=IC)
    at(30)
    ops.log(inc, "Error rate at baseline (0.5%)", author=OPS)
    at(32)
    ops.record_update(
        inc,
        "internal",
        _INTERNAL_MITIGATED.format(time=clock.now().strftime("%H:%M")),
        summary="Internal update posted (mitigated)",
        details={"template": "identified"},
        author=COMMS,
    )
    at(36)
    ops.log(inc, "Synthetic checkout passing in EU and US; APAC probe still failing", author=OPS)
    at(38)
    ops.log(inc, "Wei: 212 pending orders found, reconciliation script running", author=SME)
    return store.open(inc.id)
