import type { QueueName, QueuePayload } from './queues.js';

export interface JobContext<Q extends QueueName> {
  id: string;
  name: string;
  data: QueuePayload<Q>;
  attemptsMade: number;
}

export type JobHandler<Q extends QueueName> = (job: JobContext<Q>) => Promise<unknown>;

/** One handler per queue: the type makes a missing one a compile error, workers/ checks at run time too. */
export type JobHandlers = { [Q in QueueName]: JobHandler<Q> };
