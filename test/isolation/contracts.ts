import type { CaseModule } from './types.ts';

export const contractsCases: CaseModule = {
  async setup() {},
  cases: () => [],
};
