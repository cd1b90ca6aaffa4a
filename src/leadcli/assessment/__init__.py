"""Assessment: evidence per framework domain, recommendations, and reports as data. Pure functions."""
