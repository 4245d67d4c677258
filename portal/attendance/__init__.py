"""Registered days: check-ins and check-outs, absence, corrections and timesheets."""
