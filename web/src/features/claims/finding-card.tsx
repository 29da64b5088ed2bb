import { Alert, Badge, Button, Card, Group, Select, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { ApiError } from '../../ui/api';
import { formatTimestamp } from '../../ui/dates';
import {
  type ClaimFinding,
  effectColors,
  effectLabels,
  resolutionReasons,
  ruleTexts,
  ruleTitle,
} from './claim';
import { Evidence } from './evidence';
import { useResolveFinding } from './use-claims';

/** One finding: what it means in plain words, its detail and evidence side by side, and its resolution. */
export function FindingCard({
  claimId,
  lineNo,
  finding,
  canResolve,
  partner,
}: {
  claimId: string;
  lineNo: number;
  finding: ClaimFinding;
  canResolve: boolean;
  partner: boolean;
}) {
  const resolve = useResolveFinding(claimId);
  const [mode, setMode] = useState<'accepted' | 'overridden' | null>(null);
  const [reason, setReason] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const hint = ruleTexts[finding.rule_code]?.hint;

  const submit = () => {
    if (!mode || !reason) return;
    resolve.mutate(
      { line_no: lineNo, rule_code: finding.rule_code, resolution: mode, reason_code: reason, comment },
      {
        onSuccess: () => {
          notifications.show({
            color: 'green',
            message: `${finding.rule_code} on line ${lineNo} ${mode === 'overridden' ? 'overridden' : 'accepted'}.`,
          });
          setMode(null);
          setReason(null);
          setComment('');
        },
      },
    );
  };

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
                  color={finding.resolution === 'overridden' ? 'grape' : 'blue'}
                >
                  {finding.resolution === 'overridden' ? 'Overridden' : 'Accepted'}
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" ff="monospace">
              {finding.rule_code}
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
              <Text size="xs" c="dimmed">
                {finding.resolution === 'overridden' ? 'Overridden' : 'Accepted'} by {finding.resolved_by}{' '}
                {formatTimestamp(finding.resolved_at)}: {finding.resolution_reason}
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
            <Button size="xs" variant="light" onClick={() => setMode('accepted')}>
              Accept
            </Button>
            <Button size="xs" variant="light" color="grape" onClick={() => setMode('overridden')}>
              Override
            </Button>
          </Group>
        )}
        {mode && (
          <Stack gap="xs">
            <Group align="flex-end" grow>
              <Select
                label={mode === 'overridden' ? 'Override because' : 'Accept because'}
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
            </Group>
            {resolve.isError && (
              <Alert color="red" variant="light">
                {resolve.error instanceof ApiError ? resolve.error.message : 'The resolution failed.'}
              </Alert>
            )}
            <Group gap="xs">
              <Button
                size="xs"
                onClick={submit}
                disabled={!reason}
                loading={resolve.isPending}
                data-testid="resolve-save"
              >
                {mode === 'overridden' ? 'Override finding' : 'Accept finding'}
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
