// Edit the personal note of one draft (PATCH /v1/messages/{id}): the message is re-rendered and
// re-linted as a new version. The API's field errors are shown at the field.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Dialog, FieldError, Form, Heading, Label, Modal, TextArea, TextField } from 'react-aria-components';
import { api, ApiProblem, unwrap, type Schemas } from '../../api/client';
import { ErrorState, Loading } from '../../components/States';
import { t } from '../../i18n';

export function EditNote({ id, onClose, onSaved }: { id: string; onClose: () => void; onSaved: () => void }) {
  const message = useQuery({ queryKey: ['message', id, 'edit'], queryFn: () => unwrap(api.GET('/v1/messages/{id}', { params: { path: { id } } })) });
  return (
    <Modal isOpen isDismissable onOpenChange={(open) => (open ? undefined : onClose())} className="modal">
      <Dialog className="dialog">
        <Heading slot="title">{t('inbox.edit')}</Heading>
        {message.isPending ? (
          <Loading />
        ) : message.isError ? (
          <ErrorState error={message.error} retry={() => void message.refetch()} />
        ) : (
          <NoteForm message={message.data} onClose={onClose} onSaved={onSaved} />
        )}
      </Dialog>
    </Modal>
  );
}

function NoteForm({ message, onClose, onSaved }: { message: Schemas['Message']; onClose: () => void; onSaved: () => void }) {
  const queryClient = useQueryClient();
  // The API returns the stored feedback as it was given (FeedbackInput's shape).
  const feedback = message.feedback as Schemas['FeedbackInput'] | null;
  const [note, setNote] = useState(feedback?.personalNote ?? '');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/messages/{id}', { params: { path: { id: message.id } }, body: { contentVersion: message.contentVersion, feedback: { ...feedback!, personalNote: note } } }),
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['messages'] });
      onSaved();
      onClose();
    },
  });
  const problem = save.error instanceof ApiProblem ? save.error : null;
  const noteError = problem?.fieldError('body.feedback.personalNote');
  return (
    <Form
      validationErrors={noteError ? { personalNote: noteError } : {}}
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <TextField name="personalNote" value={note} onChange={setNote} autoFocus>
        <Label>{t('inbox.personalNote')}</Label>
        <TextArea rows={6} />
        <FieldError />
      </TextField>
      {feedback ? null : <p className="muted">{t('inbox.noFeedback')}</p>}
      {problem && !noteError ? (
        <p role="alert" className="error-text">
          {problem.detail}
        </p>
      ) : null}
      <div className="detail-actions">
        <Button type="submit" className="primary" isPending={save.isPending} isDisabled={!feedback}>
          {t('inbox.save')}
        </Button>
        <Button onPress={onClose}>{t('inbox.cancel')}</Button>
      </div>
    </Form>
  );
}
