/** The desktop shell's local API listener (for the `vault`/`bao` command-line tools). */
export interface ListenerStatus {
  enabled: boolean
  address: string
  error: string | null
}

/**
 * What the UI needs from where it runs: the desktop shell keeps secrets in the OS keychain
 * and owns the clipboard and file dialogs; a browser tab has only its session storage and
 * downloads. `desktop` says which, so pages can hide what the browser cannot do.
 */
export interface Platform {
  readonly desktop: boolean
  getToken(): Promise<string | null>
  setToken(token: string): Promise<void>
  deleteToken(): Promise<void>
  /** Unseal shares kept for a single-operator setup (desktop only). */
  getShares(): Promise<string[] | null>
  setShares(shares: string[]): Promise<void>
  deleteShares(): Promise<void>
  /** Copies `text`, and clears the clipboard after `clearAfterMs` if it still holds it. */
  copy(text: string, clearAfterMs: number): Promise<void>
  /** Saves `contents` as a file; the path chosen, or null if the user cancelled. */
  saveTextFile(suggestedName: string, contents: string): Promise<string | null>
  /**
   * Shows an OS notification (the desktop's notification centre, or the browser's once the
   * user allows it). Never pass a secret: notification centres keep a history.
   */
  notify(title: string, body: string): Promise<void>
  /**
   * Asks for permission to notify, if the platform needs it. Called from a click: browsers
   * only show the question for a user's action, and notifications come later from a timer.
   */
  allowNotifications(): Promise<void>
  listener(): Promise<ListenerStatus>
  setListener(enabled: boolean, address: string): Promise<ListenerStatus>
}
