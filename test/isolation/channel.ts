import type { CaseModule } from './types.ts';

export const channelCases: CaseModule = {
  async setup() {},
  cases: () => [],
};
