-- Version 5: each reported measure states the largest value one organisation can return for one week. A value
-- above it is refused as impossible (a typing slip, a wrong unit), not queried as unlikely.

alter table measure add column if not exists maximum double;
