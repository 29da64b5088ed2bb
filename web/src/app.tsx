import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { AppLayout } from './app-layout';
import { navigation } from './app-navigation';
import { adjustmentReaders, adjustmentRequesters } from './features/adjustments/adjustments';
import { disputeReaders } from './features/disputes/disputes';
import { Allowed, SignedIn } from './features/identity/guards';
import { internalRoles, type Role } from './features/identity/user';
import { importers } from './features/imports/import';
import { receivablesReaders } from './features/receivables/receivables';
import { RouteError } from './routes/route-error';
import { type Prefetch, prefetched } from './ui/query-client';
import { Loading } from './ui/states';

const everyone: readonly Role[] = [...internalRoles, 'partner'];

/** A page's module: the page, and what it asks the server for first (started before it is drawn). */
export interface PageModule {
  default: ComponentType;
  prefetch?: Prefetch;
}

/** A page behind a role check, its code loaded on first visit. */
function page(path: string, roles: readonly Role[], load: () => Promise<PageModule>): RouteObject {
  return {
    path,
    element: <Allowed roles={roles} />,
    children: [
      {
        index: true,
        lazy: async () => {
          const module = await load();
          const { prefetch } = module;
          return {
            Component: module.default,
            // Runs on every visit before the page is drawn. The first page of a visit waits for its first
            // answers (index.html asked for them while the code loaded; most are in by now), for a quarter of a
            // second at most, so that it is drawn once with its data rather than first with its loaders; later
            // pages are drawn at once.
            ...(prefetch
              ? {
                  loader: async ({ request }: { request: Request }) => {
                    const answers = prefetched(() => prefetch(new URL(request.url)));
                    if (!router.state.initialized) {
                      await Promise.race([answers, new Promise((resolve) => setTimeout(resolve, 250))]);
                    }
                    return null;
                  },
                  shouldRevalidate: () => false,
                }
              : {}),
          };
        },
      },
    ],
  };
}

export const router = createBrowserRouter([
  {
    path: '/sign-in',
    hydrateFallbackElement: <Loading />,
    lazy: async () => ({ Component: (await import('./routes/sign-in')).default }),
  },
  {
    path: '/',
    element: <SignedIn />,
    // Shown while the first page's code loads.
    hydrateFallbackElement: <Loading label="Opening Clearhouse…" />,
    children: [
      {
        element: <AppLayout />,
        children: [
          {
            // Between the layout and the pages, so that a failing page keeps the header and navigation.
            errorElement: <RouteError />,
            children: [
              page('/', everyone, () => import('./routes/home')),
              ...navigation.map((entry) => page(entry.path, entry.roles, entry.page)),
              page('/accounts/:accountId', everyone, () => import('./routes/account')),
              page('/programs/:programId', everyone, () => import('./routes/program')),
              page('/deals/:dealId', everyone, () => import('./routes/deal')),
              page('/claims/:claimId', everyone, () => import('./routes/claim')),
              page('/deductions/:deductionId', internalRoles, () => import('./routes/deduction')),
              page('/my-claims/new', ['partner'], () => import('./routes/my-claims-new')),
              page('/imports/:importId', [...importers, 'partner'], () => import('./routes/import')),
              page('/products/:sku', internalRoles, () => import('./routes/product')),
              page('/aging/items/:documentId', receivablesReaders, () => import('./routes/ar-item')),
              page(
                '/adjustments/worksheet',
                adjustmentRequesters,
                () => import('./routes/write-off-worksheet'),
              ),
              page('/adjustments/:adjustmentId', adjustmentReaders, () => import('./routes/adjustment')),
              page('/disputes/:disputeId', disputeReaders, () => import('./routes/dispute')),
              page('/settings/tokens', everyone, () => import('./routes/settings-tokens')),
              page('/settings/password', everyone, () => import('./routes/settings-password')),
              page('/settings/preferences', everyone, () => import('./routes/settings-preferences')),
              { path: '*', lazy: async () => ({ Component: (await import('./routes/not-found')).default }) },
            ],
          },
        ],
      },
    ],
  },
]);
