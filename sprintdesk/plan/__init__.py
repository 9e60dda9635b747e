"""The domain: the plan's model (SQLAlchemy mappings) and the rules about it: planning, roster,
plan checks, capacity, history, the meeting clock, templates, working days, db-stored settings and
the demo data. No Qt, no network, no file formats."""
