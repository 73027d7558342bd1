"""BEST models: added by the BEST issue."""
