import type { CaseModule } from './types.ts';

export const importsCases: CaseModule = {
  async setup() {},
  cases: () => [],
};
