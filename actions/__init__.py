"""rasa-sdk custom actions. `python -m rasa_sdk --actions actions` registers every submodule."""
