"""The counsellors' console: log in, see the queue, take a conversation, answer, hand back.

- `app`: the application factory (wiring only); `routes`: the URL table.
- `security`: middlewares (headers, the logged-in viewer), role and CSRF checks, cookies.
- `access`: who sees what of one conversation (holder, admin, summary, refused).
- `views/`: one module per page or concern (login, queue, conversation, acting, reveal),
  `guard` (the access rule applied to a request, views and refusals audited), health.
- `live`: server-sent events for live updates; `retry`: delivers what Rasa missed.
- `rasa_api`: Rasa's HTTP API (token in the Authorization header); `tasks`: what each
  waiting citizen is doing, from the tracker's state.
- `transcript`: what a counsellor reads; `masking`: personal data inside a message;
  `labels`: how reasons, channels and tasks are named.
- `users_cli`, `server`: `python -m bot.console users ...|serve`.

Accounts (users, passwords, sessions, roles) live in bot.accounts, the handoff state in
bot.handoff: the console only shows them over HTTP.
"""
