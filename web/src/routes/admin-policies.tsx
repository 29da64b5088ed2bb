import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Drawer,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Select,
  Stack,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { claimPath, ruleTexts, ruleTitle } from '../features/claims/claim';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import {
  type Policy,
  type PolicyKey,
  policyAdministrators,
  policyMethods,
} from '../features/policies/policies';
import {
  policiesQuery,
  policyQuery,
  useDeletePolicy,
  usePolicies,
  usePolicy,
  useSavePolicy,
} from '../features/policies/use-policies';
import { fieldErrors } from '../ui/api';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const ruleOptions = Object.keys(ruleTexts)
  .filter((code) => code !== 'PROGRAM_UNKNOWN')
  .map((code) => ({ value: code, label: `${ruleTitle(code)} (${code})` }));
const methodLabel = (m: string) => policyMethods.find((x) => x.value === m)?.label ?? m;

/** What a policy sets, in words. */
function fields(p: Policy): string[] {
  return [
    p.disabled_rules?.length ? `Not run: ${p.disabled_rules.map(ruleTitle).join(', ')}` : null,
    p.late_grace_days != null ? `${p.late_grace_days} days of grace` : null,
    p.required_documents?.length ? `Also requires ${p.required_documents.join(', ')}` : null,
    p.sla_business_days != null ? `SLA ${p.sla_business_days} business days` : null,
    p.payment_methods?.length ? `Paid by ${p.payment_methods.map(methodLabel).join(' or ')}` : null,
    p.override_approval_rules?.length
      ? `Overrides needing an approver: ${p.override_approval_rules.map(ruleTitle).join(', ')}`
      : null,
  ].filter((x): x is string => x !== null);
}

function PolicyForm({ initial, onClose }: { initial: Policy | null; onClose: () => void }) {
  const save = useSavePolicy();
  const errors = fieldErrors(save.error);
  const [scope, setScope] = useState<'country' | 'account'>(initial?.scope ?? 'country');
  const [scopeId, setScopeId] = useState(initial?.scope_id ?? '');
  const [date, setDate] = useState(initial?.effective_date ?? '');
  const [disabled, setDisabled] = useState<string[]>(initial?.disabled_rules ?? []);
  const [grace, setGrace] = useState<number | string>(initial?.late_grace_days ?? '');
  const [docs, setDocs] = useState<string[]>(initial?.required_documents ?? []);
  const [sla, setSla] = useState<number | string>(initial?.sla_business_days ?? '');
  const [methods, setMethods] = useState<string[]>(initial?.payment_methods ?? []);
  const [overrides, setOverrides] = useState<string[]>(initial?.override_approval_rules ?? []);
  const [note, setNote] = useState(initial?.note ?? '');
  const submit = () =>
    save.mutate(
      {
        key: { scope, scope_id: scopeId.trim(), effective_date: date.trim() },
        input: {
          disabled_rules: disabled.length ? disabled : null,
          late_grace_days: grace === '' ? null : Number(grace),
          required_documents: docs.length ? docs : null,
          sla_business_days: sla === '' ? null : Number(sla),
          payment_methods: methods.length ? (methods as ('credit_memo' | 'ach' | 'check' | 'wire')[]) : null,
          override_approval_rules: overrides.length ? overrides : null,
          note: note.trim() || null,
        },
      },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            title: 'Policy saved',
            message: 'Claims are validated again.',
          });
          onClose();
        },
      },
    );
  return (
    <Stack gap="sm" data-testid="policy-form">
      <Group grow>
        <Select
          label="Applies to"
          data={[
            { value: 'country', label: 'A country' },
            { value: 'account', label: 'One customer' },
          ]}
          value={scope}
          onChange={(v) => setScope((v as 'country' | 'account') ?? 'country')}
          disabled={initial !== null}
        />
        <TextInput
          label={scope === 'country' ? 'Country code' : 'Account id'}
          placeholder={scope === 'country' ? 'DE' : 'P-1001'}
          value={scopeId}
          onChange={(e) => setScopeId(e.currentTarget.value)}
          disabled={initial !== null}
          data-testid="policy-scope-id"
        />
        <TextInput
          label="In force from"
          placeholder="2026-01-01"
          value={date}
          onChange={(e) => setDate(e.currentTarget.value)}
          disabled={initial !== null}
          data-testid="policy-date"
        />
      </Group>
      <Text size="xs" c="dimmed">
        A field left empty leaves it to the country’s policy (for a customer) or to the program.
      </Text>
      <MultiSelect
        label="Rules that do not run"
        description="No finding, and no limit of their own on the line"
        data={ruleOptions}
        value={disabled}
        onChange={setDisabled}
        searchable
        error={errors.disabled_rules}
        data-testid="policy-disabled-rules"
      />
      <Group grow>
        <NumberInput
          label="Grace days for late submission"
          description="Added to the program's claim window"
          min={0}
          max={3650}
          value={grace}
          onChange={setGrace}
          error={errors.late_grace_days}
          data-testid="policy-grace"
        />
        <NumberInput
          label="SLA (business days)"
          description="Instead of the program's"
          min={1}
          max={365}
          value={sla}
          onChange={setSla}
          error={errors.sla_business_days}
        />
      </Group>
      <TagsInput
        label="Documents required on top of the program's"
        placeholder="proof_of_delivery"
        value={docs}
        onChange={setDocs}
        error={errors.required_documents}
      />
      <MultiSelect
        label="Payment methods allowed"
        description="Claims whose program pays otherwise wait, with the reason"
        data={policyMethods}
        value={methods}
        onChange={setMethods}
        error={errors.payment_methods}
      />
      <MultiSelect
        label="Overrides that need an approver"
        description="Instead of the administered list of the country"
        data={ruleOptions}
        value={overrides}
        onChange={setOverrides}
        searchable
        error={errors.override_approval_rules}
      />
      <Textarea
        label="Note"
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      {save.error && Object.keys(errors).length === 0 && <Alert color="red">{save.error.message}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} loading={save.isPending} data-testid="policy-save">
          Save
        </Button>
      </Group>
    </Stack>
  );
}

