/**
 * Moves the keyboard focus to the element with `id` once React has committed the render that
 * shows it (a field with a new error, a step just switched to).
 */
export function focusById(id: string): void {
  window.setTimeout(() => document.getElementById(id)?.focus(), 0)
}
