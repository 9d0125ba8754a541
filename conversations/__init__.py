"""Every message in and out of every channel, kept even when the dialogue engine is down."""
