-- Issued packs are sealed: an HMAC-SHA256, keyed outside the store (store/pack_key.py), of the pack's file and
-- what identifies it, so a file replaced together with its recorded SHA-256 is caught. Empty for packs issued
-- before packs were sealed, which can be checked against their SHA-256 only.
alter table issued_pack add column if not exists hmac_sha256 varchar;
