import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Pagination,
  Paper,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFilePencil, IconPlus, IconReceipt, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type ClaimQueueFilters, type ClaimQueueItem, claimPath } from '../features/claims/claim';
import { ClaimQueueGrid } from '../features/claims/claim-queue-grid';
import { ClaimsUpload } from '../features/claims/claims-upload';
import { claimQueueQuery, useClaimQueue, useSubmitDraft } from '../features/claims/use-claims';
import { type GridQuery, gridQueryParams, noGridQuery } from '../ui/data-grid';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { Empty, LoadError, Loading } from '../ui/states';

const pageSize = 100;

/** The claims sent, newest first, a page at a time in the grid's sort and filters. */
const sentFilters = (grid: GridQuery, page: number): ClaimQueueFilters => ({
  sort: 'submitted',
  ...gridQueryParams(grid),
  limit: pageSize,
  offset: (page - 1) * pageSize,
});
const draftFilters: ClaimQueueFilters = { status: 'draft', sort: 'submitted', limit: 1000 };

/** What the page shows first: the first page of claims sent, the drafts, and the grid's saved views. */
export function prefetch(url: URL): void {
  startQuery(claimQueueQuery(sentFilters(noGridQuery, 1)));
  startQuery(claimQueueQuery(draftFilters));
  if (url.searchParams.get('view') !== 'drafts') startQuery(gridViewsQuery('claims-grid'));
}

/** The drafts a partner saved: finish one in the form, or submit it as it is. */
function DraftsList({ drafts }: { drafts: ClaimQueueItem[] }) {
  const submit = useSubmitDraft();
  if (drafts.length === 0) {
    return (
      <Paper withBorder>
        <Empty
          icon={<IconFilePencil size={22} stroke={1.5} />}
          title="No drafts"
          description="Save a claim as a draft from the form to finish it later; drafts are not checked against your contract until you submit them."
        />
      </Paper>
    );
  }
  return (
    <Card p={0} data-testid="drafts-list">
      <Table verticalSpacing="sm" fz="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Claim</Table.Th>
            <Table.Th>Program</Table.Th>
            <Table.Th ta="right">Lines</Table.Th>
            <Table.Th ta="right">Claimed</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {drafts.map((d) => (
            <Table.Tr key={d.claim_id} data-testid={`draft-${d.claim_id}`}>
              <Table.Td>
                <Anchor component={Link} to={claimPath(d.claim_id, d.account_id)} size="sm">
                  {d.claim_id}
                </Anchor>
              </Table.Td>
              <Table.Td>{d.program_name ?? d.program_id}</Table.Td>
              <Table.Td ta="right">{d.lines}</Table.Td>
              <Table.Td ta="right">{formatMoney(d.claimed_amount, d.currency)}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end" wrap="nowrap">
                  <Button
                    component={Link}
                    to={`/my-claims/new?draft=${encodeURIComponent(d.claim_id)}`}
                    size="xs"
                    variant="light"
                    leftSection={<IconFilePencil size={14} />}
                    data-testid={`continue-${d.claim_id}`}
                  >
                    Continue editing
                  </Button>
                  <Button
                    size="xs"
                    leftSection={<IconSend size={14} />}
                    loading={submit.isPending && submit.variables === d.claim_id}
                    onClick={() =>
                      submit.mutate(d.claim_id, {
                        onSuccess: () =>
                          notifications.show({
                            color: 'green',
                            message: `Claim ${d.claim_id} submitted; its findings appear within moments.`,
                          }),
                        onError: (e) => notifications.show({ color: 'red', message: (e as Error).message }),
                      })
                    }
                    data-testid={`submit-${d.claim_id}`}
                  >
                    Submit
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** The portal's claims: those sent (with status and SLA) and drafts, and ways to send new ones. */
export default function MyClaimsPage() {
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'drafts' ? 'drafts' : 'sent';
  // Newest first, 100 at a time; the grid's sort and column filters go to the server, over every claim.
  const [grid, setGrid] = useState<GridQuery>(noGridQuery);
  const [page, setPage] = useState(1);
  const sent = useClaimQueue(sentFilters(grid, page));
  const pages = Math.max(1, Math.ceil((sent.data?.total ?? 0) / pageSize));
  const drafts = useClaimQueue(draftFilters);
  return (
    <Stack>
      <PageHeader
        title="Claims"
        description="Your rebate claims with what validation found on each line, what was approved, what would fix the rest, and how long until each is due."
        actions={
          <Button component={Link} to="/my-claims/new" leftSection={<IconPlus size={16} />}>
            Submit a claim
          </Button>
        }
      />
      <Tabs
        value={view}
        onChange={(v) => setParams(v === 'drafts' ? { view: 'drafts' } : {}, { replace: true })}
      >
        <Tabs.List mb="sm">
          <Tabs.Tab value="sent" data-testid="claims-tab-sent">
            Submitted
          </Tabs.Tab>
          <Tabs.Tab
            value="drafts"
            data-testid="claims-tab-drafts"
            rightSection={
              drafts.data && drafts.data.total > 0 ? (
                <Badge size="xs" variant="light" color="gray">
                  {drafts.data.total}
                </Badge>
              ) : undefined
            }
          >
            Drafts
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="sent">
          {sent.isPending ? (
            <Loading label="Loading claims…" />
          ) : sent.isError ? (
            <LoadError error={sent.error} retry={() => void sent.refetch()} what="claims" />
          ) : (
            <>
              <ClaimQueueGrid
                claims={sent.data.items}
                partner
                height="auto"
                onQuery={(next) => {
                  setGrid(next);
                  setPage(1);
                }}
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
              {pages > 1 && (
                <Group justify="space-between" mt="xs">
                  <Text size="xs" c="dimmed" data-testid="my-claims-total">
                    {formatCount(sent.data.total)} claims
                  </Text>
                  <Pagination size="sm" total={pages} value={Math.min(page, pages)} onChange={setPage} />
                </Group>
              )}
            </>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="drafts">
          {drafts.isPending ? (
            <Loading label="Loading drafts…" />
          ) : drafts.isError ? (
            <LoadError error={drafts.error} retry={() => void drafts.refetch()} what="drafts" />
          ) : (
            <DraftsList drafts={drafts.data.items} />
          )}
        </Tabs.Panel>
      </Tabs>
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
