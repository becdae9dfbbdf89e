import type { JobHandler } from '../../queue/handlers.js';
import { queueDefinitions } from '../../queue/queues.js';
import type { MessagesService } from './messages.service.js';

export function messagesHandler({ messages }: { messages: MessagesService }): JobHandler<'messages'> {
  return async ({ data, attemptsMade }) => {
    switch (data.task) {
      case 'render-plan':
        // A transient failure is retried by BullMQ (with backoff) until the last attempt.
        return messages.renderPlan(data.planId, { attemptsMade, last: attemptsMade + 1 >= queueDefinitions.messages.options.attempts });
    }
  };
}
