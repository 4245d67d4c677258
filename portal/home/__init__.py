"""The first screen after log-in: the company at a glance."""