function PolicyClaims({ k, onClose }: { k: PolicyKey; onClose: () => void }) {
  const policy = usePolicy(k);
  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="lg"
      title={`${k.scope === 'country' ? 'Country' : 'Customer'} ${k.scope_id} from ${formatDate(k.effective_date)}`}
    >
      {policy.isPending ? (
        <Loading label="Loading the policy…" />
      ) : policy.isError ? (
        <LoadError error={policy.error} retry={() => void policy.refetch()} what="the policy" />
      ) : (
        <Stack gap="sm" data-testid="policy-claims">
          <Text size="sm">{fields(policy.data).join(' · ') || 'Sets nothing beyond the program.'}</Text>
          {policy.data.note && (
            <Text size="sm" c="dimmed">
              {policy.data.note}
            </Text>
          )}
          <Text fw={500}>
            Claims it touches ({formatCount(policy.data.claims_count)}; their latest validation applied it)
          </Text>
          {policy.data.claims.length === 0 ? (
            <Empty title="No claims" description="No claim’s validation has applied this policy yet." />
          ) : (
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Claim</Table.Th>
                  <Table.Th>Partner</Table.Th>
                  <Table.Th>Submitted</Table.Th>
                  <Table.Th>Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {policy.data.claims.map((c) => (
                  <Table.Tr key={`${c.account_id}:${c.claim_id}`}>
                    <Table.Td>
                      <Anchor component={Link} to={claimPath(c.claim_id, c.account_id)}>
                        {c.claim_id}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{c.account_id}</Table.Td>
                    <Table.Td>{formatDate(c.submitted_date)}</Table.Td>
                    <Table.Td>{c.status.replaceAll('_', ' ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

/** The policy whose claims the address opens beside the list. */
function selectedPolicy(params: URLSearchParams): PolicyKey | null {
  return params.get('scope') && params.get('scope_id') && params.get('effective_date')
    ? {
        scope: params.get('scope') as 'country' | 'account',
        scope_id: params.get('scope_id')!,
        effective_date: params.get('effective_date')!,
      }
    : null;
}

/** What the page shows first: the policies, and the policy whose claims the address opens. */
export function prefetch(url: URL): void {
  startQuery(policiesQuery);
  const selected = selectedPolicy(url.searchParams);
  if (selected) startQuery(policyQuery(selected));
}

/**
 * Country and customer policies (RULES.md "Policies"): effective-dated, the customer's fields over its
 * country's, taken on each claim's submitted date. Administrators and managers change them; a change
 * validates the claims again.
 */
export default function AdminPoliciesPage() {
  const user = useUser();
  const editable = hasAnyRole(user, policyAdministrators);
  const policies = usePolicies();
  const remove = useDeletePolicy();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Policy | 'new' | null>(null);
  const selected = selectedPolicy(params);
  const open = (p: Policy) =>
    setParams({ scope: p.scope, scope_id: p.scope_id, effective_date: p.effective_date });
  return (
    <>
      <PageHeader
        title="Policies"
        description="Global policies as they apply to a country or one customer: rules that do not run, grace days for late claims, extra documents, the SLA, payment methods, overrides that need an approver. A claim takes the policies in force on its submitted date; the customer’s fields win over its country’s."
        actions={
          editable && (
            <Button onClick={() => setEditing('new')} data-testid="policy-new">
              New policy
            </Button>
          )
        }
      />
      <Card>
        {policies.isPending ? (
          <Loading label="Loading policies…" />
        ) : policies.isError ? (
          <LoadError error={policies.error} retry={() => void policies.refetch()} what="the policies" />
        ) : policies.data.items.length === 0 ? (
          <Empty
            title="No policies"
            description="Claims are validated by their programs alone. Add a policy here or load policies.csv."
          />
        ) : (
          <Table striped highlightOnHover data-testid="policies-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Applies to</Table.Th>
                <Table.Th>In force from</Table.Th>
                <Table.Th>What it sets</Table.Th>
                <Table.Th ta="right">Claims</Table.Th>
                <Table.Th>Changed</Table.Th>
                {editable && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {policies.data.items.map((p) => (
                <Table.Tr
                  key={`${p.scope}:${p.scope_id}:${p.effective_date}`}
                  data-testid={`policy-${p.scope_id}`}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Badge variant="light" color={p.scope === 'country' ? 'blue' : 'grape'}>
                        {p.scope === 'country' ? 'Country' : 'Customer'}
                      </Badge>
                      <Text size="sm">
                        {p.scope_name}
                        {p.scope === 'account' ? ` (${p.scope_id})` : ''}
                      </Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDate(p.effective_date)}</Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      {fields(p).map((f) => (
                        <Text key={f} size="sm">
                          {f}
                        </Text>
                      ))}
                      {p.note && (
                        <Text size="xs" c="dimmed">
                          {p.note}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td ta="right">
                    <Anchor
                      component="button"
                      onClick={() => open(p)}
                      data-testid={`policy-claims-${p.scope_id}`}
                    >
                      {formatCount(p.claims_count)}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {formatTimestamp(p.updated_at)}
                      {p.updated_by ? ` by ${p.updated_by}` : ''}
                    </Text>
                  </Table.Td>
                  {editable && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => setEditing(p)}>
                          Edit
                        </Button>
                        <Button
                          size="xs"
                          variant="subtle"
                          color="red"
                          loading={remove.isPending}
                          onClick={() => {
                            if (window.confirm('Delete this policy? Claims are validated again without it.'))
                              remove.mutate(p, {
                                onError: (e) =>
                                  notifications.show({ color: 'red', message: (e as Error).message }),
                              });
                          }}
                        >
                          Delete
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New policy' : 'Edit policy'}
        size="lg"
      >
        {editing !== null && (
          <PolicyForm initial={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
        )}
      </Modal>
      {selected && <PolicyClaims k={selected} onClose={() => setParams({})} />}
    </>
  );
}
