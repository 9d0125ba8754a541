"""The court's case system: what the bot may ask about a case (embedded implementation and its interface)."""
