"""QA Arena Desktop: write tests that catch bugs, judged in local Docker containers."""

__version__ = "0.1.0"
