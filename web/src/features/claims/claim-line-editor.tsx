import {
  ActionIcon,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  type TextInputProps,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDate } from '../../ui/dates';
import { formatAmount, formatMoney } from '../../ui/money';
import type { ProgramType } from '../contracts/contract';
import {
  lineAmount,
  requiredLineFields,
  unitProgramTypes,
  useDealOptions,
  useEndCustomerOptions,
  useProductOptions,
  useSellOutOptions,
} from './claim-form-lookups';
import { LookupField } from './lookup-field';
import type { DraftLine } from './submit-claim-form';

/** A line with one field changed; the amount follows quantity × per-unit amount until it is typed over. */
export function withCell(line: DraftLine, key: keyof DraftLine, value: string): DraftLine {
  const next = { ...line, [key]: value };
  if (key === 'qty' || key === 'claimed_unit_amount') {
    const before = lineAmount(line.qty, line.claimed_unit_amount);
    if (line.claimed_amount === '' || line.claimed_amount === before)
      next.claimed_amount = lineAmount(next.qty, next.claimed_unit_amount);
  }
  return next;
}

/**
 * One claim line with its look-ups: the SKU from the catalogue, the end customer from those the partner's own
 * sell-out and deals name, the deal from the partner's special bids, and the sell-out line from its own lines
 * with units left that match the SKU, sale date and end customer. Choosing a deal or a sell-out line fills what
 * it already says.
 */
