"""Signals the core sends so that partnership apps can react without the core knowing them."""

from django.dispatch import Signal

# A designation stopped being usable (expired, suspended or revoked): `designation`.
# ShipRider tells the planners of future patrols that relied on it.
designation_lapsed = Signal()
