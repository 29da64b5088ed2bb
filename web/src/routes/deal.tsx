import {
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  DataList,
  Grid,
  Group,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconDiscount } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ClaimsAgainst } from '../features/contracts/claims-against';
import { programPath, typeLabels, validityColors, validityLabels } from '../features/contracts/contract';
import { useDeal } from '../features/contracts/use-contracts';
import { useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { DocumentsPanel } from '../features/platform/documents/documents-panel';
import { ApiError } from '../ui/api';
import { formatDate, formatTimestamp } from '../ui/dates';
import { formatCount, formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

export default function DealPage() {
  const { dealId = '' } = useParams();
  const user = useUser();
  const partner = isPartner(user);
  const deal = useDeal(dealId);
  const back = partner ? { to: '/my-deals', label: 'Deals' } : { to: '/deals', label: 'Deals' };

  if (deal.isPending) return <Loading label="Loading deal…" />;
  if (deal.isError) {
    if (deal.error instanceof ApiError && deal.error.status === 404) {
      return (
        <Empty
          icon={<IconDiscount size={22} stroke={1.5} />}
          title="No such deal"
          description={`There is no deal ${dealId} that you can see.`}
          action={
            <Button component={Link} to={back.to} variant="light">
              Back to deals
            </Button>
          }
        />
      );
    }
    return <LoadError error={deal.error} retry={() => void deal.refetch()} what="the deal" />;
  }

  const d = deal.data;
  const item = (label: string, value: ReactNode) => (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>
        {value === null || value === undefined || value === '' ? (
          <Text span c="dimmed" size="sm">
            Not set
          </Text>
        ) : (
          value
        )}
      </DataList.ItemValue>
    </DataList.Item>
  );
  // Whole units: the bar's share is plain integer arithmetic.
  const usedShare = d.max_qty > 0 ? (d.used_qty / d.max_qty) * 100 : 0;
  const figure = (label: string, value: ReactNode, strong = false) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="lg" fw={strong ? 700 : 500} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Stack>
  );

  return (
    <div data-testid="deal-detail">
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to={back.to} size="sm">
              {back.label}
            </Anchor>
            <Text size="sm" c="dimmed">
              {d.deal_id}
            </Text>
          </Breadcrumbs>
        }
        title={
          <Group gap="sm">
            Deal {d.deal_id}
            <Badge variant="light" color={validityColors[d.validity]} radius="sm" size="lg">
              {validityLabels[d.validity]}
            </Badge>
          </Group>
        }
        description={`${d.product_name ?? d.sku} for ${d.end_customer_name ?? d.end_customer_id ?? 'any end customer'} · ${formatDate(d.start_date)} – ${formatDate(d.end_date)}`}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: partner ? 12 : 8 }}>
          <Stack gap="lg">
            <Card data-testid="deal-figures">
              <Title order={3} fz="md" fw={600} mb="md">
                Authorised, used and left
              </Title>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg" mb="md">
                {figure('Per unit', formatMoney(d.authorized_unit_amount, d.currency))}
                {figure('Maximum quantity', formatCount(d.max_qty))}
                {figure('Used', formatCount(d.used_qty))}
                {figure('Left', formatCount(d.left_qty), true)}
              </SimpleGrid>
              <Progress value={Math.min(100, usedShare)} color={d.left_qty === 0 ? 'red' : 'teal'} mb="xs" />
              <Text size="sm" c="dimmed">
                Worth up to {formatMoney(d.authorized_amount, d.currency)} in all;{' '}
                {formatMoney(d.left_amount, d.currency)} left to claim.
              </Text>
            </Card>
            <Card>
              <Title order={3} fz="md" fw={600} mb="md">
                Details
              </Title>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
                <DataList labelWidth={150} withDivider>
                  {item(
                    'Partner',
                    partner ? (
                      (d.account_name ?? d.account_id)
                    ) : (
                      <Anchor component={Link} to={`/accounts/${encodeURIComponent(d.account_id)}`} size="sm">
                        {d.account_name ?? d.account_id}
                      </Anchor>
                    ),
                  )}
                  {item(
                    'End customer',
                    d.end_customer_id && `${d.end_customer_name ?? d.end_customer_id} (${d.end_customer_id})`,
                  )}
                  {item(
                    'Product',
                    partner ? (
                      `${d.product_name ?? ''} (${d.sku})`
                    ) : (
                      <Anchor component={Link} to={`/products/${encodeURIComponent(d.sku)}`} size="sm">
                        {d.product_name ? `${d.product_name} (${d.sku})` : d.sku}
                      </Anchor>
                    ),
                  )}
                  {item('Valid', `${formatDate(d.start_date)} – ${formatDate(d.end_date)}`)}
                </DataList>
                <DataList labelWidth={150} withDivider>
                  {item(
                    'Program',
                    d.program ? (
                      <Anchor component={Link} to={programPath(d.program.program_id)} size="sm">
                        {d.program.name}
                      </Anchor>
                    ) : (
                      d.program_id
                    ),
                  )}
                  {item('Program type', d.program && typeLabels[d.program.type])}
                  {item('Currency', d.currency)}
                  {item('Last changed', formatTimestamp(d.updated_at))}
                </DataList>
              </SimpleGrid>
            </Card>
            <ClaimsAgainst claims={d.claims} currency={d.currency} what="deal" />
            <DocumentsPanel entityType="deal" entityId={d.deal_id} />
          </Stack>
        </Grid.Col>
        {!partner && (
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <AuditTrail entityType="deal" entityId={d.deal_id} />
          </Grid.Col>
        )}
      </Grid>
    </div>
  );
}
