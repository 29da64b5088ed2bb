import { Anchor, Breadcrumbs, Button, Card, DataList, Grid, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconFileDownload,
  IconFileInvoice,
  IconMailForward,
  IconReceipt,
  IconReceiptRefund,
  IconScale,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useAccount } from '../features/accounts/use-accounts';
import { adjustmentRequesters } from '../features/adjustments/adjustments';
import { AdjustmentsCard } from '../features/adjustments/adjustments-card';
import { RequestAdjustmentModal } from '../features/adjustments/request-adjustment-modal';
import { collectionsReaders, collectionsWriters } from '../features/collections/collections';
import { ItemActivity } from '../features/collections/item-activity';
import { SendEmailModal } from '../features/collections/send-email-modal';
import { DisputeBanner } from '../features/disputes/dispute-banner';
import { disputeOpeners, disputeReaders } from '../features/disputes/disputes';
import { OpenDisputeModal } from '../features/disputes/open-dispute-modal';
import { useUser } from '../features/identity/session';
import { hasAnyRole, isPartner } from '../features/identity/user';
import { ItemTimeline } from '../features/receivables/item-timeline';
import { bucketLabel, isDate, kindLabels, todayDate } from '../features/receivables/receivables';
import { useItem } from '../features/receivables/use-receivables';
import { certificateReaders } from '../features/tax/tax';
import { TaxFlagBanner } from '../features/tax/tax-flag-banner';
import { ApiError } from '../ui/api';
import { DateInput } from '../ui/date-input';
import { formatDate } from '../ui/dates';
import { compareAmounts, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

/** One receivable (a document or a payment) as of a date, with its applications over time. */
export default function ArItemPage() {
  const { documentId = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const location = useLocation();
  const back = (location.state as { back?: string } | null)?.back ?? '/aging';
  const raw = search.get('as_of') ?? '';
  const asOf = isDate(raw) ? raw : todayDate();
  const item = useItem(documentId, asOf);
  const user = useUser();
  const [sending, send] = useDisclosure(false);
  const [adjusting, adjust] = useDisclosure(false);
  const [kind, setKind] = useState<'reminder' | 'invoice_copy'>('reminder');
  const accountId = item.data?.item.account_id ?? null;
  const account = useAccount(accountId ?? '', { enabled: accountId !== null && !isPartner(user) });
  const mayWrite = !isPartner(user) && hasAnyRole(user, collectionsWriters);
  const mayAdjust = !isPartner(user) && hasAnyRole(user, adjustmentRequesters);
  const [disputing, dispute] = useDisclosure(false);
  const mayDispute = !isPartner(user) && hasAnyRole(user, disputeOpeners);

  if (item.isPending) return <Loading label="Loading the item…" />;
  if (item.isError) {
    if (item.error instanceof ApiError && item.error.status === 404) {
      return (
        <Empty
          icon={<IconReceipt size={22} stroke={1.5} />}
          title="No such item"
          description={`There is no document or payment ${documentId} that you can see.`}
          action={
            <Button component={Link} to={back} variant="light">
              Back to the aging
            </Button>
          }
        />
      );
    }
    return <LoadError error={item.error} retry={() => void item.refetch()} what="the item" />;
  }

  const { item: it, applications } = item.data;
  const isDocument = it.kind !== 'payment';
  const open = (k: 'reminder' | 'invoice_copy') => {
    setKind(k);
    send.open();
  };
  const money = (amount: string) => formatMoney(amount, it.currency);
  const facts: [string, string][] = [
    ['Account', it.account_id],
    ['Date', formatDate(it.item_date)],
    ['Due', formatDate(it.due_date) || '—'],
    ['Amount', money(it.amount)],
    [`Open on ${formatDate(asOf)}`, money(it.open_amount)],
    ['Days past due', String(it.days_past_due)],
    ['Bucket', bucketLabel(it.bucket)],
    ['Reference', it.reference ?? '—'],
    ['PO number', it.po_number ?? '—'],
  ];
  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={back} size="sm">
              Aging
            </Anchor>
            <Anchor component={Link} to={`/accounts/${encodeURIComponent(it.account_id)}`} size="sm">
              {it.account_id}
            </Anchor>
            <Text size="sm" c="dimmed">
              {it.item_id}
            </Text>
          </Breadcrumbs>
        }
        title={`${kindLabels[it.kind]} ${it.item_id}`}
        description={`${money(it.open_amount)} open on ${formatDate(asOf)} of ${money(it.amount)}.`}
        actions={
          <>
            {isDocument && (
              <Button
                component="a"
                href={`/api/ar/items/${encodeURIComponent(it.item_id)}/copy.pdf?as_of=${asOf}`}
                variant="default"
                leftSection={<IconFileDownload size={16} />}
              >
                Copy (PDF)
              </Button>
            )}
            {isDocument && mayWrite && (
              <>
                {it.kind !== 'credit_memo' && compareAmounts(it.open_amount, '0') > 0 && (
                  <Button
                    variant="light"
                    leftSection={<IconMailForward size={16} />}
                    onClick={() => open('reminder')}
                    data-testid="send-item-reminder"
                  >
                    Send reminder
                  </Button>
                )}
                <Button
                  variant="light"
                  leftSection={<IconFileInvoice size={16} />}
                  onClick={() => open('invoice_copy')}
                  data-testid="send-item-copy"
                >
                  Send copy
                </Button>
              </>
            )}
            {isDocument && mayAdjust && it.kind !== 'credit_memo' && (
              <Button
                variant="light"
                leftSection={<IconReceiptRefund size={16} />}
                onClick={adjust.open}
                data-testid="request-adjustment"
              >
                Request adjustment
              </Button>
            )}
            {mayDispute &&
              (it.kind === 'invoice' || it.kind === 'debit_memo') &&
              compareAmounts(it.open_amount, '0') > 0 && (
                <Button
                  variant="light"
                  color="orange"
                  leftSection={<IconScale size={16} />}
                  onClick={dispute.open}
                  data-testid="open-dispute"
                >
                  Open dispute
                </Button>
              )}
            <DateInput
              label="As of"
              value={asOf}
              onChange={(event) => {
                const value = event.currentTarget.value;
                if (isDate(value)) setSearch({ as_of: value }, { replace: true, state: location.state });
              }}
              w={170}
            />
          </>
        }
      />
      {isDocument && !isPartner(user) && hasAnyRole(user, disputeReaders) && (
        <DisputeBanner documentId={it.item_id} />
      )}
      {isDocument && !isPartner(user) && hasAnyRole(user, certificateReaders) && (
        <TaxFlagBanner accountId={it.account_id} documentId={it.item_id} />
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <Card data-testid="item-facts">
              <DataList labelWidth={150} withDivider>
                {facts.map(([label, value]) => (
                  <DataList.Item key={label}>
                    <DataList.ItemLabel>{label}</DataList.ItemLabel>
                    <DataList.ItemValue>{value}</DataList.ItemValue>
                  </DataList.Item>
                ))}
              </DataList>
            </Card>
            <Card>
              <Stack gap="sm">
                <Title order={4} fw={600}>
                  Applications in force
                </Title>
                {applications.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    Nothing is applied today.
                  </Text>
                ) : (
                  <Table striped withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>From</Table.Th>
                        <Table.Th>To</Table.Th>
                        <Table.Th>Applied</Table.Th>
                        <Table.Th ta="right">Amount</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {applications.map((a) => (
                        <Table.Tr key={`${a.payment_id}\u0000${a.document_id}`}>
                          <Table.Td>{a.payment_id}</Table.Td>
                          <Table.Td>{a.document_id}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(a.applied_date)}</Table.Td>
                          <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                            {money(a.amount)}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Stack gap="lg">
            <ItemTimeline detail={item.data} />
            {isDocument && mayAdjust && <AdjustmentsCard documentId={it.item_id} />}
            {!isPartner(user) && hasAnyRole(user, collectionsReaders) && (
              <ItemActivity accountId={it.account_id} documentId={it.item_id} />
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      {adjusting && (
        <RequestAdjustmentModal
          onClose={adjust.close}
          accountId={it.account_id}
          document={{ id: it.item_id, open_amount: it.open_amount, currency: it.currency }}
          source={{ type: 'item', id: it.item_id }}
        />
      )}
      {disputing && (
        <OpenDisputeModal
          onClose={dispute.close}
          accountId={it.account_id}
          document={{ id: it.item_id, open_amount: it.open_amount, currency: it.currency }}
        />
      )}
      {sending && account.data && (
        <SendEmailModal
          opened
          onClose={send.close}
          accountId={it.account_id}
          documentId={it.item_id}
          kind={kind}
          billingEmail={account.data.billing_email}
        />
      )}
    </>
  );
}
