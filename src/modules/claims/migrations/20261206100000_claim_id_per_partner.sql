-- A claim id is the partner's own number, unique within the partner (FORMATS.md keys claims by account_id,
-- claim_id): two partners may use the same claim id, and neither learns of the other's. The global unique
-- index goes; claims stay keyed by (account_id, claim_id), with a plain index for look-ups by claim id.
drop index claims_id;
create index claims_claim_id on claims (claim_id);

-- Loads no longer ask who owns a claim id across partners: a partner's claim is found under its own scope.
drop function claim_owners();
