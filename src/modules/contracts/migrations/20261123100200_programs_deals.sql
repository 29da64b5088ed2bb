-- Programs are versioned contracts: a changed program is a new version, and only an approved version
-- becomes active. `programs` is the program's identity and which version is in force; every version keeps
-- its full terms (the programs.json object) so a claim's validation can name the version it used.
create table programs (
  program_id text primary key,
  name text not null,
  type text not null check (type in ('special_bid', 'sell_out', 'volume_tier', 'growth', 'price_protection', 'mdf')),
  latest_version integer not null,
  active_version integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table program_versions (
  program_id text not null references programs (program_id),
  version integer not null check (version > 0),
  status text not null check (status in ('draft', 'approved', 'active', 'superseded', 'withdrawn')),
  name text not null,
  type text not null,
  currency char(3) not null,
  country char(2),
  start_date date not null,
  end_date date not null,
  claim_window_days integer,
  budget numeric(18, 2),
  payment_method text,
  sla_business_days integer,
  terms jsonb not null,
  created_by text,
  created_at timestamptz not null default now(),
  approved_by text,
  approved_at timestamptz,
  activated_by text,
  activated_at timestamptz,
  superseded_at timestamptz,
  primary key (program_id, version),
  check (start_date <= end_date)
);
-- At most one version of a program is in force.
create unique index program_versions_one_active on program_versions (program_id) where status = 'active';

-- The partners a version enrols (empty: every partner of the version's country).
create table program_partners (
  program_id text not null,
  version integer not null,
  account_id text not null,
  primary key (program_id, version, account_id),
  foreign key (program_id, version) references program_versions (program_id, version)
);
create index program_partners_account on program_partners (account_id);

-- A partner user sees the programs whose version in force enrols one of its accounts, or enrols nobody by
-- name and is for the country of one of its accounts; never drafts.
-- Security definer: it reads the program tables without their own policies (which call it).
create function program_visible(p_program_id text) returns boolean
language sql stable security definer set search_path = public as $$
  select clearhouse_internal() or exists (
    select 1 from programs p
    join program_versions v on v.program_id = p.program_id and v.version = p.active_version
    where p.program_id = p_program_id
      and (
        exists (select 1 from program_partners pp
                where pp.program_id = v.program_id and pp.version = v.version and clearhouse_visible(pp.account_id))
        or (not exists (select 1 from program_partners pp where pp.program_id = v.program_id and pp.version = v.version)
            and exists (select 1 from accounts a where a.country = v.country and clearhouse_visible(a.account_id)))
      )
  )
$$;

alter table programs enable row level security;
create policy programs_scope on programs using (program_visible(program_id));
alter table program_versions enable row level security;
create policy program_versions_scope on program_versions
  using (clearhouse_internal() or (status in ('active', 'superseded') and program_visible(program_id)));
alter table program_partners enable row level security;
create policy program_partners_scope on program_partners using (clearhouse_internal() or clearhouse_visible(account_id));

-- Special-bid deals from the deal desk: partner, end customer, SKU, authorised amount per unit, maximum
-- quantity, validity.
create table deals (
  account_id text not null,
  deal_id text not null,
  program_id text not null references programs (program_id),
  end_customer_id text,
  sku text not null,
  authorized_unit_amount numeric(18, 4) not null,
  currency char(3) not null,
  max_qty integer not null,
  start_date date not null,
  end_date date not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id, deal_id),
  check (start_date <= end_date)
);
create unique index deals_id on deals (deal_id);
create index deals_program on deals (program_id);

alter table deals enable row level security;
create policy deals_scope on deals using (clearhouse_visible(account_id));
