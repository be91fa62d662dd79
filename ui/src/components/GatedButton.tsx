import { useId, type ButtonHTMLAttributes } from 'react'

interface GatedButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Why the current token may not do this; the button is disabled and says why. */
  deniedReason?: string | undefined
}

/**
 * A button for an action the current token may lack the capability for. When it does, the
 * button is disabled and the reason is shown beside it (and tied to it for screen readers)
 * rather than hidden in a tooltip.
 */
export function GatedButton({ deniedReason, disabled, children, ...rest }: GatedButtonProps) {
  const reasonId = useId()
  return (
    <span className="gated">
      <button
        type="button"
        {...rest}
        disabled={disabled || deniedReason !== undefined}
        aria-describedby={deniedReason ? reasonId : rest['aria-describedby']}
      >
        {children}
      </button>
      {deniedReason && (
        <span id={reasonId} className="gate-reason">
          {deniedReason}
        </span>
      )}
    </span>
  )
}
