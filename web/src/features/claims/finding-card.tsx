import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import { amountValue, formatAmount, isAmount } from '../../ui/money';
import { useDocuments } from '../platform/documents/use-documents';
import {
  type ClaimFinding,
  effectColors,
  effectLabels,
  resolutionReasons,
  ruleTexts,
  ruleTitle,
  x12ReasonLabels,
} from './claim';
import { Evidence } from './evidence';
import { useApproveOverride, useResolveFinding } from './use-claims';

/** One finding: what it means in plain words, its detail and evidence side by side, and its resolution. */
type Mode = 'accepted' | 'adjusted' | 'overridden';
const modeWords: Record<Mode, { verb: string; done: string; reason: string }> = {
  accepted: { verb: 'Accept finding', done: 'accepted', reason: 'Accept because' },
  adjusted: { verb: 'Adjust line', done: 'adjusted', reason: 'Adjust because' },
  overridden: { verb: 'Override finding', done: 'overridden', reason: 'Override because' },
};
const resolutionLabels: Record<Mode, string> = {
  accepted: 'Accepted',
  adjusted: 'Adjusted',
  overridden: 'Overridden',
};

/** The claim's documents to cite for a resolution. */
function DocumentChoice({
  claimId,
  accountId,
  value,
  onChange,
  required,
}: {
  claimId: string;
  accountId?: string | null;
  value: string | null;
  onChange: (v: string | null) => void;
  required: boolean;
}) {
  const documents = useDocuments('claim', claimId, accountId);
  const data = (documents.data ?? []).map((d) => ({
    value: d.document_id,
    label: `${d.file_name}${d.document_type ? ` (${d.document_type})` : ''}`,
  }));
  return (
    <Select
      label="Supporting document"
      description={
        required
          ? 'Needed for this rule: attach it to the claim (Documents below), then choose it here.'
          : 'Optional: a document of the claim this rests on.'
      }
      placeholder={data.length === 0 ? 'No document attached yet' : 'Choose a document'}
      data={data}
      value={value}
      onChange={onChange}
      clearable
      required={required}
      data-testid="resolve-document"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function FindingCard({
  claimId,
  accountId,
  lineNo,
  finding,
  canResolve,
  canApproveOverride = false,
  partner,
  claimedAmount,
}: {
  claimId: string;
  /** The claiming account: a claim id is unique within its partner only. */
  accountId?: string | null;
  lineNo: number;
  finding: ClaimFinding;
  canResolve: boolean;
  /** An approver or manager, who approves overrides that wait for one. */
  canApproveOverride?: boolean;
  partner: boolean;
  /** The line's claimed amount: an adjustment goes no higher. */
  claimedAmount?: string;
}) {
  const resolve = useResolveFinding(claimId, accountId);
  const approveOverride = useApproveOverride(claimId, accountId);
  const [mode, setMode] = useState<Mode | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [amount, setAmount] = useState('');
  const [documentId, setDocumentId] = useState<string | null>(null);
  const hint = ruleTexts[finding.rule_code]?.hint;
  const needsDocument = mode !== null && mode !== 'accepted' && finding.override_needs_document;

  const submit = () => {
    if (!mode || !reason) return;
    resolve.mutate(
      {
        line_no: lineNo,
        rule_code: finding.rule_code,
        resolution: mode,
        reason_code: reason,
        comment,
        adjusted_amount: mode === 'adjusted' ? amountValue(amount) : null,
        document_id: documentId,
      },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: `${finding.rule_code} on line ${lineNo} ${modeWords[mode].done}.`,
          });
          setMode(null);
          setReason(null);
          setComment('');
          setAmount('');
          setDocumentId(null);
        },
      },
    );
  };
  const ready =
    reason !== null &&
    (mode !== 'adjusted' || isAmount(amount.trim())) &&
    (!needsDocument || documentId !== null) &&
    !(reason === 'other' && mode !== 'accepted' && !comment.trim());

  return (
    <Card withBorder padding="sm" data-testid={`finding-${finding.rule_code}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2}>
            <Group gap="xs">
              <Text fw={600} size="sm">
                {ruleTitle(finding.rule_code)}
              </Text>
              <Badge size="sm" variant="light" color={effectColors[finding.effect]}>
                {effectLabels[finding.effect]}
              </Badge>
              {finding.resolution && (
                <Badge
                  size="sm"
                  variant="outline"
                  color={
                    finding.resolution === 'overridden'
                      ? 'grape'
                      : finding.resolution === 'adjusted'
                        ? 'orange'
                        : 'blue'
                  }
                >
                  {resolutionLabels[finding.resolution]}
                </Badge>
              )}
            </Group>
            {/* Partners read the finding in words (above); the rule code is the desk's. */}
            <Text size="xs" c="dimmed" ff="monospace" hidden={partner}>
              {finding.rule_code}
              {!partner && finding.x12_reject_reason
                ? ` · 849 ${finding.x12_reject_reason} ${x12ReasonLabels[finding.x12_reject_reason] ?? ''}`
                : ''}
            </Text>
          </Stack>
        </Group>
        <Group align="flex-start" grow wrap="wrap" gap="md">
          <Stack gap={4} miw={240}>
            <Text size="sm">{finding.detail}</Text>
            {partner && hint && (
              <Text size="sm" c="indigo.7">
                What would fix it: {hint}
              </Text>
            )}
            {finding.resolution && (
              <Text size="xs" c="dimmed" data-testid="finding-resolution">
                {resolutionLabels[finding.resolution]}
                {finding.resolution === 'adjusted' && finding.adjusted_amount !== null
                  ? ` to ${formatAmount(finding.adjusted_amount)}`
                  : ''}{' '}
                by {finding.resolved_by} {formatTimestamp(finding.resolved_at)}: {finding.resolution_reason}
                {finding.resolution_document_id ? ' (with a supporting document)' : ''}
              </Text>
            )}
            {finding.override_approval === 'pending' && (
              <Group gap="xs" data-testid="override-pending">
                <Badge size="sm" color="yellow" variant="light">
                  Waiting for an approver
                </Badge>
                <Text size="xs" c="dimmed">
                  The claim is approved once an approver (not {finding.resolved_by ?? 'the analyst'}) approves
                  this {finding.resolution === 'adjusted' ? 'adjustment' : 'override'}.
                </Text>
                {canApproveOverride && (
                  <Button
                    size="xs"
                    color="grape"
                    loading={approveOverride.isPending}
                    onClick={() =>
                      approveOverride.mutate(
                        { line_no: lineNo, rule_code: finding.rule_code },
                        {
                          onSuccess: () =>
                            notifications.show({
                              color: 'green',
                              message: `The override of ${finding.rule_code} on line ${lineNo} is approved.`,
                            }),
                        },
                      )
                    }
                    data-testid="approve-override"
                  >
                    Approve override
                  </Button>
                )}
              </Group>
            )}
            {approveOverride.isError && (
              <Alert color="red" variant="light">
                {approveOverride.error instanceof ApiError
                  ? approveOverride.error.message
                  : 'The approval failed.'}
              </Alert>
            )}
            {finding.override_approval === 'approved' && (
              <Text size="xs" c="dimmed" data-testid="override-approved">
                Override approved by {finding.override_approved_by}{' '}
                {formatTimestamp(finding.override_approved_at)}
              </Text>
            )}
          </Stack>
          <Stack gap={4} miw={240}>
            <Text size="xs" fw={600} c="dimmed" tt="uppercase">
              Evidence
            </Text>
            <Evidence evidence={finding.evidence} />
          </Stack>
        </Group>
        {canResolve && finding.effect !== 'report' && !mode && (
          <Group gap="xs">
            <Button
              size="xs"
              variant="light"
              onClick={() => setMode('accepted')}
              title={
                finding.effect === 'review'
                  ? 'Confirm the finding: the line is not paid'
                  : 'The finding stands as found'
              }
            >
              Accept
            </Button>
            <Button
              size="xs"
              variant="light"
              color="orange"
              onClick={() => setMode('adjusted')}
              title="Set the line's amount yourself (never above what was claimed)"
            >
              Adjust
            </Button>
            <Button size="xs" variant="light" color="grape" onClick={() => setMode('overridden')}>
              Override
            </Button>
          </Group>
        )}
        {mode && (
          <Stack gap="xs">
            {mode === 'accepted' && finding.effect === 'review' && (
              <Text size="xs" c="orange.8">
                Accepting confirms the finding: the line will not be paid.
              </Text>
            )}
            <Group align="flex-end" grow>
              <Select
                label={modeWords[mode].reason}
                placeholder="Choose a reason"
                data={resolutionReasons.map((r) => ({ value: r.value, label: r.label }))}
                value={reason}
                onChange={setReason}
                data-testid="resolve-reason"
                comboboxProps={{ withinPortal: true }}
              />
              <Textarea
                label="Comment"
                autosize
                minRows={1}
                value={comment}
                onChange={(e) => setComment(e.currentTarget.value)}
                data-testid="resolve-comment"
              />
              {mode === 'adjusted' && (
                <TextInput
                  label="Line amount"
                  description={
                    claimedAmount ? `At most the claimed ${formatAmount(claimedAmount)}` : undefined
                  }
                  placeholder="e.g. 110.00"
                  value={amount}
                  onChange={(e) => setAmount(e.currentTarget.value)}
                  error={
                    amount.trim() !== '' && !isAmount(amount.trim()) ? 'An amount like 110.00' : undefined
                  }
                  data-testid="resolve-amount"
                />
              )}
            </Group>
            {mode !== 'accepted' && (
              <DocumentChoice
                claimId={claimId}
                accountId={accountId}
                value={documentId}
                onChange={setDocumentId}
                required={finding.override_needs_document}
              />
            )}
            {resolve.isError && (
              <Alert color="red" variant="light">
                {resolve.error instanceof ApiError ? resolve.error.message : 'The resolution failed.'}
              </Alert>
            )}
            <Group gap="xs">
              <Button
                size="xs"
                onClick={submit}
                disabled={!ready}
                loading={resolve.isPending}
                data-testid="resolve-save"
              >
                {modeWords[mode].verb}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => setMode(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
