-- X12 EDI: trading partners, every interchange received or sent (with its text), the transaction sets of
-- each with their outcome, the control numbers we assign per trading partner, and the 849 last sent per claim.

-- A trading partner: one of our accounts that exchanges X12 with us, by its ISA and GS identifiers.
create table edi_trading_partners (
  account_id text not null references accounts (account_id),
  isa_qualifier text not null default 'ZZ' check (isa_qualifier ~ '^[0-9A-Z]{2}$'),
  isa_id text not null check (isa_id <> '' and length(isa_id) <= 15),
  gs_id text not null check (gs_id <> '' and length(gs_id) <= 15),
  sets_received text[] not null default '{844}',   -- what the partner sends us (844, 852, 867, 812, 820)
  sets_sent text[] not null default '{849}',       -- what we send the partner (849; 997 always)
  usage text not null default 'test' check (usage in ('test', 'production')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (account_id)
);
create unique index edi_trading_partners_isa on edi_trading_partners (isa_qualifier, isa_id);

-- One interchange (ISA … IEA), in or out. account_id is the trading partner's account ('' when no partner
-- could be told from it: such interchanges are the desk's only).
create table edi_interchanges (
  account_id text not null default '',
  interchange_id uuid not null default gen_random_uuid(),
  direction text not null check (direction in ('in', 'out')),
  sender_qualifier text not null default '',
  sender_id text not null,
  receiver_qualifier text not null default '',
  receiver_id text not null,
  control_number text not null,                     -- ISA13
  usage text not null default 'P',                  -- ISA15: P production, T test
  set_codes text[] not null default '{}',           -- the transaction sets it holds (844, 997, …)
  status text not null check (status in ('loaded', 'partial', 'refused', 'duplicate', 'ready', 'written')),
  duplicate_of uuid,                                -- an earlier interchange with the same sender and ISA13
  ack_interchange_id uuid,                          -- the 997 answering an inbound interchange
  answers_interchange_id uuid,                      -- for a 997: the inbound interchange it answers
  ack_status text check (ack_status in ('accepted', 'partial', 'rejected')),
  file_name text,
  import_id uuid,
  content text not null,                            -- the interchange as received or sent
  message text not null default '',
  created_at timestamptz not null default now(),
  written_at timestamptz,
  primary key (account_id, interchange_id)
);
create unique index edi_interchanges_id on edi_interchanges (interchange_id);
create index edi_interchanges_time on edi_interchanges (created_at desc);
create unique index edi_interchanges_unique_in on edi_interchanges (sender_qualifier, sender_id, control_number)
  where direction = 'in' and status <> 'duplicate';
create unique index edi_interchanges_unique_out on edi_interchanges (receiver_qualifier, receiver_id, control_number)
  where direction = 'out';

-- One transaction set of an interchange: where it is, what it carried and what became of it.
create table edi_sets (
  account_id text not null default '',
  interchange_id uuid not null,
  seq integer not null,                             -- 1-based order in the interchange
  group_control text not null,                      -- GS06
  functional_id text not null,                      -- GS01
  set_code text not null,                           -- ST01
  control_number text not null,                     -- ST02
  position integer not null,                        -- segment number of its ST in the interchange
  reference text,                                   -- claim id (844, 849), report id (867, 852), …
  status text not null check (status in ('loaded', 'refused', 'ignored', 'sent')),
  template text,                                    -- the template its rows went to (claims, sell_out, …)
  rows integer not null default 0,
  errors jsonb not null default '[]',               -- [{segment, set_segment, segment_id, element, value, reason}]
  updated_at timestamptz not null default now(),
  primary key (account_id, interchange_id, seq)
);

-- The control numbers we assign per trading partner (ISA13, GS06): never reused. Taken with a row lock.
create table edi_control_numbers (
  partner_key text not null,                        -- the receiver's ISA qualifier and id
  last_number bigint not null,
  primary key (partner_key)
);

-- The 849 last sent for each claim: what it said (so a changed decision sends a new one).
create table edi_claim_responses (
  account_id text not null,
  claim_id text not null,
  fingerprint text not null,
  interchange_id uuid not null,
  sent_at timestamptz not null default now(),
  primary key (account_id, claim_id)
);

alter table edi_trading_partners enable row level security;
create policy edi_trading_partners_scope on edi_trading_partners using (clearhouse_visible(account_id));
alter table edi_interchanges enable row level security;
create policy edi_interchanges_scope on edi_interchanges using (clearhouse_visible(account_id));
alter table edi_sets enable row level security;
create policy edi_sets_scope on edi_sets using (clearhouse_visible(account_id));
alter table edi_claim_responses enable row level security;
create policy edi_claim_responses_scope on edi_claim_responses using (clearhouse_visible(account_id));
-- Control numbers belong to the company's envelopes: only internal work takes them.
alter table edi_control_numbers enable row level security;
create policy edi_control_numbers_internal on edi_control_numbers using (clearhouse_internal());
