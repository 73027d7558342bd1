"""CBCF models: added by the CBCF issue."""
