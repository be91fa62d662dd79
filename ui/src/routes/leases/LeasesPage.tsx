/** The lease dashboard (issue 8, filled in by the dashboard work). */
export function LeasesPage() {
  return <h1>Leases</h1>
}
