// Runs in every test file: a file that leaves a child process running fails, after the process
// (and its group) is ended. The check runs last, after the file's own teardown.
import { afterAll, inject } from 'vitest';
import { endAllProcesses, killAllProcessesNow, RUN_MARKER } from './helpers/process.js';

afterAll(async () => {
  const left = await endAllProcesses();
  if (left.length > 0) throw new Error(`this test file left processes running (now ended):\n${left.join('\n')}`);
});

// A killed `vitest run` does not take its worker processes with it: this one would go on running
// the test, children included. Its channel to the runner closing is the sign to stop.
process.once('disconnect', () => {
  killAllProcessesNow();
  process.exit(1);
});

// Whatever a test starts without helpers/process.ts (a browser, a CLI run) is marked too.
process.env[RUN_MARKER] = inject('runId');
