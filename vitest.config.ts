import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Hang guards only: tests wait on conditions and fail when progress stops (test/helpers/wait.ts),
    // so a slow machine makes a run longer, not red.
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
    // Two files at a time. Vitest's default is one fewer than the cores: one file at a time on
    // these 2-core machines, ~16 min for the suite; two take ~8 min (three take 7: little more,
    // with less of the machine for each file). Each file has its own database, its own
    // Redis key prefix and its own processes (helpers/context.ts, helpers/process.ts).
    maxWorkers: 2,
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/file-setup.ts'],
  },
});
