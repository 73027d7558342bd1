"""ShipRider models: added by the ShipRider issue."""
