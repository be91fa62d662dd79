// Click to credential in the desktop app: from the click on "Check out" to the credential on
// screen, in the real binary under tauri-driver, against a throwaway PostgreSQL, next to the
// same read made in-process over the app's IPC channel (the floor).
//   bench/desktop.sh checkout [runs]   (runs this in the session tests/e2e/run-desktop.sh makes)
// The app is prepared without the wizard: a config file (local storage, Shamir) and the loopback
// listener turned on in desktop.json, so init, unseal and the database set-up go over HTTP.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, http, makeTempDir, removeTempDir, waitFor } from '../lib/harness.mjs'
import { appEnv, closeApp, openApp } from '../lib/desktop.mjs'
import { setUpDatabase } from '../lib/database.mjs'
import { startPostgres } from '../lib/postgres.mjs'
import { median, summary } from '../lib/stats.mjs'

const RUNS = Number(process.argv[2] ?? 10)

const home = makeTempDir('desktop-checkout')
const env = appEnv(home)
const configDir = join(home, 'config/dev.strongroom.desktop')
mkdirSync(configDir, { recursive: true })
const port = await freePort()
const addr = `http://127.0.0.1:${port}/v1`
writeFileSync(join(configDir, 'strongroom.hcl'), `storage "local" {\n  path = "${join(home, 'strongroom.db')}"\n}\n`, { mode: 0o600 })
writeFileSync(join(configDir, 'desktop.json'), JSON.stringify({ listener_enabled: true, listener_address: `127.0.0.1:${port}` }))

const pg = await startPostgres()
let app
try {
  app = await openApp(env)
  const { browser } = app
  await waitFor(async () => (await http('GET', `${addr}/sys/seal-status`)).status === 200, { what: 'the app listener' })
  const init = await http('PUT', `${addr}/sys/init`, { secret_shares: 1, secret_threshold: 1 })
  const token = init.body.root_token
  await http('PUT', `${addr}/sys/unseal`, { key: init.body.keys[0] })
  await setUpDatabase((method, path, body) => http(method, `${addr}/${path}`, body, token), pg)

  // Sign in through the UI (it keeps the token in the keychain), then the Credentials page.
  const field = await browser.$('#login-token')
  await field.waitForDisplayed({ timeout: 20000 })
  await field.setValue(token)
  await (await browser.$('button=Sign in')).click()
  await (await browser.$('a=Credentials')).waitForDisplayed({ timeout: 20000 })
  await (await browser.$('a=Credentials')).click()
  const radio = await browser.$('input[type="radio"][value="database/creds/readonly"]')
  await radio.waitForExist({ timeout: 15000 })
  await radio.click()

  // The floor: the same read through the app's IPC channel, with no rendering.
  const ipc = await browser.execute(async (t, n) => {
    const times = []
    for (let i = 0; i < n; i++) {
      const start = performance.now()
      await window.__TAURI_INTERNALS__.invoke('vault_request', { method: 'GET', path: 'database/creds/readonly', token: t, body: null })
      times.push(performance.now() - start)
    }
    return times
  }, token, RUNS)

  const inPage = []
  const wall = []
  for (let i = 0; i < RUNS; i++) {
    const before = (await browser.$$('article[data-checkout-ms]')).length
    const start = performance.now()
    await (await browser.$('button=Check out')).click()
    await browser.waitUntil(async () => (await browser.$$('article[data-checkout-ms]')).length > before, { timeout: 15000, interval: 5 })
    wall.push(performance.now() - start)
    inPage.push(Number(await (await browser.$('article[data-checkout-ms]')).getAttribute('data-checkout-ms')))
  }
  console.log(`click to credential, desktop (in the page): ${summary(inPage)}`)
  console.log(`click to credential, desktop (WebDriver click to card): ${summary(wall)}`)
  console.log(`floor: GET database/creds/readonly over IPC: ${summary(ipc)}`)
  console.log(`ratio, page / IPC: ${(median(inPage) / median(ipc)).toFixed(2)}`)
} finally {
  await closeApp(app)
  pg.stop()
  removeTempDir(home)
}
