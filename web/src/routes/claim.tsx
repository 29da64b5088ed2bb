import {
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFilePencil, IconReceipt, IconSend } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  type ClaimDetail,
  type ClaimLine,
  type ClaimSla,
  claimDeciders,
  claimStatusColors,
  claimStatusLabels,
  claimSubmitters,
  correctableStatuses,
  lineStatusColors,
  lineStatusLabels,
  ruleTitle,
  urgentSetters,
} from '../features/claims/claim';
import { ClaimDocumentsViewer } from '../features/claims/claim-documents-viewer';
import { ClaimVersions } from '../features/claims/claim-versions';
import { FindingCard } from '../features/claims/finding-card';
import { LineEvidence } from '../features/claims/line-evidence';
import { StatementButtons } from '../features/claims/statement-buttons';
import { useApproveClaim, useClaim, useRejectClaim, useSubmitDraft } from '../features/claims/use-claims';
import { useSetUrgent } from '../features/claims-reports/use-reports';
import { useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { messageDesk } from '../features/messages/messages';
import { MessagesPanel } from '../features/messages/messages-panel';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { ApiError } from '../ui/api';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatAmount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

const slaLabels = {
  on_track: 'On track',
  due_soon: 'Due soon',
  breached: 'Breached',
  met: 'Met',
  missed: 'Missed',
} as const;
const slaColors = {
  on_track: 'green',
  due_soon: 'orange',
  breached: 'red',
  met: 'green',
  missed: 'red',
} as const;

const paymentMethodLabels: Record<string, string> = {
  credit_memo: 'Credit memo',
  ach: 'ACH',
  check: 'Check',
  wire: 'Wire',
};

const decided = ['approved', 'partially_approved', 'rejected', 'in_payment', 'paid', 'closed'];

function Figure({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={500}>{value || '—'}</Text>
    </Stack>
  );
}

/** The SLA clock in words: days left, days overdue, or how long it took once stopped. */
function slaText(sla: ClaimSla): string {
  const left = sla.business_days_left;
  const days = (n: number) => `${n} business day${n === 1 ? '' : 's'}`;
  if (left === null) return `took ${days(sla.age_business_days)} (target ${sla.target_business_days})`;
  if (left < 0) return `due ${formatDate(sla.due_date)}: ${days(-left)} overdue`;
  if (left === 0) return `due today (${formatDate(sla.due_date)})`;
  return `due ${formatDate(sla.due_date)}: ${days(left)} left`;
}

function lineWhat(line: ClaimLine): string {
  if (line.sku) return `${line.qty ?? ''} × ${line.sku} sold ${formatDate(line.sale_date)}`;
  return `Period ${formatDate(line.period_start)} – ${formatDate(line.period_end)}`;
}

/** One claim: header, lines with their results, each line's findings beside their evidence, decisions. */
export default function ClaimPage() {
  const { claimId = '' } = useParams();
  // A claim id is unique within its partner only: the account names the claim (links always carry it).
  const [search] = useSearchParams();
  const accountId = search.get('account_id');
  const user = useUser();
  const partner = isPartner(user);
  const canDecide = hasAnyRole(user, claimDeciders);
  const canApproveOverride = hasAnyRole(user, ['approver', 'manager']);
  const claim = useClaim(claimId, accountId);
  const approve = useApproveClaim(claimId, accountId);
  const reject = useRejectClaim(claimId, accountId);
  const submitDraft = useSubmitDraft();
  const setUrgent = useSetUrgent();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const back = partner ? { to: '/my-claims', label: 'Claims' } : { to: '/claims', label: 'Claims' };

  if (claim.isPending) return <Loading label="Loading claim…" />;
  if (claim.isError) {
    if (claim.error instanceof ApiError && claim.error.status === 404) {
      return (
        <Empty
          icon={<IconReceipt size={22} stroke={1.5} />}
          title="No such claim"
          description={`There is no claim ${claimId} that you can see.`}
          action={
            <Button component={Link} to={back.to} variant="light">
              Back to claims
            </Button>
          }
        />
      );
    }
    return <LoadError error={claim.error} retry={() => void claim.refetch()} what="the claim" />;
  }

  const { claim: c, lines, reconciliation: r } = claim.data;
  const missingTypes = [
    ...new Set(
      lines.flatMap((l) =>
        l.findings
          .filter((f) => f.rule_code === 'MISSING_DOCUMENT' && !f.resolution)
          .flatMap((f) => (Array.isArray(f.evidence.missing) ? (f.evidence.missing as string[]) : [])),
      ),
    ),
  ];
  const isDraft = c.status === 'draft';
  const open = !decided.includes(c.status);
  const waiting = lines.some((l) => l.status === 'review' || l.status === null);
  const resolvable = canDecide && open && c.status !== 'submitted' && !isDraft;
  const canSubmitDraft = isDraft && (partner || hasAnyRole(user, claimSubmitters));
  const canSetUrgent = !partner && hasAnyRole(user, urgentSetters) && !isDraft && open;

  const doSubmitDraft = () =>
    submitDraft.mutate(c.claim_id, {
      onSuccess: () =>
        notifications.show({
          color: 'green',
          message: `Claim ${c.claim_id} submitted; its findings appear within moments.`,
        }),
      onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
    });

  const doApprove = () =>
    approve.mutate(undefined, {
      onSuccess: () => notifications.show({ color: 'green', message: `Claim ${c.claim_id} decided.` }),
      onError: (error) => notifications.show({ color: 'red', message: (error as Error).message }),
    });
  const doReject = () =>
    reject.mutate(reason, {
      onSuccess: () => {
        setRejecting(false);
        notifications.show({ message: `Claim ${c.claim_id} rejected.` });
      },
    });

  return (
    <Stack data-testid="claim-detail">
      <PageHeader
        above={
          <Breadcrumbs>
            <Anchor component={Link} to={back.to} size="sm">
              {back.label}
            </Anchor>
            <Text size="sm">{c.claim_id}</Text>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            Claim {c.claim_id}
            <Badge variant="light" size="lg" color={claimStatusColors[c.status]} data-testid="claim-status">
              {claimStatusLabels[c.status]}
            </Badge>
          </Group>
        }
        description={`${c.partner_name ?? c.account_id} · ${c.program_name ?? c.program_id} · version ${c.version}`}
        actions={
          isDraft
            ? canSubmitDraft && (
                <Group gap="xs">
                  {partner && (
                    <Button
                      component={Link}
                      to={`/my-claims/new?draft=${encodeURIComponent(c.claim_id)}`}
                      variant="light"
                      leftSection={<IconFilePencil size={16} />}
                      data-testid="continue-draft"
                    >
                      Continue editing
                    </Button>
                  )}
                  <Button
                    onClick={doSubmitDraft}
                    loading={submitDraft.isPending}
                    leftSection={<IconSend size={16} />}
                    data-testid="submit-draft"
                  >
                    Submit
                  </Button>
                </Group>
              )
            : partner
              ? correctableStatuses.includes(c.status) &&
                lines.some(
                  (l) => l.status === 'rejected' || l.status === 'adjusted' || l.status === 'review',
                ) && (
                  <Button
                    component={Link}
                    to={`/my-claims/new?from=${encodeURIComponent(c.claim_id)}`}
                    variant="light"
                    data-testid="correct-claim"
                  >
                    Correct and resubmit
                  </Button>
                )
              : canDecide &&
                open && (
                  <Group gap="xs">
                    <Button
                      onClick={doApprove}
                      loading={approve.isPending}
                      disabled={waiting || c.status === 'submitted'}
                      title={waiting ? 'Resolve the lines waiting for review first' : undefined}
                      data-testid="approve-claim"
                    >
                      Approve
                    </Button>
                    <Button
                      color="red"
                      variant="light"
                      onClick={() => setRejecting(true)}
                      data-testid="reject-claim"
                    >
                      Reject
                    </Button>
                  </Group>
                )
        }
      />
      {!isDraft && <StatementButtons claimId={c.claim_id} accountId={c.account_id} />}

      <Card>
        <SimpleGrid cols={{ base: 2, md: 4, lg: 7 }}>
          <Figure label="Submitted" value={isDraft ? 'Not yet' : formatDate(c.submitted_date)} />
          {claim.data.sla && (
            <Figure
              label={c.urgent ? 'SLA · urgent' : 'SLA'}
              value={
                <Stack gap={4} data-testid="claim-sla">
                  <Group gap={6}>
                    <Badge variant="light" color={slaColors[claim.data.sla.sla_state]}>
                      {slaLabels[claim.data.sla.sla_state]}
                    </Badge>
                    {c.urgent && !canSetUrgent && (
                      <Badge variant="light" color="red">
                        Urgent
                      </Badge>
                    )}
                  </Group>
                  <Text size="sm">{slaText(claim.data.sla)}</Text>
                  {canSetUrgent && (
                    <Switch
                      size="xs"
                      label="Urgent (half the target)"
                      checked={c.urgent}
                      disabled={setUrgent.isPending}
                      onChange={(e) =>
                        setUrgent.mutate(
                          { claimId: c.claim_id, accountId: c.account_id, urgent: e.currentTarget.checked },
                          {
                            onError: (err) =>
                              notifications.show({ color: 'red', message: (err as Error).message }),
                          },
                        )
                      }
                      data-testid="claim-urgent"
                    />
                  )}
                </Stack>
              }
            />
          )}
          <Figure label="Validated" value={formatTimestamp(c.validated_at)} />
          <Figure
            label="Decided"
            value={c.decided_at ? `${formatTimestamp(c.decided_at)} by ${c.decided_by}` : ''}
          />
          <Figure label="Claimed" value={formatMoney(r.claimed_amount, c.currency)} />
          <Figure label="Calculated" value={formatMoney(r.calculated_amount, c.currency)} />
          <Figure label="Approved" value={formatMoney(r.approved_amount, c.currency)} />
          {claim.data.payment && (
            <Figure
              label={claim.data.payment.status === 'paid' ? 'Paid' : 'In payment'}
              value={
                <Stack gap={0} data-testid="claim-payment">
                  <Text fw={500}>{formatMoney(claim.data.payment.amount, c.currency)}</Text>
                  <Text size="xs" c="dimmed">
                    {paymentMethodLabels[claim.data.payment.method] ?? claim.data.payment.method}
                    {claim.data.payment.paid_on ? ` · ${formatDate(claim.data.payment.paid_on)}` : ''}
                    {claim.data.payment.document_id ? ` · ${claim.data.payment.document_id}` : ''}
                  </Text>
                </Stack>
              }
            />
          )}
          {claim.data.deductions.length > 0 && (
            <Figure
              label="Paid by deduction"
              value={
                <Stack gap={0} data-testid="claim-deductions">
                  {claim.data.deductions.map((d) => (
                    <Text key={`${d.deduction_id}:${d.document_id}`} size="sm">
                      <Anchor component={Link} to={`/deductions/${encodeURIComponent(d.deduction_id)}`}>
                        {d.deduction_id}
                      </Anchor>{' '}
                      {formatMoney(d.amount, c.currency)} · {formatDate(d.settled_on)}
                    </Text>
                  ))}
                </Stack>
              }
            />
          )}
          <Figure label="Variance" value={formatMoney(r.variance, c.currency)} />
        </SimpleGrid>
        {claim.data.policy && <PolicyApplied policy={claim.data.policy} />}
        {r.by_rule_code.length > 0 && (
          <Text size="sm" c="dimmed" mt="sm">
            Variance by rule:{' '}
            {r.by_rule_code
              .map(
                (v) =>
                  `${ruleTitle(v.rule_code)}${partner ? '' : ` (${v.rule_code})`} ${formatMoney(v.variance, c.currency)}`,
              )
              .join(' · ')}
          </Text>
        )}
        {c.status === 'submitted' && (
          <Alert mt="sm" variant="light" color="blue">
            This claim is waiting for validation; findings appear here within moments.
          </Alert>
        )}
        {isDraft && (
          <Alert mt="sm" variant="light" color="gray" title="A draft" data-testid="draft-alert">
            {partner
              ? 'Not submitted yet: nothing is checked and the claim has no SLA until you submit it. Continue editing it, or submit it as it is.'
              : 'Not submitted yet: it is not validated, has no SLA and cannot be decided until it is submitted.'}
          </Alert>
        )}
      </Card>

      <Card data-testid="claim-lines">
        <Title order={3} fz="md" fw={600} mb="sm">
          Lines
        </Title>
        <Table.ScrollContainer minWidth={900}>
          <Table striped fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Line</Table.Th>
                <Table.Th>What</Table.Th>
                <Table.Th>Deal / sell-out</Table.Th>
                <Table.Th ta="right">Claimed per unit</Table.Th>
                <Table.Th ta="right">Claimed</Table.Th>
                <Table.Th ta="right">Approved qty</Table.Th>
                <Table.Th ta="right">Approved per unit</Table.Th>
                <Table.Th ta="right">Approved</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {lines.map((l) => (
                <Table.Tr key={l.line_no} data-testid={`claim-line-${l.line_no}`}>
                  <Table.Td>{l.line_no}</Table.Td>
                  <Table.Td>{lineWhat(l)}</Table.Td>
                  <Table.Td>
                    {[l.deal_id, l.matched_sell_out_ref ?? l.sell_out_ref].filter(Boolean).join(' / ')}
                  </Table.Td>
                  <Table.Td ta="right">{formatAmount(l.claimed_unit_amount)}</Table.Td>
                  <Table.Td ta="right">{formatAmount(l.claimed_amount)}</Table.Td>
                  <Table.Td ta="right">{l.approved_qty ?? ''}</Table.Td>
                  <Table.Td ta="right">{formatAmount(l.approved_unit_amount)}</Table.Td>
                  <Table.Td ta="right">{formatAmount(l.approved_amount)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {l.status ? (
                      <Badge
                        variant="light"
                        color={lineStatusColors[l.status]}
                        style={{ overflow: 'visible' }}
                      >
                        {lineStatusLabels[l.status]}
                      </Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {isDraft ? 'Draft' : 'Not validated yet'}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>

      {lines.some((l) => l.findings.length > 0) && (
        <Card data-testid="claim-findings">
          <Title order={3} fz="md" fw={600} mb="sm">
            Findings and their evidence
          </Title>
          <Stack gap="lg">
            {lines
              .filter((l) => l.findings.length > 0)
              .map((l) => (
                <Stack key={l.line_no} gap="xs" data-testid={`claim-line-findings-${l.line_no}`}>
                  <Text fw={600} size="sm">
                    Line {l.line_no}: {lineWhat(l)}
                  </Text>
                  <Grid gap="md">
                    <Grid.Col span={{ base: 12, lg: 7 }}>
                      <Stack gap="xs">
                        {l.findings.map((f) => (
                          <FindingCard
                            key={f.rule_code}
                            claimId={c.claim_id}
                            accountId={c.account_id}
                            lineNo={l.line_no}
                            finding={f}
                            canResolve={resolvable}
                            canApproveOverride={canApproveOverride && open}
                            partner={partner}
                            claimedAmount={l.claimed_amount}
                          />
                        ))}
                      </Stack>
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, lg: 5 }}>
                      <LineEvidence
                        line={l}
                        budget={claim.data.budget}
                        currency={c.currency}
                        partner={partner}
                      />
                    </Grid.Col>
                  </Grid>
                </Stack>
              ))}
          </Stack>
        </Card>
      )}

      <ClaimVersions claimId={c.claim_id} accountId={c.account_id} version={c.version} partner={partner} />

      {(partner || hasAnyRole(user, messageDesk)) && (
        <MessagesPanel
          subject={{ accountId: c.account_id, claimId: c.claim_id }}
          title={partner ? 'Messages with your analyst' : 'Messages with the partner'}
        />
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <ClaimDocumentsViewer
            claimId={c.claim_id}
            accountId={c.account_id}
            named={claim.data.documents}
            missingTypes={missingTypes}
            canUpload={open || c.status === 'rejected'}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <AuditTrail entityType="claim" entityId={c.claim_id} accountId={c.account_id} />
        </Grid.Col>
      </Grid>

      <Modal opened={rejecting} onClose={() => setRejecting(false)} title={`Reject claim ${c.claim_id}`}>
        <Stack>
          <Textarea
            label="Reason"
            description="The partner sees this reason."
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="reject-reason"
          />
          {reject.isError && (
            <Alert color="red" variant="light">
              {(reject.error as Error).message}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="subtle" onClick={() => setRejecting(false)}>
              Cancel
            </Button>
            <Button
              color="red"
              onClick={doReject}
              disabled={!reason.trim()}
              loading={reject.isPending}
              data-testid="reject-confirm"
            >
              Reject claim
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** Which policies the claim's validation applied (RULES.md "Policies"), and what they set. */
function PolicyApplied({ policy }: { policy: NonNullable<ClaimDetail['policy']> }) {
  const parts = [
    policy.disabled_rules?.length
      ? `rules not run: ${policy.disabled_rules.map(ruleTitle).join(', ')}`
      : null,
    policy.late_grace_days != null ? `${policy.late_grace_days} days of grace for late submission` : null,
    policy.required_documents?.length ? `also requires ${policy.required_documents.join(', ')}` : null,
    policy.sla_business_days != null ? `SLA of ${policy.sla_business_days} business days` : null,
    policy.payment_methods?.length
      ? `paid by ${policy.payment_methods.map((m) => paymentMethodLabels[m] ?? m).join(' or ')} only`
      : null,
  ].filter(Boolean);
  const which = [
    policy.country
      ? `${policy.country.scope_id} country policy from ${formatDate(policy.country.effective_date)}`
      : null,
    policy.account ? `the partner’s own policy from ${formatDate(policy.account.effective_date)}` : null,
  ].filter(Boolean);
  const link = (scope: string, scopeId: string, date: string) =>
    `/admin/policies?scope=${scope}&scope_id=${encodeURIComponent(scopeId)}&effective_date=${date}`;
  return (
    <Alert mt="sm" variant="light" color="gray" title="Policy applied" data-testid="claim-policy">
      <Text size="sm">
        Validated under {which.join(' and ')} (in force on the submitted date; the partner’s fields win over
        the country’s): {parts.join('; ') || 'nothing beyond the program'}.
      </Text>
      <Group gap="xs" mt={4}>
        {policy.country && (
          <Anchor
            size="sm"
            component={Link}
            to={link('country', policy.country.scope_id, policy.country.effective_date)}
          >
            Country policy
          </Anchor>
        )}
        {policy.account && (
          <Anchor
            size="sm"
            component={Link}
            to={link('account', policy.account.scope_id, policy.account.effective_date)}
          >
            Partner policy
          </Anchor>
        )}
      </Group>
    </Alert>
  );
}
