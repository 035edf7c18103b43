import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    pool: 'forks',
    // both cores (the default left one idle here): the suite takes about 7 minutes instead of 11, which keeps .ci/run
    // inside its 15 minutes; the kill -9 harness alone runs for two of them in one worker
    maxWorkers: 2,
  },
});
