import type { SealStatus, SetupStatus } from '../api/types'
import { messageOf } from '../lib/format'

/** What the whole window shows, decided by the server's state rather than by navigation. */
export type Screen = 'loading' | 'setup' | 'init' | 'unseal' | 'login' | 'main'

export interface ShellState {
  setup?: SetupStatus
  status?: SealStatus
  /** Whether a token was accepted by `auth/token/lookup-self`. */
  signedIn: boolean
  /** Whether a saved token (keychain, session) was tried: until then, login would flash by. */
  tokenChecked: boolean
  /** The wizard is showing freshly made shares: it keeps the window until the user is done. */
  showingKeys: boolean
}

/**
 * The screen for the server's state: not configured → setup wizard; configured but not
 * initialized → the wizard's key step; sealed → unseal; no token → login; else the pages.
 */
export function screenFor({ setup, status, signedIn, tokenChecked, showingKeys }: ShellState): Screen {
  if (showingKeys) return 'init'
  if (!setup) return 'loading'
  if (!setup.configured) return 'setup'
  if (!status) return 'loading'
  if (!status.initialized) return 'init'
  if (status.sealed) return 'unseal'
  if (signedIn) return 'main'
  return tokenChecked ? 'login' : 'loading'
}

/**
 * What the loading screen says when the core cannot be asked: the desktop shell tags a core
 * that failed to start (a bad config file, storage that cannot be opened) as `startup`.
 */
export function connectionProblem(error: unknown): string {
  const message = messageOf(error)
  return error instanceof Error && error.name === 'startup'
    ? `Strongroom could not start: ${message}`
    : `Strongroom did not answer: ${message}`
}
