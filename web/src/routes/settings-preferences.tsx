import { Button, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useRefreshSession, useUser } from '../features/identity/session';
import { api } from '../ui/api';
import { formatDate, formatDateInput } from '../ui/dates';
import { currentLocale, offeredLocales } from '../ui/locale';
import { formatAmount } from '../ui/money';
import { PageHeader } from '../ui/page-header';

const browser = '';

/**
 * The user's locale for dates and numbers: every date and amount shown, and every one typed, follows it.
 * Kept on the server, so it follows the user to any browser; without one, the browser's language decides.
 */
export default function SettingsPreferencesPage() {
  const user = useUser();
  const refresh = useRefreshSession();
  const [locale, setLocale] = useState<string>(user.locale ?? browser);
  const [busy, setBusy] = useState(false);
  const browserLanguage = typeof navigator === 'undefined' ? 'en-US' : navigator.language;
  const options = [
    { value: browser, label: `As my browser (${browserLanguage})` },
    ...offeredLocales,
    ...(user.locale && !offeredLocales.some((o) => o.value === user.locale)
      ? [{ value: user.locale, label: user.locale }]
      : []),
  ];
  const save = async () => {
    setBusy(true);
    try {
      await api('/api/preferences', { method: 'PUT', body: { locale: locale || null } });
      await refresh();
      notifications.show({ color: 'teal', message: 'Dates and numbers now follow the new setting.' });
    } catch (error) {
      notifications.show({ color: 'red', message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <PageHeader
        title="Dates and numbers"
        description="How dates and amounts are shown and typed everywhere in Clearhouse: grids, pages, timelines and forms. Exports keep their own formats (ISO dates, plain decimals) so that spreadsheets read them as dates and numbers."
      />
      <Card maw={640}>
        <Stack>
          <Select
            label="Locale"
            data={options}
            value={locale}
            onChange={(v) => setLocale(v ?? browser)}
            allowDeselect={false}
            searchable
            data-testid="locale-select"
          />
          <Table withRowBorders={false} verticalSpacing={4} data-testid="locale-sample">
            <Table.Tbody>
              <Table.Tr>
                <Table.Td c="dimmed">Now in use</Table.Td>
                <Table.Td>{currentLocale()}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">A date</Table.Td>
                <Table.Td>
                  {formatDate('2026-12-31')} · typed as {formatDateInput('2026-12-31')}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Td c="dimmed">An amount</Table.Td>
                <Table.Td>{formatAmount('1234567.5')}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            Partner users choose their own; each user’s setting is kept with the user, not the browser.
          </Text>
          <Group justify="flex-end">
            <Button
              onClick={save}
              loading={busy}
              disabled={locale === (user.locale ?? browser)}
              data-testid="locale-save"
            >
              Save
            </Button>
          </Group>
        </Stack>
      </Card>
    </>
  );
}
