"""The database itself: schema and migrations, reference data, rollups, targets, opening a database."""
