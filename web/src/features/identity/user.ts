/** Who is signed in and what their roles let them do, as the server describes it. */

export const internalRoles = [
  'administrator',
  'rebate_analyst',
  'collector',
  'approver',
  'manager',
  'tax',
  'credit',
  'sales',
  'marketing',
  'returns',
  'distribution',
  'order_management',
  'billing',
] as const;

export type InternalRole = (typeof internalRoles)[number];
export type Role = InternalRole | 'partner';

export const roleLabels: Record<Role, string> = {
  administrator: 'Administrator',
  rebate_analyst: 'Rebate analyst',
  collector: 'Collector',
  approver: 'Approver',
  manager: 'Manager',
  tax: 'Tax',
  credit: 'Credit',
  sales: 'Sales',
  marketing: 'Marketing',
  returns: 'Returns',
  distribution: 'Distribution',
  order_management: 'Order management',
  billing: 'Billing',
  partner: 'Partner user',
};

export interface User {
  user_id: string;
  email: string;
  name: string;
  roles: string[];
  account_id: string | null;
  account_name: string | null;
  active: boolean;
  created_at: string;
  last_sign_in_at: string | null;
  /** Dates and numbers are shown in this locale; null: the browser's. */
  locale: string | null;
}

export function roleLabel(role: string): string {
  return roleLabels[role as Role] ?? role;
}

/** Partner users see the partner portal; everyone else works in the desk. */
export function isPartner(user: Pick<User, 'roles'>): boolean {
  return user.roles.includes('partner');
}

export function hasAnyRole(user: Pick<User, 'roles'>, roles: readonly string[]): boolean {
  return user.roles.some((role) => roles.includes(role));
}

/** The company's users who may create and change accounts (the server enforces the same list). */
export const accountEditors: readonly Role[] = ['administrator', 'rebate_analyst', 'collector', 'manager'];
