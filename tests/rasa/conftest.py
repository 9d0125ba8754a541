"""Tests here run inside the Rasa virtualenv (scripts/test.sh), not the app env."""
