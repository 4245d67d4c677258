"""Trajectories toward regular work: goals, skill profiles, matching, outflow and follow-up."""
