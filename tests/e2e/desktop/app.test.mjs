// The real desktop binary under tauri-driver + WebKitWebDriver: first run shows the setup
// wizard, which completes on local storage + Shamir; the root token lands in the OS keychain;
// a restart shows the unseal screen, and unsealing works; then a database credential is
// checked out, used and returned, and a short one raises the desktop's expiry notification.
// Run through run-desktop.sh (Xvfb, a session bus and an unlocked keyring).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SCREENSHOTS as SHOTS, freePort, makeTempDir, removeTempDir, sleep } from '../lib/harness.mjs'
import { APP, appEnv, closeApp, openApp } from '../lib/desktop.mjs'
import { setUpDatabase } from '../lib/database.mjs'
import { startPostgres } from '../lib/postgres.mjs'

const home = makeTempDir('desktop')
const env = appEnv(home)
const configFile = join(home, 'config/dev.strongroom.desktop/strongroom.hcl')
/** The open app, closed after each test (also when it fails). */
let app

async function fill(browser, selector, value) {
  const field = await browser.$(selector)
  await field.waitForDisplayed({ timeout: 10000 })
  await field.clearValue()
  await field.setValue(value)
}

/**
 * Clicks `selector` once it is displayed and enabled, looking it up again on every try: a page
 * that is still rendering what it loaded replaces elements, which WebDriver reports as stale.
 */
async function clickSettled(browser, selector) {
  await browser.waitUntil(
    async () => {
      try {
        const element = await browser.$(selector)
        if (!(await element.isDisplayed()) || !(await element.isEnabled())) return false
        await element.click()
        return true
      } catch {
        return false
      }
    },
    { timeout: 15000, timeoutMsg: `${selector} never took a click` },
  )
}

async function click(browser, text) {
  const button = await browser.$(`button=${text}`)
  await button.waitForEnabled({ timeout: 15000 })
  await button.click()
}

async function stateBadge(browser, expected) {
  try {
    await browser.waitUntil(
      async () => (await browser.$('[data-testid="state"]').getText().catch(() => '')) === expected,
      { timeout: 20000, timeoutMsg: `the state badge never showed ${expected}` },
    )
  } catch (e) {
    await browser.saveScreenshot(join(SHOTS, `desktop-failed-${expected}.png`))
    throw e
  }
}

/** Submits `shares` one by one on the unseal screen. */
async function unseal(browser, shares) {
  for (const [i, share] of shares.entries()) {
    await fill(browser, '#unseal-share', share)
    await click(browser, 'Submit share')
    if (i < shares.length - 1) {
      const progress = await browser.$('[data-testid="progress"]')
      await progress.waitUntil(async () => (await progress.getText()).startsWith(`${i + 1} `), { timeout: 10000 })
    }
  }
}

function keychain(name) {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', 'dev.strongroom.desktop', 'username', name], {
      encoding: 'utf8',
    })
  } catch {
    return ''
  }
}

before(() => {
  mkdirSync(SHOTS, { recursive: true })
  assert.ok(existsSync(APP), `build the desktop app first (${APP})`)
})

after(async () => {
  await closeApp(app)
  removeTempDir(home)
})

let shares = []

test('first run: the wizard sets up local storage with key shares and unseals', async () => {
  app = await openApp(env)
  const { browser, started } = app
  try {
    const local = await browser.$('h2=Where should Strongroom keep its data?')
    await local.waitForDisplayed({ timeout: 20000 })
    console.log(`first screen after ${Math.round(performance.now() - started)} ms (session start included)`)
    await browser.saveScreenshot(join(SHOTS, 'desktop-01-setup.png'))
    assert.ok(!existsSync(configFile), 'no config before the wizard')

    await click(browser, 'Next: seal')
    await click(browser, 'Next: review')
    const hcl = await browser.$('pre[aria-label="Configuration file"]')
    await hcl.waitUntil(async () => (await hcl.getText()).includes('storage "local"'), { timeout: 10000 })
    await click(browser, 'Save configuration')

    await fill(browser, '#init-shares', '3')
    await fill(browser, '#init-threshold', '2')
    await click(browser, 'Create the keys')
    const first = await browser.$('[data-testid="share-1"]')
    await first.waitForDisplayed({ timeout: 15000 })
    for (let i = 1; i <= 3; i++) shares.push((await browser.$(`[data-testid="share-${i}"]`).getText()).trim())
    assert.equal(new Set(shares).size, 3)
    const stored = await browser.$('[data-testid="root-token-stored"]')
    assert.ok(await stored.isDisplayed(), 'the desktop says the root token went to the keychain')
    await browser.saveScreenshot(join(SHOTS, 'desktop-02-keys.png'))

    const label = await browser.$('label[for="check-share"]').getText()
    const n = Number(/share (\d+)/.exec(label)[1])
    await fill(browser, '#check-share', shares[n - 1])
    await click(browser, 'Continue')
    // A new node starts sealed: the wizard hands over to the unseal screen.
    await (await browser.$('#unseal-share')).waitForDisplayed({ timeout: 15000 })
    await unseal(browser, [shares[0], shares[1]])
    await stateBadge(browser, 'Unsealed')
    await browser.saveScreenshot(join(SHOTS, 'desktop-03-status.png'))

    const config = readFileSync(configFile, 'utf8')
    assert.match(config, /storage "local"/)
    assert.equal(statSync(configFile).mode & 0o777, 0o600)
    assert.match(keychain('token'), /^(hvs|s)\.\S+/, 'the root token is in the OS keychain')
  } finally {
    await closeApp(app)
    app = undefined
  }
})

