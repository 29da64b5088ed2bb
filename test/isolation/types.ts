import type { LightMyRequestResponse } from 'fastify';
import type { Browser, TestApp } from '../helpers/app.ts';

/**
 * The fixture every isolation case runs against: organisation A (accounts P-A and its child P-A-DE, user
 * `partnerA`) and organisation B (account P-B, user `partnerB`), plus an administrator.
 */
export interface IsolationContext {
  t: TestApp;
  admin: Browser;
  partnerA: Browser;
  partnerB: Browser;
}

export type Check = (res: LightMyRequestResponse) => void;

export interface Case {
  /** `METHOD /api/path` exactly as the route is declared. */
  route: string;
  call: () => Promise<LightMyRequestResponse>;
  expect: Check;
}

/**
 * A capability's isolation cases: `setup` adds data of both organisations (through the API or use cases),
 * then `cases` lists what partner A gets when it reaches for B's data.
 */
export interface CaseModule {
  setup(ctx: IsolationContext): Promise<void>;
  cases(ctx: IsolationContext): Case[];
}
