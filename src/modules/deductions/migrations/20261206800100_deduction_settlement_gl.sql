-- A claim paid by deduction: the rebate liability (2150) is settled against the deduction item the customer
-- took (deductions receivable, 1250).
insert into journal_gl_accounts (kind, debit_account, credit_account, description) values
  ('deduction_settlement', '2150', '1250', 'A claim paid by deduction (rebate liability against the deduction item)')
on conflict (kind) do nothing;
