import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useT } from '../../i18n';

interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * A modal confirmation on the browser's own `<dialog>`: it keeps the focus inside, Escape
 * cancels, and the focus goes back to the button that opened it when it closes. Cancel has the
 * first focus so that Enter alone never confirms something that cannot be undone.
 */
export function ConfirmDialog({
  title,
  body,
  confirmLabel,
  onConfirm,
  onCancel,
}: ConfirmDialogProps): ReactNode {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className="admin-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p id={bodyId}>{body}</p>
      <div className="admin-actions">
        <button type="button" autoFocus onClick={onCancel}>
          {t('admin.cancel')}
        </button>
        <button type="button" className="admin-danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
