import { Button, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ApprovalLimitsCard } from '../features/adjustments/approval-limits-card';
import { approvalLimitsQuery } from '../features/adjustments/use-adjustments';
import { AddUserModal } from '../features/identity/add-user-modal';
import { EditUserModal } from '../features/identity/edit-user-modal';
import { usersQuery, useUsers } from '../features/identity/use-users';
import type { User } from '../features/identity/user';
import { UsersGrid } from '../features/identity/users-grid';
import { gridViewsQuery } from '../ui/grid-views';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { LoadError, Loading } from '../ui/states';

/** What the page shows first: the users with their grid's saved views, and the approval limits below them. */
export function prefetch(): void {
  startQuery(usersQuery);
  startQuery(gridViewsQuery('users-grid'));
  startQuery(approvalLimitsQuery);
}

export default function AdminUsersPage() {
  const users = useUsers();
  const [search, setSearch] = useState('');
  const [adding, add] = useDisclosure(false);
  const [editing, setEditing] = useState<User | null>(null);

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in: the company's staff by role, and partner users tied to their organisation. Click a user to change roles, disable them or reset their password."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search users" />
            <Button leftSection={<IconUserPlus size={16} />} onClick={add.open} data-testid="add-user">
              Add user
            </Button>
          </>
        }
      />
      {users.isPending ? (
        <Loading label="Loading users…" />
      ) : users.isError ? (
        <LoadError error={users.error} retry={() => void users.refetch()} what="users" />
      ) : (
        <>
          <UsersGrid users={users.data} search={search} onOpen={setEditing} />
          <Text size="xs" c="dimmed" mt="xs">
            {users.data.length} user{users.data.length === 1 ? '' : 's'},{' '}
            {users.data.filter((user) => user.active).length} active
          </Text>
          <ApprovalLimitsCard />
        </>
      )}
      {adding && <AddUserModal onClose={add.close} />}
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
