"""Linking (relations both ways, wiki-links) and portfolio analytics, the ranking `kam score` prints.
May import core, validate and scoring."""
