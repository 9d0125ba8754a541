"""Imported by the action server with every action module: load the knowledge models at start-up."""

from knowledge.guidance import warm_up

warm_up()
