import { Divider, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { isAmount } from '../../ui/money';
import { type Account, type AccountDraft, countryName } from './account';

const currencies = Intl.supportedValuesOf('currency');

export const accountFieldNames: readonly string[] = [
  'account_id',
  'name',
  'country',
  'currency',
  'payment_terms_days',
  'credit_limit',
  'parent_account_id',
  'collector',
  'rebate_analyst',
  'billing_email',
  'claims_email',
  'segment',
  'sales_owner',
  'bank_routing_number',
  'bank_account_number',
];

/** What the browser can tell before asking the server; the server's own issues are shown the same way. */
export function checkDraft(draft: AccountDraft, creating: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (creating && !draft.account_id.trim()) problems.account_id = 'Enter the account number used in the ERP.';
  if (!draft.name.trim()) problems.name = 'Enter the account name.';
  if (!/^[A-Za-z]{2}$/.test(draft.country.trim()))
    problems.country = 'Use the two-letter country code, e.g. DE.';
  if (!/^[A-Za-z]{3}$/.test(draft.currency.trim())) problems.currency = 'Choose the currency.';
  if (!/^\d+$/.test(draft.payment_terms_days.trim()))
    problems.payment_terms_days = 'Enter whole days, e.g. 30.';
  const limit = draft.credit_limit.trim();
  if (limit && !isAmount(limit)) problems.credit_limit = 'Enter an amount like 250000 or 250000.00.';
  for (const field of [
    'collector',
    'rebate_analyst',
    'billing_email',
    'claims_email',
    'sales_owner',
  ] as const) {
    const email = draft[field].trim();
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems[field] = 'Enter an e-mail address.';
  }
  const routing = draft.bank_routing_number.trim();
  if (routing && !/^\d{9}$/.test(routing)) problems.bank_routing_number = 'A routing number has 9 digits.';
  return problems;
}

export function AccountForm({
  draft,
  onChange,
  errors,
  creating,
  accounts,
}: {
  draft: AccountDraft;
  onChange: (draft: AccountDraft) => void;
  errors: Record<string, string>;
  creating: boolean;
  /** For choosing the parent account. */
  accounts: Account[];
}) {
  const text = (
    field: keyof AccountDraft,
    label: string,
    extra: { description?: ReactNode; placeholder?: string } = {},
  ) => (
    <TextInput
      label={label}
      value={draft[field]}
      error={errors[field]}
      onChange={(event) => onChange({ ...draft, [field]: event.currentTarget.value })}
      {...extra}
    />
  );
  const parents = accounts
    .filter((account) => account.account_id !== draft.account_id)
    .map((account) => ({ value: account.account_id, label: `${account.name} (${account.account_id})` }));

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <TextInput
          label="Account number"
          description={creating ? 'As in the ERP; it cannot change later.' : undefined}
          required={creating}
          disabled={!creating}
          value={draft.account_id}
          error={errors.account_id}
          onChange={(event) => onChange({ ...draft, account_id: event.currentTarget.value })}
          data-autofocus={creating || undefined}
        />
        <TextInput
          label="Name"
          description="As it appears on invoices and statements."
          required
          value={draft.name}
          error={errors.name}
          onChange={(event) => onChange({ ...draft, name: event.currentTarget.value })}
        />
        <Select
          label="Parent account"
          description="The sold-to or partner organisation above this one."
          placeholder="None"
          data={parents}
          value={draft.parent_account_id || null}
          error={errors.parent_account_id}
          onChange={(value) => onChange({ ...draft, parent_account_id: value ?? '' })}
          searchable
          clearable
          nothingFoundMessage="No account matches"
        />
        {text('segment', 'Segment', { description: 'e.g. Distributor, Reseller, Retail.' })}
      </SimpleGrid>

      <Divider label="Terms" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        <TextInput
          label="Country"
          required
          maxLength={2}
          description={countryName(draft.country) || 'Two-letter ISO code'}
          value={draft.country}
          error={errors.country}
          onChange={(event) => onChange({ ...draft, country: event.currentTarget.value.toUpperCase() })}
        />
        <Select
          label="Currency"
          required
          data={currencies}
          value={draft.currency || null}
          error={errors.currency}
          onChange={(value) => onChange({ ...draft, currency: value ?? '' })}
          description="Terms, limits and invoices are in this currency."
          searchable
          limit={20}
        />
        <TextInput
          label="Payment terms (days)"
          required
          inputMode="numeric"
          value={draft.payment_terms_days}
          error={errors.payment_terms_days}
          onChange={(event) => onChange({ ...draft, payment_terms_days: event.currentTarget.value })}
        />
        <TextInput
          label="Credit limit"
          inputMode="decimal"
          placeholder="No limit"
          rightSection={draft.currency || undefined}
          rightSectionWidth={48}
          value={draft.credit_limit}
          disabled={!creating}
          description={
            creating ? undefined : 'Changed through a credit-limit request (the Credit card), once approved.'
          }
          error={errors.credit_limit}
          onChange={(event) => onChange({ ...draft, credit_limit: event.currentTarget.value })}
        />
      </SimpleGrid>

      <Divider label="People and contacts" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        {text('collector', 'Collector', {
          description: 'E-mail of the colleague who chases this account.',
          placeholder: 'name@company.com',
        })}
        {text('rebate_analyst', 'Rebate analyst', {
          description: 'E-mail of the colleague who works its claims.',
          placeholder: 'name@company.com',
        })}
        {text('billing_email', 'Billing e-mail', { description: 'Statements and reminders go here.' })}
        {text('claims_email', 'Claims e-mail', { description: 'Claim results and payment advices go here.' })}
        {text('sales_owner', 'Sales owner', {
          description: 'E-mail of the salesperson payment delays are escalated to.',
          placeholder: 'name@company.com',
        })}
      </SimpleGrid>

      <Divider label="Bank" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
        {text('bank_routing_number', 'Routing number', { description: 'ABA, 9 digits.' })}
        {text('bank_account_number', 'Bank account', {
          description: 'Up to 17 letters or digits.',
        })}
      </SimpleGrid>
    </Stack>
  );
}
