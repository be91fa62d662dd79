/** Tokens (issue 8, filled in by the tokens work). */
export function TokensPage() {
  return <h1>Tokens</h1>
}
