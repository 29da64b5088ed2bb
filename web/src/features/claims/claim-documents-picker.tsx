import {
  ActionIcon,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPaperclip, IconPlus, IconTrash } from '@tabler/icons-react';
import { documentTypeLabel } from './claim-form-lookups';

/** A document chosen in the form, sent with the claim (its type counts for the program's required ones). */
export interface PickedDocument {
  document_type: string;
  file: File | null;
}

/**
 * The claim's supporting documents, chosen before submitting: one slot per document type the program (and the
 * partner's policies) require, then any others. Documents attached to a draft or an earlier version count.
 */
export function ClaimDocumentsPicker({
  programChosen,
  required,
  attached,
  picked,
  onChange,
}: {
  programChosen: boolean;
  required: readonly string[];
  attached: readonly { document_type: string; file_name: string }[];
  picked: readonly PickedDocument[];
  onChange: (picked: PickedDocument[]) => void;
}) {
  const fileFor = (type: string) => picked.find((p) => p.document_type === type && required.includes(type));
  const others = picked.map((p, i) => ({ p, i })).filter(({ p }) => !required.includes(p.document_type));
  const setFile = (type: string, file: File | null) => {
    const rest = picked.filter((p) => p.document_type !== type);
    onChange(file ? [...rest, { document_type: type, file }] : rest);
  };
  const setOther = (index: number, change: Partial<PickedDocument>) =>
    onChange(picked.map((p, i) => (i === index ? { ...p, ...change } : p)));

  return (
    <Card withBorder data-testid="claim-documents">
      <Stack gap="sm">
        <Group gap="xs">
          <IconPaperclip size={18} />
          <Title order={4} fz="sm" fw={600}>
            Documents
          </Title>
          <Text size="xs" c="dimmed">
            {!programChosen
              ? 'Choose the program to see the documents it needs.'
              : required.length > 0
                ? 'The program needs the documents below before the claim can be submitted.'
                : 'This program needs no document; attach any that supports the claim.'}
          </Text>
        </Group>
        {required.map((type) => {
          const onFile = attached.filter((a) => a.document_type === type);
          return (
            <Group key={type} gap="sm" align="flex-end" wrap="nowrap">
              <FileInput
                size="xs"
                label={documentTypeLabel(type)}
                required={onFile.length === 0}
                placeholder={onFile.length > 0 ? 'Attached; add another if needed' : 'Choose a file'}
                value={fileFor(type)?.file ?? null}
                onChange={(file) => setFile(type, file)}
                clearable
                w={360}
                data-testid={`claim-document-${type}`}
              />
              {onFile.map((a) => (
                <Badge key={a.file_name} variant="light" color="green">
                  attached: {a.file_name}
                </Badge>
              ))}
            </Group>
          );
        })}
        {attached
          .filter((a) => !required.includes(a.document_type))
          .map((a) => (
            <Text key={`${a.document_type}-${a.file_name}`} size="xs" c="dimmed">
              Attached: {documentTypeLabel(a.document_type)} — {a.file_name}
            </Text>
          ))}
        {others.map(({ p, i }) => (
          <Group key={i} gap="sm" align="flex-end" wrap="nowrap">
            <TextInput
              size="xs"
              label="What it is"
              placeholder="e.g. invoice_copy"
              value={p.document_type}
              onChange={(e) => setOther(i, { document_type: e.currentTarget.value })}
              w={200}
            />
            <FileInput
              size="xs"
              label="File"
              placeholder="Choose a file"
              value={p.file}
              onChange={(file) => setOther(i, { file })}
              w={300}
            />
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label="Remove the document"
              onClick={() => onChange(picked.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            size="xs"
            variant="subtle"
            leftSection={<IconPlus size={14} />}
            onClick={() => onChange([...picked, { document_type: '', file: null }])}
          >
            Add another document
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
