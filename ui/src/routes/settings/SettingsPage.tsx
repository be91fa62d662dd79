import { useEffect, useState, type FormEvent } from 'react'
import { useServices } from '../../app/services'
import { Checkbox } from '../../components/Checkbox'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { CopyButton } from '../../components/CopyButton'
import { focusById } from '../../components/focus'
import { ErrorMessage, StatusMessage } from '../../components/Messages'
import { PageHeading } from '../../components/PageHeading'
import { TextField } from '../../components/TextField'
import { messageOf } from '../../lib/format'
import type { ListenerStatus } from '../../platform'
import { checkListenAddress, DEFAULT_LISTEN_ADDRESS, vaultAddrLine } from './listener'

/** App settings; the listener and the keychain exist only in the desktop app. */
export function SettingsPage({ onSignedOut }: { onSignedOut(): void }) {
  const { platform } = useServices()
  return (
    <>
      <PageHeading>Settings</PageHeading>
      {platform.desktop && <ListenerSection />}
      <TokenSection onSignedOut={onSignedOut} />
      {platform.desktop && <SharesSection />}
    </>
  )
}

/** The local HTTP listener, for the `vault`/`bao` CLIs and other tools on this computer. */
function ListenerSection() {
  const { platform } = useServices()
  const [current, setCurrent] = useState<ListenerStatus>()
  const [enabled, setEnabled] = useState(false)
  const [address, setAddress] = useState(DEFAULT_LISTEN_ADDRESS)
  const [fieldError, setFieldError] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const show = (status: ListenerStatus) => {
    setCurrent(status)
    setEnabled(status.enabled)
    setAddress(status.address || DEFAULT_LISTEN_ADDRESS)
  }

  useEffect(() => {
    platform
      .listener()
      .then(show)
      .catch((e: unknown) => setError(messageOf(e)))
  }, [platform])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const problem = enabled ? checkListenAddress(address) : undefined
    setFieldError(problem)
    if (problem) {
      focusById('listener-address')
      return
    }
    setBusy(true)
    setError(undefined)
    platform
      .setListener(enabled, address.trim())
      .then(show)
      .catch((failure: unknown) => setError(messageOf(failure)))
      .finally(() => setBusy(false))
  }

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="listener-title">
      <h2 id="listener-title">Local API listener</h2>
      <p className="hint">
        The app talks to its core directly. Turn this on to let the <code>vault</code> or <code>bao</code> command-line
        tools on this computer use Strongroom over HTTP.
      </p>
      <Checkbox id="listener-enabled" checked={enabled} onChange={setEnabled}>
        Listen for API requests
      </Checkbox>
      <TextField
        id="listener-address"
        label="Address"
        value={address}
        onChange={setAddress}
        error={fieldError}
        hint="Keep 127.0.0.1 so that only this computer can connect."
        disabled={!enabled}
      />
      <ErrorMessage message={error ?? current?.error ?? undefined} />
      <StatusMessage>
        {current?.enabled && (
          <span className="secret-line">
            <code>{vaultAddrLine(current.address)}</code>
            <CopyButton text={vaultAddrLine(current.address)} label="Copy the export line" />
          </span>
        )}
      </StatusMessage>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Apply
        </button>
      </div>
    </form>
  )
}

function TokenSection({ onSignedOut }: { onSignedOut(): void }) {
  const { client, platform } = useServices()
  const [error, setError] = useState<string>()

  const forget = () => {
    platform
      .deleteToken()
      .then(() => {
        client.token = undefined
        onSignedOut()
      })
      .catch((e: unknown) => setError(messageOf(e)))
  }

  return (
    <section className="card" aria-labelledby="token-title">
      <h2 id="token-title">Token</h2>
      <p className="hint">
        {platform.desktop
          ? 'The app signs in with the token kept in this computer’s keychain. Forgetting it signs you out here; the token itself stays valid.'
          : 'This tab keeps the token until it is closed. Forgetting it signs you out here; the token itself stays valid.'}
      </p>
      <ErrorMessage message={error} />
      <div className="actions">
        <button type="button" onClick={forget}>
          Forget token
        </button>
      </div>
    </section>
  )
}

function SharesSection() {
  const { platform } = useServices()
  const [confirming, setConfirming] = useState(false)
  const [done, setDone] = useState<string>()
  const [error, setError] = useState<string>()

  const forget = () => {
    setError(undefined)
    platform
      .deleteShares()
      .then(() => setDone('The keychain no longer holds unseal shares.'))
      .catch((e: unknown) => setError(messageOf(e)))
      .finally(() => setConfirming(false))
  }

  return (
    <section className="card" aria-labelledby="shares-title">
      <h2 id="shares-title">Unseal shares in the keychain</h2>
      <p className="hint">
        If you chose to keep the unseal shares in this computer’s keychain, remove them here. Make sure the shares are kept
        elsewhere first: without enough of them, Strongroom cannot be unsealed.
      </p>
      <ErrorMessage message={error} />
      <StatusMessage tone="success">{done}</StatusMessage>
      <div className="actions">
        <button type="button" onClick={() => setConfirming(true)}>
          Forget unseal shares in keychain
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Forget the unseal shares?"
        confirmLabel="Forget the shares"
        onConfirm={forget}
        onCancel={() => setConfirming(false)}
      >
        <p>Only do this if the shares are kept somewhere else. Without enough of them, Strongroom cannot be unsealed.</p>
      </ConfirmDialog>
    </section>
  )
}
