"""Detachments: groups and individuals at client companies, and the monthly hours statement."""
