import { useEffect, useRef, type ChangeEvent } from 'react'
import { gutterLines, offsetOf, type TextPosition } from './hcl'

interface HclTextareaProps {
  id: string
  label: string
  value: string
  onChange(value: string): void
  readOnly?: boolean
  /** Where the core found the policy wrong: that line is marked and the caret goes there. */
  errorAt?: TextPosition | undefined
  /** The id of the element holding the error message, while there is one. */
  errorId?: string | undefined
  hintId?: string | undefined
}

/**
 * A monospace textarea with a line-number gutter. Lines do not wrap, so each gutter row stays
 * level with its line; the gutter follows the textarea's scrolling. When the core reports an
 * error, the caret is moved to its line and column so the user starts fixing it at once.
 */
export function HclTextarea({ id, label, value, onChange, readOnly, errorAt, errorId, hintId }: HclTextareaProps) {
  const textRef = useRef<HTMLTextAreaElement>(null)
  const gutterRef = useRef<HTMLDivElement>(null)

  useEffect(() => {
    const area = textRef.current
    if (!errorAt || !area) return
    const offset = offsetOf(area.value, errorAt)
    area.focus()
    area.setSelectionRange(offset, offset)
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20
    area.scrollTop = Math.max(0, (errorAt.line - 0.5) * lineHeight - area.clientHeight / 2)
  }, [errorAt])

  const syncScroll = () => {
    if (gutterRef.current && textRef.current) gutterRef.current.scrollTop = textRef.current.scrollTop
  }

  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined
  return (
    <div className="field hcl-field">
      <label htmlFor={id}>{label}</label>
      <div className="hcl-editor">
        <div className="hcl-gutter" aria-hidden="true">
          <div className="hcl-gutter-lines" ref={gutterRef}>
            {gutterLines(value, errorAt?.line).map((line) => (
              <span key={line.number} className={line.error ? 'hcl-gutter-error' : undefined}>
                {line.error ? `▸ ${line.number}` : line.number}
              </span>
            ))}
          </div>
        </div>
        <textarea
          id={id}
          ref={textRef}
          className="hcl-text"
          value={value}
          onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
          onScroll={syncScroll}
          readOnly={readOnly}
          wrap="off"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          aria-invalid={errorAt ? true : undefined}
          aria-describedby={describedBy}
          rows={18}
        />
      </div>
    </div>
  )
}
