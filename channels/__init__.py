"""Input/output channels that Rasa loads from credentials.yml. They never import actions."""