export function ClaimLineEditor({
  index,
  line,
  accountId,
  programId,
  programType,
  currency,
  onChange,
  onRemove,
  issueAt,
}: {
  index: number;
  line: DraftLine;
  accountId: string | null;
  programId: string | null;
  programType: ProgramType | null;
  currency: string;
  onChange: (line: DraftLine) => void;
  onRemove?: () => void;
  issueAt: (field: string) => string | undefined;
}) {
  const n = index + 1;
  const unit = programType === null || unitProgramTypes.includes(programType);
  const required = new Set<string>(programType ? requiredLineFields(programType) : []);
  const set = (key: keyof DraftLine, value: string) => onChange(withCell(line, key, value));
  const field = (key: keyof DraftLine) => ({
    error: issueAt(`lines.${index}.${key}`),
    required: required.has(key),
  });
  /** A typed field of the line. */
  const input = (key: keyof DraftLine, label: string, extra: TextInputProps = {}) => (
    <TextInput
      size="xs"
      label={label}
      value={line[key]}
      onChange={(e) => set(key, e.currentTarget.value)}
      data-testid={`line-${n}-${key}`}
      {...field(key)}
      {...extra}
    />
  );
  const money = currency ? ` (${currency})` : '';
  const [skuSearch, setSkuSearch] = useState('');
  const [customerSearch, setCustomerSearch] = useState('');
  const [skuQuery] = useDebouncedValue(skuSearch, 250);
  const [customerQuery] = useDebouncedValue(customerSearch, 250);
  const products = useProductOptions(skuQuery);
  const customers = useEndCustomerOptions(accountId, customerQuery);
  const deals = useDealOptions(programType === 'special_bid' ? accountId : null, programId, '');
  const matchesSellOut = programType === null || programType === 'special_bid' || programType === 'sell_out';
  const sellOut = useSellOutOptions(
    accountId,
    { sku: line.sku, sale_date: line.sale_date, end_customer_id: line.end_customer_id },
    matchesSellOut,
  );

  return (
    <Paper withBorder p="sm" data-testid={`claim-line-${n}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text size="sm" fw={600}>
            Line {n}
          </Text>
          {onRemove && (
            <ActionIcon variant="subtle" color="gray" aria-label={`Remove line ${n}`} onClick={onRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
        {unit ? (
          <SimpleGrid cols={{ base: 2, md: 4, xl: 5 }} spacing="sm" verticalSpacing="xs">
            {programType === 'special_bid' && (
              <LookupField
                label="Deal"
                value={line.deal_id}
                onChange={(value, option) => {
                  const deal = deals.data?.find((d) => d.deal_id === option?.value);
                  let next = { ...line, deal_id: value };
                  if (deal) {
                    if (!next.sku) next = { ...next, sku: deal.sku };
                    if (!next.end_customer_id && deal.end_customer_id)
                      next = { ...next, end_customer_id: deal.end_customer_id };
                    if (!next.claimed_unit_amount)
                      next = withCell(next, 'claimed_unit_amount', deal.authorized_unit_amount);
                  }
                  onChange(next);
                }}
                options={(deals.data ?? []).map((d) => ({
                  value: d.deal_id,
                  label: `${d.deal_id} · ${d.sku}${d.end_customer_name ? ` · ${d.end_customer_name}` : ''}`,
                  description: `${formatMoney(d.authorized_unit_amount, d.currency)} per unit · ${d.left_qty} of ${d.max_qty} left · ${formatDate(d.start_date)} – ${formatDate(d.end_date)}`,
                }))}
                loading={deals.isFetching}
                nothingFound="You have no special-bid deal in this program"
                placeholder="Choose your deal"
                testId={`line-${n}-deal_id`}
                {...field('deal_id')}
              />
            )}
            <LookupField
              label="SKU"
              value={line.sku}
              onChange={(value) => set('sku', value)}
              onSearch={setSkuSearch}
              options={(products.data ?? []).map((p) => ({
                value: p.sku,
                label: p.sku,
                description: p.name,
              }))}
              loading={products.isFetching}
              nothingFound="No product has this SKU or name"
              placeholder="Type a SKU or name"
              testId={`line-${n}-sku`}
              {...field('sku')}
            />
            {input('sale_date', 'Sale date', { type: 'date' })}
            <LookupField
              label="End customer"
              value={line.end_customer_id}
              onChange={(value) => set('end_customer_id', value)}
              onSearch={setCustomerSearch}
              options={(customers.data ?? []).map((c) => ({
                value: c.end_customer_id,
                label: `${c.name} (${c.end_customer_id})`,
                description: c.country,
              }))}
              loading={customers.isFetching}
              nothingFound="None of your sales names this customer"
              placeholder="Type a name or id"
              testId={`line-${n}-end_customer_id`}
              {...field('end_customer_id')}
            />
            {matchesSellOut && (
              <LookupField
                label="Sell-out line"
                value={line.sell_out_ref}
                onChange={(value, option) => {
                  const so = sellOut.data?.find((s) => s.sell_out_ref === option?.value);
                  let next = { ...line, sell_out_ref: value };
                  if (so) {
                    if (!next.sku) next = { ...next, sku: so.sku };
                    if (!next.sale_date) next = { ...next, sale_date: so.sale_date };
                    if (!next.end_customer_id && so.end_customer_id)
                      next = { ...next, end_customer_id: so.end_customer_id };
                    if (!next.qty) next = withCell(next, 'qty', String(so.left_qty));
                  }
                  onChange(next);
                }}
                options={(sellOut.data ?? []).map((s) => ({
                  value: s.sell_out_ref,
                  label: `${s.sell_out_ref} · ${formatDate(s.sale_date)} · ${s.left_qty} left`,
                  description: `${s.qty} × ${s.sku}${s.unit_price ? ` at ${formatMoney(s.unit_price, s.currency)}` : ''}${s.partner_invoice_no ? ` · your invoice ${s.partner_invoice_no}` : ''}${s.credited_qty > 0 ? ` · ${s.credited_qty} credited` : ''}`,
                }))}
                loading={sellOut.isFetching}
                disabled={line.sku === ''}
                nothingFound="No sale of yours with units left matches the SKU, date and end customer"
                placeholder={line.sku ? 'Optional: found by SKU, date, customer' : 'Choose the SKU first'}
                testId={`line-${n}-sell_out_ref`}
                {...field('sell_out_ref')}
              />
            )}
            {input('qty', 'Quantity', { inputMode: 'numeric' })}
            {input('claimed_unit_amount', `Per unit${money}`, { inputMode: 'decimal' })}
            {input('claimed_amount', `Amount${money}`, {
              inputMode: 'decimal',
              inputWrapperOrder: ['label', 'input', 'description', 'error'],
              description:
                line.claimed_amount && line.claimed_amount === lineAmount(line.qty, line.claimed_unit_amount)
                  ? `${line.qty} × ${formatAmount(line.claimed_unit_amount)}`
                  : undefined,
            })}
            {input('serial_numbers', 'Serial numbers', { placeholder: 'Separated by ;' })}
          </SimpleGrid>
        ) : (
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
            {input('period_start', 'Period from', { type: 'date' })}
            {input('period_end', 'Period to', { type: 'date' })}
            {input('claimed_amount', `Amount${money}`, { inputMode: 'decimal' })}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
