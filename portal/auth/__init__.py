"""Accounts, roles, log-in, and every access decision of the portal."""
