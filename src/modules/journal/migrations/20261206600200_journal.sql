-- The general-ledger accounts each kind of posting is journalled to (CONTROLS.md defaults), administered.
-- A reversal swaps the accounts of the kind it reverses; a rebill's new invoice swaps the rebill's.
create table journal_gl_accounts (
  kind text primary key check (kind ~ '^[a-z][a-z_]{1,39}$'),
  debit_account text not null check (length(debit_account) between 1 and 40),
  credit_account text not null check (length(credit_account) between 1 and 40),
  description text not null,
  updated_at timestamptz not null default now(),
  updated_by text
);
insert into journal_gl_accounts (kind, debit_account, credit_account, description) values
  ('cash', '1000', '1200', 'Cash applied to a document'),
  ('on_account', '1000', '2410', 'Cash kept on the account, unapplied'),
  ('deduction', '2150', '1200', 'A deduction taken against a document'),
  ('credit_memo', '2150', '1200', 'A settlement credit memo (rebate paid by credit)'),
  ('credit_adjustment', '4910', '1200', 'A billing credit adjustment'),
  ('rebill', '4910', '1200', 'A rebill: the credit of the original (the new invoice swaps the accounts)'),
  ('debit_adjustment', '1200', '4910', 'A debit memo'),
  ('write_off', '6810', '1200', 'A write-off (bad debt, small balance, non-compliance charge)'),
  ('absorption', '6820', '1200', 'A deduction or short pay absorbed');
