import { Button, Card, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPlus, IconReceipt } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { ClaimsGrid } from '../features/claims/claims-grid';
import { ClaimsUpload } from '../features/claims/claims-upload';
import { useClaims } from '../features/claims/use-claims';
import { PageHeader } from '../ui/page-header';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

/** The portal's claims: the partner's own claims with their status, and ways to send new ones. */
export default function MyClaimsPage() {
  const [search, setSearch] = useState('');
  const claims = useClaims();
  return (
    <Stack>
      <PageHeader
        title="Claims"
        description="Your rebate claims with what validation found on each line, what was approved, and what would fix the rest."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search claims" />
            <Button component={Link} to="/my-claims/new" leftSection={<IconPlus size={16} />}>
              Submit a claim
            </Button>
          </>
        }
      />
      {claims.isPending ? (
        <Loading label="Loading claims…" />
      ) : claims.isError ? (
        <LoadError error={claims.error} retry={() => void claims.refetch()} what="claims" />
      ) : (
        <ClaimsGrid
          claims={claims.data.items}
          search={search}
          partner
          height="auto"
          empty={
            <Paper withBorder>
              <Empty
                icon={<IconReceipt size={22} stroke={1.5} />}
                title="No claims yet"
                description="Submit a claim with the form, or upload a claims.csv below."
              />
            </Paper>
          }
        />
      )}
      <Card>
        <Title order={3} fz="md" fw={600} mb="xs">
          Upload claims
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Send many claims at once as claims.csv or claims.xlsx. The file is loaded whole or not at all.
        </Text>
        <ClaimsUpload />
      </Card>
    </Stack>
  );
}
