-- The reference tokens of each bank credit's text (MATCHING.md step 3: every token, alone and with one or two
-- short letter tokens before it, with its normalised key), read once when the credit is stored rather than at
-- every cash run: computing them (cash_ref_key on every token) was a quarter of the run's time. Kept with the
-- words they were read from; the run reads them again for any credit whose words differ (or that has none).
create table bank_credit_refs (
  payment_ref text primary key,
  words text not null,
  raws text[] not null,
  keys text[] not null
);
alter table bank_credit_refs enable row level security;
create policy bank_credit_refs_desk on bank_credit_refs using (clearhouse_internal());

-- The words of a credit that references are read from: its text and the customer's reference.
create function cash_credit_words(text text, customer_reference text) returns text
language sql immutable parallel safe as $$
  select coalesce(text, '') || ' ' || coalesce(customer_reference, '')
$$;

-- The tokens of one text with their keys (raws[i] is read as keys[i]), each (raw, key) once, empty when the
-- text names nothing: every token with a digit, alone and with one or two short letter tokens before it
-- (INV 10043, IN V 10043, NO. 10043). A SQL function of one text, inlined into the calling query, so that its
-- joins run over the few tokens of one text.
create function cash_text_refs(words text, out raws text[], out keys text[])
language sql immutable parallel safe as $$
  with t as materialized (
    select w.tok, w.n from regexp_split_to_table(words, '[[:space:],;:()]+') with ordinality w(tok, n)
    where w.tok <> ''
  ),
  grams as (
    select t.tok as raw from t where t.tok ~ '[0-9]'
    union all
    select a.tok || b.tok from t a join t b on b.n = a.n + 1
    where b.tok ~ '[0-9]' and length(a.tok) <= 8 and a.tok !~ '[0-9]'
    union all
    select a.tok || b.tok || c.tok from t a join t b on b.n = a.n + 1 join t c on c.n = a.n + 2
    where c.tok ~ '[0-9]' and length(a.tok) <= 8 and length(b.tok) <= 8 and a.tok !~ '[0-9]'
      and b.tok !~ '[0-9]'
  ),
  k as (select distinct upper(g.raw) as raw, public.cash_ref_key(g.raw) as key from grams g)
  select coalesce(array_agg(k.raw order by k.raw, k.key), '{}'), coalesce(array_agg(k.key order by k.raw, k.key), '{}')
  from k where k.key is not null
$$;

-- Once per statement that stores credits (any path: bank files, the API, tests).
create function bank_credits_read_refs() returns trigger
language plpgsql as $$
begin
  insert into public.bank_credit_refs (payment_ref, words, raws, keys)
  select n.payment_ref, w.words, r.raws, r.keys
  from new_credits n, public.cash_credit_words(n.text, n.customer_reference) w(words),
    public.cash_text_refs(w.words) r
  on conflict (payment_ref) do update set words = excluded.words, raws = excluded.raws, keys = excluded.keys;
  return null;
end $$;

create trigger bank_credits_refs after insert on bank_credits
  referencing new table as new_credits for each statement execute function bank_credits_read_refs();

-- The credits not yet through the cascade when this migration ran: the same reading, once.
insert into bank_credit_refs (payment_ref, words, raws, keys)
select b.payment_ref, w.words, r.raws, r.keys
from bank_credits b, cash_credit_words(b.text, b.customer_reference) w(words), cash_text_refs(w.words) r
where b.status = 'new';
