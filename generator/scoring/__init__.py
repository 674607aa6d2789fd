"""Scores and tiers (plain Python), the pandas score table, and `check`: load, validate, score, judge.
May import core and validate."""
