-- Issued packs record the published snapshot they were built from (empty for packs issued before snapshots).
alter table issued_pack add column if not exists snapshot varchar;

-- The Home Office small-boat series is a shared dataset now, read in place from its folder as
-- shared.small_boat_arrivals (data/catalogue.toml); the store no longer keeps a copy.
drop table if exists small_boat_arrivals;
