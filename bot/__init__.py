"""The assistant's own library: settings, database, i18n, validators, agency client, CLI.

`actions/` and `channels/` import from here; nothing here imports from them.
"""
