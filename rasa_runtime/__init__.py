"""Code that runs inside the Rasa server (Python 3.10, Rasa's own dependencies only), apart from the NLU."""
