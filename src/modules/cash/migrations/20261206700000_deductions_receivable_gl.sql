-- A deduction item keeps the amount owed as a receivable of its own (the invoice closes, the deduction stays
-- open until it is cleared, denied or written off): by default it moves from receivables (1200) to
-- deductions receivable (1250), not yet to the rebate liability. An administrator who already set the
-- accounts keeps them.
update journal_gl_accounts
set debit_account = '1250', description = 'A deduction item taken from a document (deductions receivable)'
where kind = 'deduction' and updated_by is null and debit_account = '2150';
