// The daily work in a real browser against a real team server (DynamoDB storage and KMS
// auto-unseal in moto) and a real PostgreSQL with scram-sha-256 password auth: the tutorial's
// connection and `readonly` role defined through the UI, a credential checked out with a TTL,
// used with the psql command the UI showed, renewed (PostgreSQL's VALID UNTIL moves) and
// returned (the user is gone); many leases revoked at once from the dashboard; a policy with a
// parse error; a token made in the UI; and that token, holding only the `apps` policy, seeing
// the admin actions disabled with the reason.

import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import {
  launchChromium,
  makeTempDir,
  newPage,
  removeTempDir,
  screenshot,
  startMoto,
  startTeamServer,
  waitFor,
} from '../lib/harness.mjs'
import { expectText } from '../lib/page.mjs'
import { READONLY_STATEMENTS } from '../lib/database.mjs'
import { PG_DATABASE, startPostgres } from '../lib/postgres.mjs'

/** How many leases the dashboard revokes in one go. */
const BULK = 12

let browser
let dir
let moto
let server
let pg
/** The apps token the admin test makes in the UI, for the restricted test. */
let appsToken

before(async () => {
  dir = makeTempDir('daily')
  moto = await startMoto(dir)
  // Two quick revocation attempts, so that a lease whose revocation fails is irrevocable soon.
  server = await startTeamServer(dir, moto, { settings: 'lease_revocation_attempts = 2\nlease_revocation_retry_base = "1s"\n' })
  pg = await startPostgres()
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
  pg?.stop()
  await server?.stop()
  await moto?.stop()
  removeTempDir(dir)
})

/** A page signed in with `token`, on `route`. */
async function signedIn(token, route) {
  const page = await newPage(browser)
  await page.goto(server.ui)
  await page.getByLabel('Token', { exact: true }).fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
  await page.goto(`${server.ui}#/${route}`)
  return page
}

/** Runs `command` (a shell command line the UI showed) with psql's `extra` arguments. */
function runShown(command, extra) {
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', `${command} ${extra}`], { timeout: 20_000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${command}: ${stderr || error.message}`)) : resolve(stdout.trim()),
    )
  })
}

/** Waits until `locator` is disabled (the token's capabilities arrive after the page). */
async function expectDisabled(locator, what) {
  await locator.waitFor()
  await waitFor(() => locator.isDisabled(), { what: `${what} disabled` })
}

