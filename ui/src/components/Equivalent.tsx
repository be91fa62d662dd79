import { cliCommand, curlCommand, type ApiCall } from '../lib/equivalent'
import { CopyButton } from './CopyButton'

/**
 * "As a command": the `bao` CLI and `curl` forms of an action, collapsed under its form, so
 * anything done here can be scripted. Secrets are environment variables, never values.
 */
export function Equivalent({ call, summary = 'As a command' }: { call: ApiCall; summary?: string }) {
  const cli = cliCommand(call)
  const curl = curlCommand(call)
  return (
    <details className="equivalent">
      <summary>{summary}</summary>
      <p className="hint">
        With <code>VAULT_ADDR</code> and <code>VAULT_TOKEN</code> set; <code>vault</code> takes the same arguments as{' '}
        <code>bao</code>.
      </p>
      <div className="equivalent-row">
        <pre tabIndex={0} aria-label="CLI command">
          {cli}
        </pre>
        <CopyButton text={cli} label="Copy CLI command" />
      </div>
      <div className="equivalent-row">
        <pre tabIndex={0} aria-label="HTTP call">
          {curl}
        </pre>
        <CopyButton text={curl} label="Copy HTTP call" />
      </div>
    </details>
  )
}
