"""Signals the core sends so that partnership apps can react without the core knowing them."""

from django.dispatch import Signal

# A designation stopped being usable (expired, suspended or revoked): `designation`.
# ShipRider tells the planners of future patrols that relied on it.
designation_lapsed = Signal()

# Moments an agency system may want to be told of (the webhooks app listens; the core knows no listener). Each is
# sent inside the transaction of the change, so that what a listener writes stands or falls with it.
# A case was shared with `agencies`, or their level changed: `case`, `agencies`, `decision`.
case_shared = Signal()
# `agencies` lost their access to `case`: `case`, `agencies`, `decision`.
case_revoked = Signal()
# The case itself changed (title, summary, status, releasability, handling code): `case`, `fields` (names).
case_changed = Signal()
# A request to the lead agency was filed (`request.status` pending) or decided: `request`.
case_request_changed = Signal()
# A deconfliction hit was found between two agencies' work: `hit`, `parties` (the sides to tell: the side that
# ran the check once per other agency, however many of that agency's records its check matched).
deconfliction_hit = Signal()
# A forum action item owned by an agency is due soon or overdue: `action`, `overdue` (bool).
action_item_due = Signal()
