// Browser UI metrics, in one run:
// - click to credential: from the click on "Check out" to the username on screen, in chromium
//   against a team server (moto) and PostgreSQL, next to the raw API read it is built on;
// - the lease dashboard at LEASES leases: time from a filter change to the rows on screen
//   (the page's own `data-filter-ms`, debounce included) next to the bare search request.
//   bench/ui.sh [runs] [leases]
import { spawn } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import {
  BIN,
  freePort,
  http,
  launchChromium,
  makeTempDir,
  newPage,
  removeTempDir,
  startMoto,
  startTeamServer,
  stopProcess,
  waitFor,
} from '../lib/harness.mjs'
import { setUpDatabase } from '../lib/database.mjs'
import { startPostgres } from '../lib/postgres.mjs'
import { median, summary } from '../lib/stats.mjs'

const RUNS = Number(process.argv[2] ?? 10)
const LEASES = Number(process.argv[3] ?? 100_000)
/** The page's debounce before a typed filter is sent. */
const DEBOUNCE_MS = 250

async function signIn(browser, ui, token, route) {
  const page = await newPage(browser)
  await page.goto(ui)
  await page.getByLabel('Token', { exact: true }).fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
  await page.goto(`${ui}#/${route}`)
  return page
}

async function clickToCredential(browser) {
  const dir = makeTempDir('metrics-ui')
  const moto = await startMoto(dir)
  const pg = await startPostgres()
  const server = await startTeamServer(dir, moto)
  try {
    await setUpDatabase(server.api, pg)
    // The floor: the same read over HTTP from here, no UI.
    const raw = []
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now()
      const r = await server.api('GET', 'database/creds/readonly')
      raw.push(performance.now() - t)
      if (r.status !== 200) throw new Error(JSON.stringify(r.body))
    }
    const page = await signIn(browser, server.ui, server.rootToken, 'credentials')
    await page.getByRole('radio', { name: /^readonly database\/creds\/readonly/ }).check()
    const inPage = []
    const wall = []
    for (let i = 0; i < RUNS; i++) {
      const cards = page.locator('article[data-checkout-ms]')
      const before = await cards.count()
      const t = performance.now()
      await page.getByRole('button', { name: 'Check out', exact: true }).click()
      await waitFor(async () => (await cards.count()) > before, { intervalMs: 2, what: 'the new credential' })
      wall.push(performance.now() - t)
      inPage.push(Number(await cards.nth(0).getAttribute('data-checkout-ms')))
    }
    console.log(`click to credential, browser (in the page): ${summary(inPage)}`)
    console.log(`click to credential, browser (Playwright click to card): ${summary(wall)}`)
    console.log(`raw floor: GET database/creds/readonly over HTTP: ${summary(raw)}`)
    console.log(`ratio, page / raw: ${(median(inPage) / median(raw)).toFixed(2)}`)
    await page.context().close()
  } finally {
    await server.stop()
    pg.stop()
    await moto.stop()
    removeTempDir(dir)
  }
}

/** A -dev server with a leased kv, holding `count` leases over ten paths (TTLs 1–10 h). */
async function devServerWithLeases(count) {
  const port = await freePort()
  const addr = `http://127.0.0.1:${port}`
  const child = spawn(BIN, ['server', '-dev', '-dev-root-token-id=root', '-dev-leased-kv', `-dev-listen-address=127.0.0.1:${port}`], {
    stdio: 'ignore',
  })
  await waitFor(async () => (await http('GET', `${addr}/v1/sys/health`)).status === 200, { what: 'dev server', child })
  for (let i = 0; i < 10; i++) await http('PUT', `${addr}/v1/secret/app${i}/db`, { v: '1', ttl: `${i + 1}h` }, 'root')
  let next = 0
  const started = performance.now()
  const deadline = Date.now() + 15 * 60_000
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count && Date.now() < deadline) {
        const i = next++
        const r = await fetch(`${addr}/v1/secret/app${i % 10}/db`, { headers: { 'x-vault-token': 'root' } })
        await r.arrayBuffer()
        if (r.status !== 200) throw new Error(`read ${i}: ${r.status}`)
      }
    }),
  )
  const total = (await http('GET', `${addr}/v1/sys/leases/counts`, undefined, 'root')).body.data.total
  console.log(`seeded ${total} leases in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  return { addr, ui: `${addr}/ui/`, stop: () => stopProcess(child) }
}

async function dashboard(browser) {
  const server = await devServerWithLeases(LEASES)
  try {
    const page = await signIn(browser, server.ui, 'root', 'leases')
    const list = page.locator('section#lease-list')
    const rows = page.getByRole('region', { name: 'Leases on this page' }).locator('tbody tr')
    await rows.first().waitFor({ timeout: 60_000 })
    /** Applies a filter; the page's filter-to-rows time once it shows the total the bare search gives. */
    const measure = async (label, apply, query) => {
      const times = []
      const raw = []
      for (let i = 0; i < Math.min(RUNS, 5); i++) {
        const t = performance.now()
        const r = await http('GET', `${server.addr}/v1/sys/leases/search?${query}`, undefined, 'root')
        raw.push(performance.now() - t)
        if (r.status !== 200) throw new Error(JSON.stringify(r.body))
        const expected = `${String(r.body.data.total).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} matching`
        // A fresh page each time (the tab keeps its sign-in), so no filter is left applied.
        await page.goto('about:blank')
        await page.goto(`${server.ui}#/leases`)
        await rows.first().waitFor({ timeout: 60_000 })
        const previous = await list.getAttribute('data-filter-ms')
        await apply()
        await waitFor(
          async () =>
            (await list.getAttribute('data-filter-ms')) !== previous &&
            ((await page.locator('.lease-matching').textContent()) ?? '').startsWith(expected),
          { intervalMs: 5, timeoutMs: 60_000, what: label },
        )
        times.push(Number(await list.getAttribute('data-filter-ms')))
      }
      console.log(`dashboard at ${LEASES} leases, ${label}: page ${summary(times)}; bare search ${summary(raw)}`)
    }
    await measure('prefix secret/app3/ (typed)', () => page.getByLabel('Lease ID prefix', { exact: true }).fill('secret/app3/'), 'prefix=secret/app3/&limit=100')
    await measure('expiring within 1 hour (chosen)', () => page.getByLabel('Expiring', { exact: true }).selectOption({ label: 'Within 1 hour' }), 'expiring_within=1h&limit=100')
    await measure('mount secret/ (chosen)', () => page.getByLabel('Mount', { exact: true }).selectOption('secret/'), 'mount=secret/&limit=100')
    console.log(`(a typed filter includes the page's ${DEBOUNCE_MS} ms pause after the last keystroke; a chosen one is searched at once)`)
    await page.context().close()
  } finally {
    await server.stop()
  }
}

const browser = await launchChromium()
try {
  await clickToCredential(browser)
  await dashboard(browser)
} finally {
  await browser.close()
}
