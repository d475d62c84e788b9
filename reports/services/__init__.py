"""Writes of the reports app: the weekly deadline digest (digest.py)."""
