import { normalizePolicyName, policyUrl } from '../../api/policies'
import { shellQuote, type ApiCall } from '../../lib/equivalent'

/**
 * `bao policy write <name> <name>.hcl`, and the HTTP call with the text as the body. The name
 * is shown as the core will store it; `NAME` until one is typed.
 */
export function writeCall(name: string, text: string): ApiCall {
  const shown = normalizePolicyName(name) || 'NAME'
  return {
    method: 'PUT',
    path: policyUrl(shown),
    body: { policy: text },
    cli: `bao policy write ${shellQuote(shown)} ${shellQuote(`${shown}.hcl`)}`,
  }
}

export function deleteCall(name: string): ApiCall {
  return { method: 'DELETE', path: policyUrl(name), cli: `bao policy delete ${shellQuote(name)}` }
}
