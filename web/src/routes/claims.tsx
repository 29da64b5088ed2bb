import { Button, Group, Paper, Select, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconReceipt } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { claimStatuses, claimStatusLabels } from '../features/claims/claim';
import { ClaimsGrid } from '../features/claims/claims-grid';
import { useClaims, useValidateClaims } from '../features/claims/use-claims';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** The desk's claim queue: every claim, newest first, filtered by status, partner and program. */
export default function ClaimsPage() {
  const user = useUser();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [partner, setPartner] = useState<string | null>(null);
  const [program, setProgram] = useState<string | null>(null);
  const all = useClaims();
  const validate = useValidateClaims();
  const claims = useMemo(
    () =>
      (all.data?.items ?? []).filter(
        (c) =>
          (!status || c.status === status) &&
          (!partner || c.account_id === partner) &&
          (!program || c.program_id === program),
      ),
    [all.data, status, partner, program],
  );
  const partners = useMemo(() => {
    const seen = new Map<string, string>();
    for (const c of all.data?.items ?? []) seen.set(c.account_id, c.partner_name ?? c.account_id);
    return [...seen]
      .map(([value, label]) => ({ value, label }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [all.data]);
  const programs = useMemo(
    () => [...new Set((all.data?.items ?? []).map((c) => c.program_id))].sort(),
    [all.data],
  );
  return (
    <>
      <PageHeader
        title="Claims"
        description="Partners’ rebate claims with what validation found: work the queue, resolve findings with the evidence beside them, approve or reject."
        actions={
          <>
            {hasAnyRole(user, ['administrator', 'rebate_analyst', 'manager']) && (
              <Button
                variant="light"
                loading={validate.isPending}
                onClick={() =>
                  validate.mutate(undefined, {
                    onSuccess: (r) =>
                      notifications.show({
                        message: `Validation ran over ${r.summary.lines} lines; ${r.summary.claims_validated} claims newly validated.`,
                      }),
                    onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
                  })
                }
                data-testid="validate-claims"
              >
                Validate now
              </Button>
            )}
            <SearchBox value={search} onChange={setSearch} placeholder="Search claims" />
          </>
        }
      />
      <Group mb="sm" gap="sm">
        <Select
          placeholder="Any status"
          clearable
          data={claimStatuses.map((s) => ({ value: s, label: claimStatusLabels[s] }))}
          value={status}
          onChange={setStatus}
          data-testid="claims-status-filter"
        />
        <Select
          placeholder="Any partner"
          clearable
          searchable
          data={partners}
          value={partner}
          onChange={setPartner}
        />
        <Select
          placeholder="Any program"
          clearable
          searchable
          data={programs}
          value={program}
          onChange={setProgram}
        />
      </Group>
      {all.isPending ? (
        <Loading label="Loading claims…" />
      ) : all.isError ? (
        <LoadError error={all.error} retry={() => void all.refetch()} what="claims" />
      ) : (
        <>
          <ClaimsGrid
            claims={claims}
            search={search}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconReceipt size={22} stroke={1.5} />}
                  title="No claims"
                  description="Claims arrive from partners through the portal, uploads of claims.csv and the API."
                />
              </Paper>
            }
          />
          <Text size="xs" c="dimmed" mt="xs">
            {claims.length.toLocaleString()} claim{claims.length === 1 ? '' : 's'}
            {claimTotals(claims)}
          </Text>
        </>
      )}
    </>
  );
}

/** Claimed and approved totals per currency, summed exactly on decimal strings (never floats). */
function claimTotals(
  claims: { currency: string; claimed_amount: string; approved_amount: string | null }[],
): string {
  const sums = new Map<string, { claimed: bigint; approved: bigint }>();
  const cents = (s: string | null) => {
    if (!s) return 0n;
    const [whole = '0', fraction = ''] = s.replace('-', '').split('.');
    const v = BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
    return s.startsWith('-') ? -v : v;
  };
  for (const c of claims) {
    const t = sums.get(c.currency) ?? { claimed: 0n, approved: 0n };
    t.claimed += cents(c.claimed_amount);
    t.approved += cents(c.approved_amount);
    sums.set(c.currency, t);
  }
  const text = (v: bigint) => {
    const neg = v < 0n;
    const a = neg ? -v : v;
    return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
  };
  return [...sums]
    .map(
      ([cur, t]) =>
        ` · claimed ${formatMoney(text(t.claimed), cur)}, approved ${formatMoney(text(t.approved), cur)}`,
    )
    .join('');
}
