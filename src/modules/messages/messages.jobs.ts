import type { JobHandler } from '../../queue/handlers.js';
import type { MessagesService } from './messages.service.js';

export function messagesHandler({ messages }: { messages: MessagesService }): JobHandler<'messages'> {
  return async ({ data }) => {
    switch (data.task) {
      case 'render-plan':
        return messages.renderPlan(data.planId);
    }
  };
}
