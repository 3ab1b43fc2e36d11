"""The REST channel: for tests, integrations and local development."""
