"""What the project's logging is made of; `bot.logging_setup.configure_logging` puts it
together for each process.

- `content.py`: what a citizen said or was told, taken out of log records (slots, events,
  messages, Telegram objects, the log lines of Rasa and libraries that carry them);
- `masking.py`: every record masked when it is made, whichever logger made it;
- `structlog_routing.py`: Rasa's structlog events, redacted and sent through `logging`;
- `uncaught.py`: uncaught exceptions logged (masked) instead of printed;
- `files.py`: log files readable by their owner only;
- `rasa_logging.yml`: the same masking for `rasa run --logging-config-file`.
"""
