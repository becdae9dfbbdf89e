import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Hang guards only: tests wait on conditions and fail when progress stops (test/helpers/wait.ts),
    // so a slow machine makes a run longer, not red.
    testTimeout: 1_200_000,
    hookTimeout: 1_200_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/file-setup.ts'],
  },
});
