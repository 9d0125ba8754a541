"""Caller identity checks for case information, with per-case lockout after repeated failures."""
