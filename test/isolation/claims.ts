import type { CaseModule } from './types.ts';

export const claimsCases: CaseModule = {
  async setup() {},
  cases: () => [],
};
