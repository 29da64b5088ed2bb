import { type Role, roles } from '../identity/index.ts';

/** Who may do what with programs and deals; use cases check these, so API, CLI and jobs agree. */
export const contractReaders: readonly Role[] = roles;
export const programWriters: readonly Role[] = ['administrator', 'rebate_analyst', 'manager'];
export const programApprovers: readonly Role[] = ['approver', 'manager', 'administrator'];
/** "Only an approver activates": bringing a version into force is the approver's (or manager's) act. */
export const programActivators: readonly Role[] = ['approver', 'manager'];
