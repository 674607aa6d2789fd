"""The git features: reading revisions and the log, the timeline, `kam diff` and their reports.
May import core, validate, scoring and analysis."""
