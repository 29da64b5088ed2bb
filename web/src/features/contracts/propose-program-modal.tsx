import { Alert, Button, Group, JsonInput, List, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ApiError } from '../../ui/api';
import { type ProgramTerms, programPath } from './contract';
import { useProposeProgram } from './use-contracts';

const example = {
  program_id: 'SO-2026-DE',
  name: 'Sell-out Germany 2026',
  type: 'sell_out',
  currency: 'EUR',
  country: 'DE',
  start_date: '2026-01-01',
  end_date: '2026-12-31',
  claim_window_days: '90',
  per_unit_amount: '12.50',
};

const outcomes: Record<string, string> = {
  created: 'A new program, saved as draft version 1.',
  version_created: 'Saved as a new draft version.',
  draft_replaced: 'The open draft was replaced with these terms.',
  unchanged: 'These are already the terms of the latest version; nothing changed.',
};

/**
 * A program's terms as programs.json writes them, sent as a draft: a new program, or a change to an
 * existing one (a new version, or the open draft replaced). An approver then approves and activates it.
 */
export function ProposeProgramModal({ terms, onClose }: { terms?: ProgramTerms; onClose: () => void }) {
  const navigate = useNavigate();
  const propose = useProposeProgram();
  const [text, setText] = useState(JSON.stringify(terms ?? example, null, 2));
  const [problem, setProblem] = useState<{ message: string; issues: string[] } | null>(null);

  const submit = async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      setProblem({ message: 'This is not valid JSON: check the quotes, commas and brackets.', issues: [] });
      return;
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      setProblem({ message: 'Send one program: a JSON object, not a list.', issues: [] });
      return;
    }
    try {
      const result = await propose.mutateAsync(body as Record<string, unknown>);
      notifications.show({ color: 'teal', title: result.program.name, message: outcomes[result.outcome] });
      onClose();
      navigate(programPath(result.program.program_id, result.program.version.version));
    } catch (error) {
      setProblem({
        message: error instanceof Error ? error.message : 'The program was not saved.',
        issues: error instanceof ApiError ? error.issues.map((i) => `${i.field}: ${i.message}`) : [],
      });
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={terms ? `Propose a change to ${terms.name}` : 'New program'}
      size="xl"
      closeOnClickOutside={false}
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          The program as programs.json writes it (amounts and rates in quotes, e.g. "12.50", "0.02"). It is
          saved as a draft; it applies to claims only once an approver has approved and activated it.
        </Text>
        {problem && (
          <Alert color="red" title="Not saved">
            <Text size="sm">{problem.issues.length > 0 ? 'Fix these and send again:' : problem.message}</Text>
            {problem.issues.length > 0 && (
              <List size="sm" mt={4}>
                {problem.issues.map((issue) => (
                  <List.Item key={issue}>{issue}</List.Item>
                ))}
              </List>
            )}
          </Alert>
        )}
        <JsonInput
          value={text}
          onChange={setText}
          autosize
          minRows={14}
          maxRows={28}
          formatOnBlur
          validationError="Not valid JSON"
          aria-label="Program terms"
          data-testid="program-json"
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} loading={propose.isPending}>
            Save as draft
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
