/** The company's own roles ("the desk") and the partner role ("the portal"). */
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

export const roles = [...internalRoles, 'partner'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function isPartner(userRoles: readonly string[]): boolean {
  return userRoles.includes('partner');
}

export function hasAnyRole(userRoles: readonly string[], wanted: readonly Role[]): boolean {
  return userRoles.some((r) => (wanted as readonly string[]).includes(r)) || userRoles.includes('system');
}
