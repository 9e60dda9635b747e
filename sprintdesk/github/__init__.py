"""GitHub: the PyGithub client (timeouts, no blind retries, rate limits), publishing a plan as an
issue with one comment per part, and pulling team sections back. No Qt."""
