import { useUser } from '../features/identity/session';
import { isPartner } from '../features/identity/user';
import DeskHome from './desk-home';
import PortalHome from './portal-home';

/** One address for both worlds: partners land on their organisation, the company's users on the desk. */
export default function HomePage() {
  const user = useUser();
  return isPartner(user) ? <PortalHome /> : <DeskHome />;
}
