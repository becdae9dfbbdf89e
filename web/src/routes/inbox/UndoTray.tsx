// What was just approved, each with a Recall button counting down to its send time: until then
// the message has not left (POST /v1/messages/{id}/recall).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { api, ApiProblem, unwrap } from '../../api/client';
import { t } from '../../i18n';

export interface Approved {
  id: string;
  name: string;
  sendAt: string;
}

export function UndoTray({ items, onGone, onNotice }: { items: Approved[]; onGone: (id: string) => void; onNotice: (text: string) => void }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (items.length === 0) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [items.length]);
  const recall = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/messages/{id}/recall', { params: { path: { id } } })),
    onSuccess: (message) => {
      onGone(message.id);
      onNotice(t('inbox.recalled'));
    },
    onError: (error) => onNotice(error instanceof ApiProblem ? error.detail : String(error)),
  });
  const open = items.filter((item) => Date.parse(item.sendAt) > now);
  if (open.length === 0) return null;
  return (
    <ul className="undo" aria-label={t('inbox.recall')}>
      {open.slice(0, 5).map((item) => (
        <li key={item.id}>
          <span>{item.name}</span>
          <Button onPress={() => recall.mutate(item.id)} isPending={recall.isPending && recall.variables === item.id} data-recall={item.id}>
            {t('inbox.recallIn', { seconds: Math.max(0, Math.ceil((Date.parse(item.sendAt) - now) / 1000)) })}
          </Button>
        </li>
      ))}
    </ul>
  );
}