/** PostgreSQL users made by the readonly role. */
async function readonlyUsers() {
  const rows = await pg.sql(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'v-%readonly%' ORDER BY 1`)
  return rows.map((r) => r[0])
}

/** The user's VALID UNTIL as Unix seconds. */
async function validUntil(user) {
  const rows = await pg.sql(`SELECT extract(epoch FROM rolvaliduntil)::bigint FROM pg_roles WHERE rolname = '${user}'`)
  return Number(rows[0][0])
}

test('admin: connection and tutorial role through the UI, checkout, psql, renew, return, bulk revoke, policy and token', async () => {
  const page = await signedIn(server.rootToken, 'database')
  try {
    // The engine, then a connection whose password is wrong: PostgreSQL's answer at the form,
    // and nothing stored.
    await page.getByRole('button', { name: 'Enable the database engine' }).click()
    await page.getByRole('link', { name: 'Add connection' }).click()
    await page.getByLabel('Connection name', { exact: true }).fill('postgresql')
    await page.getByLabel('Connection URL', { exact: true }).fill(`postgresql://{{username}}:{{password}}@127.0.0.1:${pg.port}/${PG_DATABASE}`)
    await page.getByLabel('Username', { exact: true }).fill('root')
    await page.getByLabel('Password', { exact: true }).fill('not-the-password')
    await page.getByLabel('Allowed roles', { exact: true }).fill('readonly')
    await page.getByRole('button', { name: 'Save connection' }).click()
    await expectText(page.getByRole('alert').filter({ hasText: 'password authentication failed' }), /password authentication failed for user "root"/)
    await screenshot(page, '10-database-connection-refused')
    assert.equal((await server.api('GET', 'database/config/postgresql')).status, 404, 'a refused connection is not stored')

    await page.getByLabel('Password', { exact: true }).fill('rootpassword')
    await page.getByRole('button', { name: 'Save connection' }).click()
    await waitFor(async () => (await server.api('GET', 'database/config/postgresql')).status === 200, { what: 'the connection stored' })
    const config = (await server.api('GET', 'database/config/postgresql')).body.data
    assert.deepEqual(config.allowed_roles, ['readonly'])
    assert.equal(config.connection_details.username, 'root')
    assert.equal(JSON.stringify(config).includes('rootpassword'), false, 'the password is never read back')

    // The tutorial's role from the read-only preset, tested (dry run) before it is saved.
    await page.goto(`${server.ui}#/database`)
    await page.getByRole('link', { name: 'Add role' }).click()
    await page.getByLabel('Role name', { exact: true }).fill('readonly')
    await page.getByLabel('Connection', { exact: true }).selectOption('postgresql')
    await page.getByLabel('Preset', { exact: true }).selectOption({ label: 'Read-only' })
    await page.getByLabel('Schema', { exact: true }).fill('public')
    await page.getByRole('button', { name: 'Apply preset' }).click()
    assert.equal(await page.getByLabel('Creation statements', { exact: true }).inputValue(), READONLY_STATEMENTS.join('\n'))
    await page.getByLabel('Default TTL', { exact: true }).fill('1')
    await page.getByLabel('Unit for the default', { exact: true }).selectOption('h')
    await page.getByLabel('Maximum TTL', { exact: true }).fill('24')
    await page.getByLabel('Unit for the maximum', { exact: true }).selectOption('h')
    await page.getByRole('button', { name: 'Test role' }).click()
    await expectText(page.getByText(/^Tested: /), /passed a trial in PostgreSQL/)
    await expectText(page.locator('.db-dry-run'), /\[password\]/)
    await screenshot(page, '11-database-role-tested')
    assert.equal((await server.api('GET', 'database/roles/readonly')).status, 404, 'a dry run saves nothing')
    assert.deepEqual(await readonlyUsers(), [], 'the trial leaves no user behind')
    await page.getByRole('button', { name: 'Save role' }).click()
    await waitFor(async () => (await server.api('GET', 'database/roles/readonly')).status === 200, { what: 'the role stored' })
    const role = (await server.api('GET', 'database/roles/readonly')).body.data
    assert.deepEqual(role.creation_statements, [READONLY_STATEMENTS.join('\n')])
    assert.equal(role.db_name, 'postgresql')
    assert.equal(role.default_ttl, 3600)
    assert.equal(role.max_ttl, 86400)

    // A second "new" role of the same name is refused at its name, and the saved one is kept.
    await page.goto(`${server.ui}#/database`)
    await page.getByRole('link', { name: 'Add role' }).click()
    await page.getByLabel('Role name', { exact: true }).fill('readonly')
    await page.getByLabel('Connection', { exact: true }).selectOption('postgresql')
    await page.getByRole('button', { name: 'Apply preset' }).click()
    await page.getByRole('button', { name: 'Save role' }).click()
    await expectText(page.locator('#db-role-name-error'), /A role named readonly already exists/)
    assert.equal((await server.api('GET', 'database/roles/readonly')).body.data.default_ttl, 3600)

    // One click: a credential for 2 hours (issued for the default hour, then renewed).
    await page.goto(`${server.ui}#/credentials`)
    await page.getByRole('radio', { name: /^readonly database\/creds\/readonly/ }).check()
    await page.getByLabel('Time to live', { exact: true }).fill('2')
    await page.locator('#cred-ttl-unit').selectOption('h')
    const clicked = Date.now()
    await page.getByRole('button', { name: 'Check out', exact: true }).click()
    const card = page.getByRole('article', { name: 'Credential for readonly' })
    await card.waitFor()
    const username = (await card.locator('dd code').first().textContent()).trim()
    assert.match(username, /^v-.*readonly/)
    console.log(`click to credential: ${Date.now() - clicked} ms wall, ${await card.getAttribute('data-checkout-ms')} ms in the page`)
    assert.equal(await card.getByText('••', { exact: false }).count() > 0, true, 'the password is masked until shown')
    const expected = Date.now() / 1000 + 2 * 3600
    assert.ok(Math.abs((await validUntil(username)) - expected) < 30, 'the TTL asked for is in PostgreSQL')
    await screenshot(page, '12-credentials-checked-out')

    // The psql command the UI shows logs in as the new user, who can read but not write.
    await card.getByRole('button', { name: 'Show password' }).click()
    const psql = (await card.locator('dd code').filter({ hasText: /^psql / }).textContent()).trim()
    assert.equal(await runShown(psql, `-X -A -t -c 'SELECT current_user'`), username)
    assert.equal(await runShown(psql, `-X -A -t -c 'SELECT count(*) FROM products'`), '2')
    await assert.rejects(runShown(psql, `-X -c "INSERT INTO products VALUES (3, 'plum')"`), /permission denied/)

    // Renew: VALID UNTIL moves forward.
    const before = await validUntil(username)
    await new Promise((r) => setTimeout(r, 2100))
    await card.getByRole('button', { name: 'Renew', exact: true }).click()
    await expectText(card.getByText(/^Renewed for /), /Renewed for 2 h/)
    await waitFor(async () => (await validUntil(username)) >= before + 2, { what: 'VALID UNTIL to move' })

    // Return now: the PostgreSQL user is dropped.
    await card.getByRole('button', { name: 'Return now' }).click()
    await page.getByRole('button', { name: 'Return credential' }).click()
    await expectText(card, /Returned: PostgreSQL user .* was dropped/)
    assert.deepEqual(await readonlyUsers(), [])
    assert.equal(await card.locator('dd code').count(), 0, 'the secrets are gone from the page')

    // Many leases, revoked together from the dashboard.
    for (let i = 0; i < BULK; i++) assert.equal((await server.api('GET', 'database/creds/readonly')).status, 200)
    assert.equal((await readonlyUsers()).length, BULK)
    await page.goto(`${server.ui}#/leases`)
    await page.getByRole('button', { name: 'Show leases of role readonly on database/' }).click()
    // The filtered answer, not the unfiltered one before it (a new answer clears the selection).
    await waitFor(async () => page.url().includes('role=readonly') && (await page.locator('#lease-list').getAttribute('aria-busy')) === 'false', {
      what: 'the role filter applied',
    })
    await expectText(page.getByText(/ matching/), new RegExp(`^${BULK} matching`))
    await screenshot(page, '13-leases-dashboard')
    await page.getByRole('checkbox', { name: 'Select all on this page' }).check()
    await page.getByRole('button', { name: `Revoke ${BULK} selected` }).click()
    await page.getByRole('dialog').getByRole('button', { name: `Revoke ${BULK} leases` }).click()
    await expectText(page.getByText(/^Revoked \d+ of /), new RegExp(`Revoked ${BULK} of ${BULK}`))
    assert.deepEqual(await readonlyUsers(), [], 'every selected lease dropped its user')
    assert.equal((await server.api('GET', 'sys/leases/counts')).body.data.total, 0)

    // One lease renewed from its row (its user's VALID UNTIL moves to 4 hours out), then the
    // rest revoked by prefix after the dialog counts them.
    for (let i = 0; i < 3; i++) assert.equal((await server.api('GET', 'database/creds/readonly')).status, 200)
    await page.getByRole('button', { name: 'Refresh' }).click()
    await waitFor(async () => (await page.getByRole('button', { name: /^Renew database\/creds\/readonly\// }).count()) === 3, {
      what: 'three rows',
    })
    const renewRow = page.getByRole('button', { name: /^Renew database\/creds\/readonly\// }).first()
    const renewedId = (await renewRow.getAttribute('aria-label')).replace(/^Renew /, '')
    await renewRow.click()
    await page.getByLabel('Increment', { exact: true }).selectOption('4h')
    await page.getByRole('dialog').getByRole('button', { name: 'Renew 1 lease' }).click()
    await waitFor(async () => {
      const ttl = (await server.api('PUT', 'sys/leases/lookup', { lease_id: renewedId })).body.data.ttl
      return Math.abs(ttl - 4 * 3600) < 30
    }, { what: 'the lease renewed for 4 hours' })
    const fourHours = Date.now() / 1000 + 4 * 3600
    const renewedUsers = await readonlyUsers()
    const movedOut = await Promise.all(renewedUsers.map(async (u) => Math.abs((await validUntil(u)) - fourHours) < 30))
    assert.equal(movedOut.filter(Boolean).length, 1, "exactly the renewed user's VALID UNTIL moved to 4 hours out")
    await page.getByLabel('Prefix to revoke', { exact: true }).fill('database/creds/readonly/')
    await page.getByRole('button', { name: 'Revoke by prefix…' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke 3 leases' }).click()
    await waitFor(async () => (await readonlyUsers()).length === 0, { what: 'the prefix revoked' })

    // A lease whose revocation keeps failing: its revocation writes to a table that is dropped
    // after the role is saved (the role's trial passes). It becomes irrevocable with the stored
    // error, then is force revoked from the dashboard: Strongroom forgets it, and the user
    // stays, as the dialog warns.
    await pg.sql('CREATE TABLE public.revoke_gate (at timestamptz)')
    assert.equal((await server.api('POST', 'database/config/postgresql', { allowed_roles: ['readonly', 'broken'] })).status, 204)
    const broken = await server.api('POST', 'database/roles/broken', {
      db_name: 'postgresql',
      creation_statements: READONLY_STATEMENTS,
      revocation_statements: [
        'INSERT INTO public.revoke_gate VALUES (now());',
        'REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "{{name}}";',
        'DROP ROLE "{{name}}";',
      ],
      default_ttl: '2s',
      max_ttl: '1m',
    })
    assert.equal(broken.status, 204, JSON.stringify(broken.body))
    await pg.sql('DROP TABLE public.revoke_gate')
    const brokenUser = (await server.api('GET', 'database/creds/broken')).body.data.username
    await waitFor(async () => (await server.api('GET', 'sys/leases/counts')).body.data.irrevocable === 1, {
      timeoutMs: 30_000,
      what: 'the lease to become irrevocable',
    })
    await page.goto(`${server.ui}#/leases`)
    await page.getByRole('button', { name: 'Show irrevocable leases' }).click()
    await expectText(page.locator('.lease-error'), /revoke_gate.*does not exist/)
    await screenshot(page, '13b-leases-irrevocable')
    const forceRow = page.getByRole('button', { name: /^Force revoke database\/creds\/broken\// })
    await forceRow.click()
    await page.getByRole('dialog').getByRole('button', { name: 'Force revoke 1 lease' }).click()
    await waitFor(async () => (await server.api('GET', 'sys/leases/counts')).body.data.total === 0, { what: 'the forced lease gone' })
    assert.deepEqual((await pg.sql(`SELECT count(*) FROM pg_roles WHERE rolname = '${brokenUser}'`))[0], ['1'], 'force revoke leaves the user')
    await pg.sql(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${brokenUser}"; DROP ROLE "${brokenUser}"`)

    // A policy with a mistake on line 2: the parser's message, and that line marked.
    await page.goto(`${server.ui}#/policies`)
    await page.getByRole('button', { name: 'New policy' }).click()
    await page.getByLabel('Policy name', { exact: true }).fill('apps')
    const editor = page.getByLabel('Policy (HCL)', { exact: true })
    await editor.fill('path "database/creds/readonly" {\n  capabilities = ["read"\n}\n')
    await page.getByRole('button', { name: 'Save policy' }).click()
    await expectText(page.getByRole('alert').filter({ hasText: 'line' }), /line \d+, column \d+/)
    assert.equal(await editor.getAttribute('aria-invalid'), 'true')
    await screenshot(page, '14-policy-parse-error')
    assert.equal((await server.api('GET', 'sys/policies/acl/apps')).status, 404)
    await editor.fill('path "database/creds/readonly" {\n  capabilities = ["read"]\n}\n')
    await page.getByRole('button', { name: 'Save policy' }).click()
    await waitFor(async () => (await server.api('GET', 'sys/policies/acl/apps')).status === 200, { what: 'the policy stored' })

    // A token with only `apps`, shown once.
    await page.goto(`${server.ui}#/tokens`)
    await page.getByRole('group', { name: 'Policies' }).getByRole('checkbox', { name: 'apps', exact: true }).check()
    await page.getByRole('button', { name: 'Create token' }).click()
    await page.getByRole('heading', { name: 'New token' }).waitFor()
    await page.getByRole('button', { name: 'Show token' }).click()
    appsToken = (await page.locator('.new-token .secret-line code').textContent()).trim()
    const looked = await server.api('GET', 'auth/token/lookup-self', undefined, appsToken)
    assert.equal(looked.status, 200)
    assert.deepEqual(looked.body.data.policies, ['apps', 'default'])
    await page.getByRole('button', { name: 'I have stored it' }).click()
    assert.equal(await page.getByText(appsToken).count(), 0, 'the token is gone from the page')

    // Rotate root: afterwards only Strongroom knows root's password, and checkouts still work.
    await page.goto(`${server.ui}#/database`)
    await page.getByRole('link', { name: 'postgresql', exact: true }).first().click()
    await page.getByRole('button', { name: 'Rotate root credentials' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate the root password' }).click()
    await waitFor(() => pg.psql(['-d', pg.url(), '-c', 'SELECT 1']).then(() => false, (e) => /password authentication failed/.test(e.message)), {
      what: 'the old root password refused',
    })
    assert.deepEqual(page.errors, [])
  } catch (error) {
    await screenshot(page, 'daily-admin-failed')
    throw error
  } finally {
    await page.context().close()
  }
})

test('a token with only the apps policy checks out, and sees the admin actions disabled with the reason', async () => {
  assert.ok(appsToken, 'needs the admin test')
  const page = await signedIn(appsToken, 'credentials')
  try {
    await page.getByRole('radio', { name: /^readonly database\/creds\/readonly/ }).check()
    await page.getByRole('button', { name: 'Check out', exact: true }).click()
    const card = page.getByRole('article', { name: 'Credential for readonly' })
    await card.waitFor()
    const username = (await card.locator('dd code').first().textContent()).trim()
    assert.deepEqual(await readonlyUsers(), [username])
    // Renewing is in the default policy; returning is not.
    await expectDisabled(card.getByRole('button', { name: 'Return now' }), 'Return now')
    await expectText(card.locator('.gate-reason'), /do not grant "update" on sys\/leases\/revoke/)
    await screenshot(page, '15-apps-token-checkout')

    await page.goto(`${server.ui}#/policies`)
    await expectDisabled(page.getByRole('button', { name: 'New policy' }), 'New policy')
    await page.goto(`${server.ui}#/tokens`)
    await expectDisabled(page.getByRole('button', { name: 'Create token' }), 'Create token')
    await expectText(page.locator('.gate-reason').first(), /do not grant/)
    await page.goto(`${server.ui}#/leases`)
    await expectText(page.getByText(/do not allow listing leases/), /do not grant "read" on sys\/leases\/search/)
    await screenshot(page, '16-apps-token-leases')
    const denied = page.failed.filter((f) => / 403 /.test(` ${f}`) || f.startsWith('403'))
    assert.deepEqual(denied, [], 'the pages ask what the token may do instead of failing')
  } catch (error) {
    await screenshot(page, 'daily-apps-failed')
    throw error
  } finally {
    await page.context().close()
    // The credential lives on; the root token returns it.
    await server.api('PUT', 'sys/leases/revoke-prefix/database/creds/readonly')
  }
})
