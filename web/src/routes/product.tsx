import { Anchor, Breadcrumbs, Button, Card, Grid, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPackage, IconPencil } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { catalogEditors, shortPrice } from '../features/catalog/catalog';
import { PriceHistory } from '../features/catalog/price-history';
import { ProductFormModal } from '../features/catalog/product-form-modal';
import { useProduct } from '../features/catalog/use-catalog';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { AuditTrail } from '../features/platform/audit/audit-trail';
import { ApiError } from '../ui/api';
import { formatTimestamp } from '../ui/dates';
import { formatMoney } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { Empty, LoadError, Loading } from '../ui/states';

export default function ProductPage() {
  const { sku = '' } = useParams();
  const user = useUser();
  const product = useProduct(sku);
  const [editing, edit] = useDisclosure(false);
  const mayEdit = hasAnyRole(user, catalogEditors);

  if (product.isPending) return <Loading label="Loading product…" />;
  if (product.isError) {
    if (product.error instanceof ApiError && product.error.status === 404) {
      return (
        <Empty
          icon={<IconPackage size={22} stroke={1.5} />}
          title="No such product"
          description={`There is no product with SKU ${sku} in the catalogue.`}
          action={
            <Button component={Link} to="/products" variant="light">
              Back to products
            </Button>
          }
        />
      );
    }
    return <LoadError error={product.error} retry={() => void product.refetch()} what="the product" />;
  }

  const { product: data, price_changes: priceChanges } = product.data;
  const fact = (label: string, value: ReactNode, right = false) => (
    <Stack gap={0}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text
        size="sm"
        ta={right ? 'right' : undefined}
        style={right ? { fontVariantNumeric: 'tabular-nums' } : undefined}
      >
        {value || '—'}
      </Text>
    </Stack>
  );
  return (
    <>
      <PageHeader
        above={
          <Breadcrumbs separatorMargin={6}>
            <Anchor component={Link} to="/products" size="sm">
              Products
            </Anchor>
            <Text size="sm" c="dimmed">
              {data.sku}
            </Text>
          </Breadcrumbs>
        }
        title={data.name}
        description={[data.sku, data.family, data.category].filter(Boolean).join(' · ')}
        actions={
          mayEdit && (
            <Button leftSection={<IconPencil size={16} />} variant="default" onClick={edit.open}>
              Edit product
            </Button>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="lg">
            <Card data-testid="product-card">
              <SimpleGrid cols={{ base: 2, sm: 5 }} spacing="md">
                {fact('SKU', data.sku)}
                {fact('Family', data.family)}
                {fact('Category', data.category)}
                {fact('List price', formatMoney(shortPrice(data.list_price), data.currency))}
                {fact('Last changed', formatTimestamp(data.updated_at))}
              </SimpleGrid>
            </Card>
            <PriceHistory product={data} priceChanges={priceChanges} mayEdit={mayEdit} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <AuditTrail entityType="product" entityId={data.sku} />
        </Grid.Col>
      </Grid>
      {editing && <ProductFormModal product={data} onClose={edit.close} />}
    </>
  );
}
