-- Who created, approved and activated a version, by user id as well as by name: names are not unique,
-- and the four-eyes rule (the creator of a draft may not approve it) must compare people, not names.
-- Null for the system and the CLI.
alter table program_versions
  add column created_by_id text,
  add column approved_by_id text,
  add column activated_by_id text;

-- Listing deals by SKU and by validity.
create index deals_sku on deals (sku);

-- A partner sees its own deals but not the company's end-customer records; a deal's end customer is the
-- partner's own customer, so its name is shown on the deal. Security definer: reads end_customers past
-- their internal-only policy, but only for a deal the caller may see.
create function deal_end_customer_name(p_deal_id text) returns text
language sql stable security definer set search_path = public as $$
  select e.name from deals d join end_customers e on e.end_customer_id = d.end_customer_id
  where d.deal_id = p_deal_id and clearhouse_visible(d.account_id)
$$;
