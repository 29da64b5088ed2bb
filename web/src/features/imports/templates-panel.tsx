import { Accordion, Anchor, Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconDownload, IconTemplate } from '@tabler/icons-react';
import { headerCsvUrl, type ImportTemplate, kindLabel } from './import';

/** Each template's columns, so that a user can prepare a file: generated from what the server accepts. */
export function TemplatesPanel({
  templates,
  partner = false,
}: {
  templates: readonly ImportTemplate[];
  partner?: boolean;
}) {
  return (
    <Card data-testid="import-templates">
      <Stack gap="sm">
        <Group gap="xs">
          <IconTemplate size={18} />
          <Title order={3} fz="md" fw={600}>
            Templates
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          One header row with these column names, in any order; dates as YYYY-MM-DD, amounts like 1234.50.
          Rows with the same key as rows already on file update them.
        </Text>
        <Accordion variant="separated" chevronPosition="right">
          {templates.map((template) => (
            <Accordion.Item key={template.kind} value={template.kind}>
              <Accordion.Control>
                <Group gap="xs" justify="space-between" wrap="nowrap" pr="xs">
                  <Text size="sm" fw={500}>
                    {template.label}
                  </Text>
                  <Code>{template.file_name}</Code>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <TemplateDetail template={template} all={templates} partner={partner} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      </Stack>
    </Card>
  );
}

function TemplateDetail({
  template,
  all,
  partner,
}: {
  template: ImportTemplate;
  all: readonly ImportTemplate[];
  partner: boolean;
}) {
  return (
    <Stack gap="xs">
      <Text size="sm">{template.description}</Text>
      <Group gap="xs">
        <Text size="xs" c="dimmed">
          Key
        </Text>
        {template.key.map((column) => (
          <Badge key={column} size="sm" variant="light" color="indigo" tt="none">
            {column}
          </Badge>
        ))}
        {template.partner_may_upload && !partner && (
          <Badge size="sm" variant="light" color="teal">
            Partners may upload
          </Badge>
        )}
      </Group>
      {template.depends_on.length > 0 && (
        <Text size="xs" c="dimmed">
          Load after: {template.depends_on.map((kind) => kindLabel(kind, all)).join(', ')}
        </Text>
      )}
      {template.columns.length > 0 && (
        <Table fz="xs" verticalSpacing={4} striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Meaning</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {template.columns.map((column) => (
              <Table.Tr key={column.name}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Code fz="xs">{column.name}</Code>
                  {column.required && (
                    <Text span c="red" fw={700} ml={4} title="Required">
                      *
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {column.description}
                  <Text span size="xs" c="dimmed">
                    {' '}
                    · {column.type}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          <Text span c="red" fw={700}>
            *
          </Text>{' '}
          required
        </Text>
        {template.format === 'csv' && template.columns.length > 0 && (
          <Anchor href={headerCsvUrl(template)} download={template.file_name} size="xs">
            <Group gap={4}>
              <IconDownload size={14} />
              Empty {template.file_name} with the header row
            </Group>
          </Anchor>
        )}
      </Group>
    </Stack>
  );
}
