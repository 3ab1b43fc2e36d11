"""Reading what citizens write while a form waits for an answer.

`commands` knows the command phrases, `answers` whether a message answers the current
question, `decision` combines both with the NLU's prediction.
"""
