"""Rule-based Chinese text understanding for courtbot: numerals, case numbers, entities (stdlib only)."""
