"""IBET models: added by the IBET issue."""
