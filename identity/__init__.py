"""Caller identity checks for case information, limited per caller, per web address and per case."""
