import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dropzone/styles.css';
import './app.css';

import { createTheme, type MantineColorSchemeManager, MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { router } from './app';
import { prefetchNavbar } from './app-navbar';
import { SessionProvider, sessionUser } from './features/identity/session';
import { loadChartsEngine } from './ui/chart-views';
import { loadGridEngine } from './ui/data-grid';
import { fontFamily } from './ui/fonts';
import { queryClient } from './ui/query-client';

declare global {
  interface Window {
    /** The lazily loaded code the first page draws with, which index.html preloads (vite.config.ts). */
    clearhouseEngines?: ('grid' | 'charts')[];
  }
}

const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamily,
  headings: { fontWeight: '600' },
  components: {
    Badge: { defaultProps: { tt: 'none' } },
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    Paper: { defaultProps: { radius: 'md' } },
    // A tab's panel is drawn when it is chosen, not with the page: grids and charts on hidden tabs cost the
    // first load their whole rendering (and a grid in a hidden panel measures a width of 0).
    Tabs: { defaultProps: { keepMounted: false } },
    // A Select's options are drawn when it opens: kept mounted (Mantine's default), every Select drew all its
    // options hidden with the page and placed them beside it, measuring the page (fifty partners on a filter).
    Combobox: { defaultProps: { keepMounted: false } },
    // The default label ("Toggle password visibility") makes a "Password" label match two elements, for
    // screen readers and for browser tests alike.
    PasswordInput: {
      defaultProps: { visibilityToggleButtonProps: { 'aria-label': 'Show or hide what you typed' } },
    },
  },
});

// One colour scheme: nothing to remember. Mantine's default manager reads localStorage as the app starts, and a
// browser profile's first read of it held the first drawing up by some 30 ms.
const lightOnly: MantineColorSchemeManager = {
  get: () => 'light',
  set: () => {},
  subscribe: () => {},
  unsubscribe: () => {},
  clear: () => {},
};

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');

// The session's answer starts the navbar's own questions, before anything is drawn.
sessionUser().then(
  (user) => user && prefetchNavbar(user),
  () => {}, // the session's failure is shown by SignedIn
);

const draw = () =>
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} forceColorScheme="light" colorSchemeManager={lightOnly}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <SessionProvider>
            <ModalsProvider labels={{ confirm: 'Confirm', cancel: 'Cancel' }}>
              <RouterProvider router={router} />
            </ModalsProvider>
          </SessionProvider>
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  );

// React draws once the router has the first page's code (and has started its prefetch): a first drawing of the
// "Opening Clearhouse…" fallback would run in between and hold both up. A page with a grid or a chart waits for
// that code too (index.html has fetched it with the page's): drawn without it, the page would be drawn again
// when it arrived, a second pass over the whole page. On a slow line the page does not wait more than a second
// for it: the grid or chart draws its placeholder until its code is in.
const engines: Record<NonNullable<Window['clearhouseEngines']>[number], () => Promise<unknown>> = {
  grid: loadGridEngine,
  charts: loadChartsEngine,
};
const enginesRun = Promise.race([
  Promise.all((window.clearhouseEngines ?? []).map((engine) => engines[engine]().catch(() => undefined))),
  new Promise((resolve) => setTimeout(resolve, 1000)),
]);
const routed = new Promise<void>((resolve) => {
  if (router.state.initialized) return resolve();
  const stop = router.subscribe((state) => {
    if (!state.initialized) return;
    stop();
    resolve();
  });
});
Promise.all([routed, enginesRun]).then(draw);
