import { NativeSelect } from '@mantine/core';
import { useMemo } from 'react';
import { formatMoney } from '../../ui/money';
import { type OpenItem, todayDate } from './receivables';
import { useOpenItems } from './use-receivables';

/**
 * Picks one of an account's open documents for a request (a dispute, an adjustment). `accountId` null loads
 * nothing (the document is given). `which` keeps the kinds the request may name.
 */
export function useOpenDocuments(accountId: string | null, which: (item: OpenItem) => boolean) {
  const items = useOpenItems(accountId, { asOf: todayDate(), basis: 'due_date', buckets: '30,60,90,120' });
  const documents = useMemo(
    () =>
      (items.data?.items ?? []).filter(
        (i) => which(i) && !i.open_amount.startsWith('-') && !/^0+(\.0+)?$/.test(i.open_amount),
      ),
    [items.data, which],
  );
  return { documents, loading: items.isPending };
}

export function OpenDocumentSelect({
  label,
  documents,
  loading,
  value,
  onChange,
  error,
  testId,
}: {
  label: string;
  documents: OpenItem[];
  loading: boolean;
  value: string;
  onChange: (documentId: string, document: OpenItem | undefined) => void;
  error?: string | undefined;
  testId: string;
}) {
  const what = label.toLowerCase();
  const article = /^[aeiou]/.test(what) ? 'an' : 'a';
  return (
    <NativeSelect
      label={label}
      value={value}
      onChange={(e) => {
        const id = e.currentTarget.value;
        onChange(
          id,
          documents.find((d) => d.item_id === id),
        );
      }}
      data={[
        { value: '', label: loading ? `Loading the open ${what}s…` : `Choose ${article} ${what}` },
        ...documents.map((d) => ({
          value: d.item_id,
          label: `${d.item_id} — ${formatMoney(d.open_amount, d.currency)} open`,
        })),
      ]}
      error={error}
      data-testid={testId}
    />
  );
}
