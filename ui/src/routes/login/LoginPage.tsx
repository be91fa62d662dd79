import { useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import { VaultError } from '../../api/client'
import { focusById } from '../../components/focus'
import { PageHeading } from '../../components/PageHeading'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'

interface LoginPageProps {
  /** Why the user is here, when a saved token was refused. */
  notice?: string
  onSignedIn(): void
}

/** Signing in with a token, checked with `auth/token/lookup-self` before it is kept. */
export function LoginPage({ notice, onSignedIn }: LoginPageProps) {
  const { client, platform } = useServices()
  const [token, setToken] = useState('')
  const [error, setError] = useState(notice)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const candidate = token.trim()
    if (candidate === '') {
      setError('Enter a token.')
      focusById('login-token')
      return
    }
    setBusy(true)
    client.token = candidate
    try {
      await client.lookupSelf()
      await platform.setToken(candidate)
      onSignedIn()
    } catch (failure) {
      client.token = undefined
      setError(
        failure instanceof VaultError && failure.status === 403
          ? 'This token was not accepted: it may have expired or been revoked.'
          : messageOf(failure),
      )
      focusById('login-token')
      setBusy(false)
    }
  }

  return (
    <main className="narrow">
      <PageHeading>Sign in</PageHeading>
      <form className="card" onSubmit={submit} noValidate>
        <TextField
          id="login-token"
          label="Token"
          value={token}
          onChange={(value) => {
            setToken(value)
            setError(undefined)
          }}
          error={error}
          hint={
            platform.desktop
              ? 'The root token from setup, or another token. It is kept in this computer’s keychain.'
              : 'The root token from setup, or another token. This tab keeps it until it is closed.'
          }
          secret
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </div>
      </form>
    </main>
  )
}
