"""Console accounts: users, their passwords and roles, login and login sessions.

Pure data and rules on the project's database; the web side (cookies, forms, pages)
lives in bot.console, and the handoff domain reads the users from here.
"""
