"""The counsellor console: users, sessions and (later) the web interface."""