test('restart: the unseal screen, then unsealing with two shares', async () => {
  assert.equal(shares.length, 3, 'needs the first test')
  app = await openApp(env)
  const { browser, started } = app
  try {
    const field = await browser.$('#unseal-share')
    await field.waitForDisplayed({ timeout: 20000 })
    console.log(`unseal screen after ${Math.round(performance.now() - started)} ms (session start included)`)
    assert.equal(await field.getAttribute('type'), 'password', 'shares are typed masked')
    await stateBadge(browser, 'Sealed')
    await browser.saveScreenshot(join(SHOTS, 'desktop-04-unseal.png'))

    await fill(browser, '#unseal-share', 'not-a-share')
    await click(browser, 'Submit share')
    const error = await browser.$('#unseal-share-error')
    await error.waitForDisplayed({ timeout: 10000 })

    await unseal(browser, [shares[2], shares[0]])
    // The token from the keychain signs in by itself: the status page, not a login form.
    await stateBadge(browser, 'Unsealed')
    await browser.saveScreenshot(join(SHOTS, 'desktop-05-unsealed.png'))

    // The clipboard: what the app copies is marked for clipboard managers to skip, and is gone
    // after its timeout (the UI asks for 30 s; the command is called directly with 1.5 s).
    // xclip fails when nothing owns the clipboard any more: that reads as empty.
    const clipboard = (...args) => {
      try {
        return execFileSync('xclip', ['-o', '-selection', 'clipboard', ...args], { encoding: 'utf8', timeout: 5000 })
      } catch {
        return ''
      }
    }
    await browser.execute(() =>
      window.__TAURI_INTERNALS__.invoke('copy_text', { text: 'copied-secret', clearAfterMs: 1500 }),
    )
    assert.equal(clipboard(), 'copied-secret')
    assert.match(clipboard('-t', 'TARGETS'), /x-kde-passwordManagerHint/)
    await sleep(2500)
    assert.equal(clipboard(), '', 'the clipboard still holds the copy after its timeout')
    // A newer copy is not cleared by an older copy's timer.
    await browser.execute(async () => {
      await window.__TAURI_INTERNALS__.invoke('copy_text', { text: 'first', clearAfterMs: 1500 })
      await window.__TAURI_INTERNALS__.invoke('copy_text', { text: 'second', clearAfterMs: 60000 })
    })
    await sleep(2500)
    assert.equal(clipboard(), 'second')

    // The loopback listener: off by default, then the same API over HTTP for VAULT_ADDR.
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/v1/sys/seal-status`
    await assert.rejects(fetch(url), 'no TCP port before the listener is turned on')
    await (await browser.$('a=Settings')).click()
    await (await browser.$('#listener-enabled')).click()
    await fill(browser, '#listener-address', `127.0.0.1:${port}`)
    await click(browser, 'Apply')
    const exportLine = await browser.$(`code=export VAULT_ADDR=http://127.0.0.1:${port}`)
    await exportLine.waitForDisplayed({ timeout: 10000 })
    await browser.saveScreenshot(join(SHOTS, 'desktop-06-listener.png'))
    const answer = await fetch(url)
    assert.equal(answer.status, 200)
    assert.equal((await answer.json()).sealed, false)
    await (await browser.$('#listener-enabled')).click()
    await click(browser, 'Apply')
    await browser.waitUntil(async () => !(await exportLine.isDisplayed().catch(() => false)), { timeout: 10000 })
    await assert.rejects(fetch(url), 'the port is closed again')
  } finally {
    await closeApp(app)
    app = undefined
  }
})

