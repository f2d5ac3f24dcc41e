"""The small core every domain stands on: settings, the database, named queries, formats, access, memoising."""
