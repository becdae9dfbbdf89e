// A button that opens a modal dialog (focus moves in, and back to the button when it closes).
// Not React Aria's DialogTrigger: its menu-trigger code would land in the initial bundle.
import { useState, type ReactNode } from 'react';
import { Button, Dialog, Heading, Modal } from 'react-aria-components';

export function DialogButton({
  label,
  ariaLabel,
  isDisabled,
  role,
  children,
}: {
  label: string;
  ariaLabel?: string;
  isDisabled?: boolean;
  role?: 'dialog' | 'alertdialog';
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  return (
    <>
      <Button aria-label={ariaLabel} isDisabled={isDisabled} onPress={() => setOpen(true)}>
        {label}
      </Button>
      <Modal isOpen={open} onOpenChange={setOpen} isDismissable className="modal">
        <Dialog className="dialog" role={role ?? 'dialog'}>
          {children(close)}
        </Dialog>
      </Modal>
    </>
  );
}

/** A button for something that cannot be undone: a dialog asks first (Cancel has the focus). */
export function ConfirmButton({ label, title, detail, cancel, onConfirm }: { label: string; title: string; detail: string; cancel: string; onConfirm: () => void }) {
  return (
    <DialogButton label={label} role="alertdialog">
      {(close) => (
        <>
          <Heading slot="title">{title}</Heading>
          <p>{detail}</p>
          <div className="detail-actions">
            <Button
              className="primary"
              onPress={() => {
                close();
                onConfirm();
              }}
            >
              {label}
            </Button>
            <Button onPress={close} autoFocus>
              {cancel}
            </Button>
          </div>
        </>
      )}
    </DialogButton>
  );
}
