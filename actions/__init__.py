"""rasa-sdk actions. They call into `bot/`; `bot/` never imports from here."""
