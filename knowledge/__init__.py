"""Knowledge base for pre-litigation guidance: FAQ, case summaries, mediation organisations, checklists."""
