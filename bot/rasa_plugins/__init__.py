"""Rasa plug-ins: NLU components and dialogue policies named in `config.yml`."""