test('credentials: one-click checkout, psql, return, and the expiry notification', async () => {
  assert.equal(shares.length, 3, 'needs the first test')
  const pg = await startPostgres()
  // Notifications go to the session bus; the monitor sees the call whether or not a
  // notification daemon runs in this session.
  const monitor = spawn('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  let notifications = ''
  monitor.stdout.on('data', (chunk) => (notifications += chunk))
  app = await openApp(env)
  const { browser } = app
  try {
    await (await browser.$('#unseal-share')).waitForDisplayed({ timeout: 20000 })
    await unseal(browser, [shares[0], shares[1]])
    await stateBadge(browser, 'Unsealed')

    // The engine, connection and roles through the app's own API channel (the browser test
    // drives those forms); `brief` lives 12 s so that its expiry can be watched.
    const token = keychain('token').trim()
    const api = (method, path, body) =>
      browser.execute(
        (m, p, t, b) => window.__TAURI_INTERNALS__.invoke('vault_request', { method: m, path: p, token: t, body: b }),
        method,
        path,
        token,
        body ?? null,
      )
    await setUpDatabase(api, pg, {
      readonly: { default_ttl: '1h', max_ttl: '24h' },
      brief: { default_ttl: '12s', max_ttl: '1m' },
    })

    // One click on Check out: a credential that logs in with the psql command shown.
    await (await browser.$('a=Credentials')).click()
    await clickSettled(browser, 'input[type="radio"][value="database/creds/readonly"]')
    // The role's TTL limits are loaded (the form settles) before the click.
    await browser.waitUntil(async () => (await browser.$('#cred-ttl').getValue().catch(() => '')) === '1', { timeout: 15000 })
    const clicked = performance.now()
    await clickSettled(browser, 'button=Check out')
    const card = await browser.$('article[data-checkout-ms]')
    await card.waitForExist({ timeout: 15000 }).catch(async (error) => {
      await browser.saveScreenshot(join(SHOTS, 'desktop-failed-checkout.png'))
      throw error
    })
    const username = await (await card.$('dd code')).getText()
    console.log(
      `desktop click to credential: ${Math.round(performance.now() - clicked)} ms over WebDriver, ${await card.getAttribute('data-checkout-ms')} ms in the page`,
    )
    assert.match(username, /^v-.*readonly/)
    await browser.saveScreenshot(join(SHOTS, 'desktop-07-checkout.png'))
    await (await card.$('button=Show password')).click()
    const codes = await card.$$('dd code')
    let psql = ''
    for (const code of codes) {
      const text = await code.getText()
      if (text.startsWith('psql ')) psql = text
    }
    assert.ok(psql, 'a psql command is shown')
    const who = execFileSync('bash', ['-c', `${psql} -X -A -t -c 'SELECT current_user'`], { encoding: 'utf8', timeout: 20000 })
    assert.equal(who.trim(), username)

    // Return now: the user is dropped in PostgreSQL.
    await (await card.$('button=Return now')).click()
    await click(browser, 'Return credential')
    await browser.waitUntil(async () => (await card.getText()).includes('was dropped'), { timeout: 15000 })
    const left = await pg.sql(`SELECT count(*) FROM pg_roles WHERE rolname = '${username}'`)
    assert.equal(left[0][0], '0')

    // A 12 s credential: the notification comes shortly before expiry, naming the role and
    // user but never the password; then the card shows Expired and the user is gone.
    await clickSettled(browser, 'input[type="radio"][value="database/creds/brief"]')
    await browser.waitUntil(async () => (await browser.$('#cred-ttl').getValue().catch(() => '')) === '12', { timeout: 15000 })
    await clickSettled(browser, 'button=Check out')
    const brief = await browser.$('article*=Credential for brief')
    await brief.waitForExist({ timeout: 15000 })
    const briefUser = await (await brief.$('dd code')).getText()
    await (await brief.$('button=Show password')).click()
    const briefCodes = await brief.$$('dd code')
    const briefPassword = await briefCodes[1].getText()
    await browser.waitUntil(async () => notifications.includes(briefUser), { timeout: 20000, timeoutMsg: `no Notify call: ${notifications}` })
    assert.equal(notifications.includes(briefPassword), false, 'the notification must not carry the password')
    await browser.waitUntil(async () => (await brief.getText()).includes('Expired'), { timeout: 20000 })
    await browser.saveScreenshot(join(SHOTS, 'desktop-08-expired.png'))
    await browser.waitUntil(
      async () => (await pg.sql(`SELECT count(*) FROM pg_roles WHERE rolname = '${briefUser}'`))[0][0] === '0',
      { timeout: 15000, timeoutMsg: 'the expired user was not dropped' },
    )
  } finally {
    monitor.kill()
    await closeApp(app)
    app = undefined
    pg.stop()
  }
})
