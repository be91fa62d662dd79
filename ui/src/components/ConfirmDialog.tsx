import { useEffect, useId, useRef, type ReactNode } from 'react'

interface ConfirmDialogProps {
  open: boolean
  title: string
  children: ReactNode
  confirmLabel: string
  busy?: boolean
  onConfirm(): void
  onCancel(): void
}

/**
 * Opens or closes `dialog` to match `open`. On opening, the focus goes to `first` (Cancel):
 * `showModal()` would focus the first focusable element (a link, an "As a command" summary),
 * and `autoFocus` only applies when the button mounts, not when a dialog that stayed mounted
 * is opened again.
 */
export function syncDialog(
  dialog: Pick<HTMLDialogElement, 'open' | 'showModal' | 'close'>,
  open: boolean,
  first: Pick<HTMLElement, 'focus'> | null,
): void {
  if (open && !dialog.open) {
    dialog.showModal()
    first?.focus()
  }
  if (!open && dialog.open) dialog.close()
}

/**
 * A modal question before something that cannot be taken back. The native dialog traps focus
 * and closes on Escape; Cancel has the focus first, so Enter alone never confirms.
 */
export function ConfirmDialog({ open, title, children, confirmLabel, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const titleId = useId()

  useEffect(() => {
    if (ref.current) syncDialog(ref.current, open, cancelRef.current)
  }, [open])

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="actions">
        <button type="button" ref={cancelRef} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
