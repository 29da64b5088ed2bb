import { lazy } from 'react';
import { accountQuery, accountsQuery } from '../features/accounts/use-accounts';
import { homeQuery, homesQuery } from '../features/desk/use-home';
import { sessionUser, useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import { startAfter, startQuery } from '../ui/query-client';

// Each world's home is its own chunk: the portal's shows grids (AG Grid), the desk's does not.
const loadDesk = () => import('./desk-home');
const loadPortal = () => import('./portal-home');
const DeskHome = lazy(loadDesk);
const PortalHome = lazy(loadPortal);

/** The desk's homes and the first (or the chosen) one; a partner's organisation. */
export function prefetch(url: URL): void {
  // A failure is the page's to show (its hooks ask again), not the prefetch's. The world's chunk is waited for
  // with the answers, so that the first page is drawn once (a lazy component not yet loaded draws nothing first).
  startAfter(sessionUser(), (user) => {
    if (!user) return;
    if (isPartner(user)) {
      startAfter(loadPortal(), () => {});
      if (user.account_id) startQuery(accountQuery(user.account_id));
      startQuery(accountsQuery);
      return;
    }
    startAfter(loadDesk(), () => {});
    startQuery(homesQuery, ({ homes }) => {
      const wanted = url.searchParams.get('home');
      const home = homes.find((h) => h.home === wanted)?.home ?? homes[0]?.home;
      if (home) startQuery(homeQuery(home));
    });
  });
}

/** One address for both worlds: partners land on their organisation, the company's users on the desk. */
export default function HomePage() {
  const user = useUser();
  return isPartner(user) ? <PortalHome /> : <DeskHome />;
}
