"""Shared infrastructure: settings, database, logging helpers."""
