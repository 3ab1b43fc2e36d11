"""Handoff: a citizen waiting for a counsellor, and the counsellor serving them.

Every Rasa/action server and console instance sees the same queue because it lives in
the database. States: waiting -> active -> (handed_back | closed). Taking a request is a
single conditional UPDATE, so two counsellors can never hold the same conversation.
Audit events carry ids, states and outcomes only: never a message text.

- `models`: the tables and the states.
- `state`: the state machine (request, take, hand back, close).
- `queries`: what the queue, the console and the actions read.
- `messages`: counsellor and citizen messages, and their delivery.
- `wait`: the rough wait estimate.
- `office_hours`: when counsellors work, per agency.
- `texts`: how the citizen is told when counsellors are back.
- `audit`: counsellor actions in the audit trail.
"""
