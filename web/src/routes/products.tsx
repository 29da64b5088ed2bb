import { Button, Group, Paper, Select, Text } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconPackage, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { catalogEditors } from '../features/catalog/catalog';
import { ProductFormModal } from '../features/catalog/product-form-modal';
import { ProductsGrid, productPath } from '../features/catalog/products-grid';
import { productsQuery, useProducts } from '../features/catalog/use-catalog';
import { useUser } from '../features/identity/session';
import { hasAnyRole } from '../features/identity/user';
import { gridViewsQuery } from '../ui/grid-views';
import { formatCount } from '../ui/money';
import { PageHeader } from '../ui/page-header';
import { startQuery } from '../ui/query-client';
import { SearchBox } from '../ui/search-box';
import { Empty, LoadError, Loading } from '../ui/states';

// The server sends at most this many rows per list.
const listLimit = 1000;

/** What the page shows first: the whole catalogue (also the categories to pick from) and the grid's views. */
export function prefetch(): void {
  startQuery(productsQuery());
  startQuery(gridViewsQuery('products-grid'));
}

export default function ProductsPage() {
  const user = useUser();
  const navigate = useNavigate();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [category, setCategory] = useState<string | null>(null);
  const products = useProducts({ q, category });
  // The category list comes from the whole catalogue, so that choosing one does not hide the others.
  const everything = useProducts();
  const categories = useMemo(
    () =>
      [
        ...new Set(
          (everything.data ?? []).map((product) => product.category).filter((c): c is string => !!c),
        ),
      ].sort(),
    [everything.data],
  );
  const [creating, create] = useDisclosure(false);
  const mayEdit = hasAnyRole(user, catalogEditors);
  const filtered = Boolean(q || category);

  const newProduct = mayEdit && (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open} data-testid="new-product">
      New product
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Products"
        description="The catalogue that claims, programs and channel data refer to: SKUs with their family, category and list price. Click a product to see its price history."
        actions={
          <>
            <SearchBox value={search} onChange={setSearch} placeholder="Search SKU or name" />
            <Select
              placeholder="All categories"
              data={categories}
              value={category}
              onChange={setCategory}
              clearable
              searchable
              w={200}
              aria-label="Category"
              data-testid="category-filter"
            />
            {newProduct}
          </>
        }
      />
      {products.isPending ? (
        <Loading label="Loading products…" />
      ) : products.isError ? (
        <LoadError error={products.error} retry={() => void products.refetch()} what="products" />
      ) : (
        <>
          <ProductsGrid
            products={products.data}
            empty={
              <Paper withBorder>
                <Empty
                  icon={<IconPackage size={22} stroke={1.5} />}
                  title={filtered ? 'No products match' : 'No products yet'}
                  description={
                    filtered
                      ? 'Try another search or clear the category.'
                      : 'Load your catalogue with a products.csv file on the Imports page, or add products one by one.'
                  }
                  action={!filtered && newProduct}
                />
              </Paper>
            }
          />
          {products.data.length > 0 && (
            <Group justify="space-between" mt="xs">
              <Text size="xs" c="dimmed">
                {formatCount(products.data.length)} product{products.data.length === 1 ? '' : 's'}
                {filtered ? ' match' : ''}
                {products.data.length >= listLimit &&
                  ' (the first ones only: search or choose a category to narrow)'}
              </Text>
              {products.isFetching && (
                <Text size="xs" c="dimmed">
                  Updating…
                </Text>
              )}
            </Group>
          )}
        </>
      )}
      {creating && (
        <ProductFormModal onClose={create.close} onSaved={(product) => navigate(productPath(product.sku))} />
      )}
    </>
  );
}
