/**
 * Connection URLs as the page shows them: any literal password replaced by `*****`, in the
 * URL's user part, in a `?password=` parameter, or in a `key=value` DSN. The core already
 * masks what it returns; this makes sure a URL typed in the form is never displayed with one.
 */
const MASK = '*****'
const TEMPLATED = '{{password}}'

/** The `[start, end)` of the password in `scheme://user:password@…`, if there is one. */
function userInfoPassword(url: string): [number, number] | undefined {
  const scheme = url.indexOf('://')
  if (scheme < 0) return undefined
  const from = scheme + 3
  // The first `@`, even after a `/`, as the core reads it: a password may hold a `/`, and
  // masking too much on screen is better than printing one.
  const at = url.indexOf('@', from)
  if (at < 0) return undefined
  const colon = url.indexOf(':', from)
  if (colon < 0 || colon > at) return undefined
  return [colon + 1, at]
}

function isLiteral(value: string): boolean {
  return value !== '' && value !== TEMPLATED
}

/** Whether `url` holds a password itself (rather than the `{{password}}` placeholder). */
export function urlHasPassword(url: string): boolean {
  return maskUrl(url) !== url
}

/** `url` without any literal password. */
export function maskUrl(url: string): string {
  let out = url
  const span = userInfoPassword(out)
  if (span && isLiteral(out.slice(span[0], span[1]))) out = `${out.slice(0, span[0])}${MASK}${out.slice(span[1])}`
  // `?password=…` / `&password=…` in a URL; `password=…` or `password = '…'` in a DSN.
  out = out.replace(/([?&\s]|^)(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*)/gi, (whole, before: string, key: string, value: string) =>
    isLiteral(unquote(value)) ? `${before}${key}${MASK}` : whole,
  )
  return out
}

/** A DSN value without its quotes, or a URL parameter decoded. */
function unquote(value: string): string {
  if (value.startsWith("'")) return value.slice(1, -1).replace(/\\(.)/g, '$1')
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
