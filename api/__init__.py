"""The FastAPI gateway: public channels, health, and (later) the operator console."""
