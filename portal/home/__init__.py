"""The first screen after log-in: what needs doing now, for each role."""
