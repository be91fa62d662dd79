import { useEffect, useRef, type ReactNode } from 'react'

/**
 * The screen's title. It takes the focus when the screen appears, so that keyboard and screen
 * reader users start at the top of what changed rather than on a button that is gone.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  )
}
