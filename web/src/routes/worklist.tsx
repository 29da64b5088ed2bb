import { Stack, Text } from '@mantine/core';
import { IconChecklist } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useNavigate } from 'react-router';
import { useWorklist } from '../features/collections/use-collections';
import { WorklistGrid } from '../features/collections/worklist-grid';
import { formatDate } from '../ui/dates';
import { PageHeader } from '../ui/page-header';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** The collector's worklist: accounts with anything past due, most urgent first, with the next best action. */
export default function WorklistPage() {
  const navigate = useNavigate();
  const worklist = useWorklist();
  const [search, setSearch] = useState('');

  let body: ReactNode;
  if (worklist.isPending) body = <Loading label="Loading the worklist…" />;
  else if (worklist.isError)
    body = <LoadError error={worklist.error} retry={() => void worklist.refetch()} what="the worklist" />;
  else if (worklist.data.rows.length === 0)
    body = (
      <Empty
        icon={<IconChecklist size={22} stroke={1.5} />}
        title="Nothing past due"
        description="Accounts appear here once an item of theirs is past due."
      />
    );
  else
    body = (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          As of {formatDate(worklist.data.as_of)}
          {worklist.data.collector ? ` · accounts of ${worklist.data.collector}` : ' · all collectors'}
        </Text>
        <WorklistGrid
          rows={worklist.data.rows}
          search={search}
          onRowClick={(row) => navigate(`/accounts/${encodeURIComponent(row.account_id)}`)}
        />
      </Stack>
    );

  return (
    <>
      <PageHeader
        title="Worklist"
        description="Accounts with anything past due in priority order: the amount, how old, broken and open promises, and what to do next. Open an account to log a call or a promise."
        actions={<SearchBox value={search} onChange={setSearch} placeholder="Search accounts" />}
      />
      {body}
    </>
  );
}
