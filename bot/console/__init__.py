"""The counsellors' console: log in, see the queue, take a conversation, answer, hand back.

- `app`: the application factory (wiring only); `routes`: the URL table.
- `security`: middlewares (headers, the logged-in viewer), role and CSRF checks, cookies.
- `views/`: one module per page (login, queue, conversation) and the health check.
- `live`: server-sent events for live updates; `retry`: delivers what Rasa missed.
- `rasa_api`: Rasa's HTTP API; `transcript`: what a counsellor reads.
- `users_cli`, `server`: `python -m bot.console users ...|serve`.

Accounts (users, passwords, sessions, roles) live in bot.accounts, the handoff state in
bot.handoff: the console only shows them over HTTP.
"""
