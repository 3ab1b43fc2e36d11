"""The sandbox's request handlers, one module per concern."""
