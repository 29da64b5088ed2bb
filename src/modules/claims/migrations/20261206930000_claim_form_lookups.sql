-- The portal's claim form looks end customers up without letting partners read the list: a partner finds the
-- end customers its own sell-out and deals name, nothing else (another partner's end customer is as absent as
-- one that does not exist). The account must be visible to the caller; `p_q` matches id or name.
create function claim_form_end_customers(p_account_id text, p_q text, p_limit integer)
returns table (end_customer_id text, name text, country char(2))
language sql stable security definer set search_path = public as $$
  with named as (
    select s.end_customer_id from sell_out s
    where s.account_id = p_account_id and s.end_customer_id is not null and clearhouse_visible(p_account_id)
    union
    select d.end_customer_id from deals d
    where d.account_id = p_account_id and d.end_customer_id is not null and clearhouse_visible(p_account_id)
  )
  select e.end_customer_id, e.name, e.country
  from named n join end_customers e on e.end_customer_id = n.end_customer_id
  where p_q is null or e.end_customer_id ilike '%' || p_q || '%' or e.name ilike '%' || p_q || '%'
  order by e.name, e.end_customer_id
  limit p_limit
$$;
