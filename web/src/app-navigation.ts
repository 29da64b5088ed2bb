/**
 * Every page a user can reach from the navigation, in one list. A module adds its page by adding an entry
 * here: the navbar, the desk home's cards and the route (with its role check) all come from this list.
 */
import { IconBuilding, IconBuildingBank, IconHistory, IconUsers, type TablerIcon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { hasAnyRole, internalRoles, type Role, type User } from './features/identity/user';

/** The desk's sections in the order they appear; a section shows only once it has an entry. */
export const deskSections = [
  'Claims',
  'Contracts',
  'Channel',
  'Receivables',
  'Cash',
  'Deductions',
  'Reports',
  'Data',
  'Administration',
] as const;
export type DeskSection = (typeof deskSections)[number];

interface Page {
  /** The route; nested pages (`/accounts/:accountId`) are declared in app.tsx. */
  path: string;
  label: string;
  /** One sentence for the home page card. */
  description: string;
  icon: TablerIcon;
  /** Who may see the entry and open the page. */
  roles: readonly Role[];
  /** The page component, loaded when first visited. */
  page: () => Promise<{ default: ComponentType }>;
}

export type NavEntry = (Page & { world: 'desk'; section: DeskSection }) | (Page & { world: 'portal' });

export const navigation: readonly NavEntry[] = [
  {
    world: 'desk',
    section: 'Receivables',
    path: '/accounts',
    label: 'Accounts',
    description: 'Customers and partners: terms, credit limits, contacts, assigned collector and analyst.',
    icon: IconBuilding,
    roles: internalRoles,
    page: () => import('./routes/accounts'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/users',
    label: 'Users',
    description: 'Who can sign in, with which roles, and for which partner organisation.',
    icon: IconUsers,
    roles: ['administrator'],
    page: () => import('./routes/admin-users'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/audit',
    label: 'Audit trail',
    description: 'Every change to accounts and users: who made it, when, and what it was before.',
    icon: IconHistory,
    roles: ['administrator', 'manager', 'approver'],
    page: () => import('./routes/admin-audit'),
  },
  {
    world: 'portal',
    path: '/organisation',
    label: 'My organisation',
    description: 'Your accounts with us, their details and the documents on file.',
    icon: IconBuildingBank,
    roles: ['partner'],
    page: () => import('./routes/my-organisation'),
  },
];

export function entriesFor(user: Pick<User, 'roles'>): NavEntry[] {
  return navigation.filter((entry) => hasAnyRole(user, entry.roles));
}

/** The desk's entries for this user grouped by section, empty sections left out. */
export function deskSectionsFor(user: Pick<User, 'roles'>): { section: DeskSection; entries: NavEntry[] }[] {
  const entries = entriesFor(user);
  return deskSections
    .map((section) => ({
      section,
      entries: entries.filter((entry) => entry.world === 'desk' && entry.section === section),
    }))
    .filter((group) => group.entries.length > 0);
}
