"""The home page and each role's dashboard: the one place that reads every app's selectors."""
