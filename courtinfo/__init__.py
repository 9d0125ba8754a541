"""Court information (address, hours, phones, windows, payment, online channels, parking) from court.yml."""
