"""The pytest plugin that mutation runs load (``tools/mutation.py``).

Mutation runs used to need it to start each test from a database migrated once and a demo
loaded once; the root ``conftest.py`` now does that for every run (the ``empty_template`` and
``demo_template`` session fixtures), so there is nothing left for it to swap. It stays as the
place for hooks that only mutation runs need.
"""
