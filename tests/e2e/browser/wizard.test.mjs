// The setup wizard in a real browser against the real binary: local storage with key shares,
// DynamoDB + AWS KMS against moto, client-side field errors, and the keyboard-only path.

import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { after, before, test } from 'node:test'
import {
  botoScript,
  http,
  launchChromium,
  makeTempDir,
  newPage,
  removeTempDir,
  screenshot,
  startMoto,
  startSetupServer,
  waitFor,
} from '../lib/harness.mjs'
import { byId, byName, expectFieldError, expectNoFieldError, expectText, focused, tabTo } from '../lib/page.mjs'

let browser

before(async () => {
  browser = await launchChromium()
})

after(async () => {
  await browser?.close()
})

/** Every top-level heading a page showed, in order (to tell which screens went by). */
function recordHeadings(page) {
  return page.addInitScript(() => {
    window.__headings = []
    new MutationObserver(() => {
      const text = document.querySelector('h1')?.textContent
      if (text && window.__headings.at(-1) !== text) window.__headings.push(text)
    }).observe(document, { childList: true, subtree: true, characterData: true })
  })
}

/**
 * Runs `body({ dir, server, page })` with a setup-mode server and a fresh light-mode page;
 * everything is stopped afterwards, pass or fail. The page must not log errors, and only
 * requests matching `expectedFailures` may fail.
 */
async function withWizard(name, body, { beforeServer, expectedFailures = /^$/ } = {}) {
  const dir = makeTempDir(name)
  let server
  let context
  let extra = {}
  try {
    extra = beforeServer ? await beforeServer(dir) : {}
    server = await startSetupServer(dir)
    const page = await newPage(browser)
    context = page.context()
    await recordHeadings(page)
    await page.goto(server.ui)
    await page.getByRole('heading', { level: 1, name: 'Set up Strongroom' }).waitFor()
    await body({ dir, server, page, ...extra })
    assert.deepEqual(page.errors, [], 'the page logged errors')
    assert.deepEqual(page.failed.filter((f) => !expectedFailures.test(f)), [], 'unexpected failed requests')
  } catch (error) {
    if (server) error.message += `\n--- server log ---\n${server.log()}`
    throw error
  } finally {
    await context?.close().catch(() => {})
    if (server) {
      const ended = await server.stop()
      assert.ok(!ended?.killed, 'the server did not stop on SIGTERM')
    }
    await extra.stop?.()
    removeTempDir(dir)
  }
}

const sealStatus = async (server) => (await http('GET', `${server.addr}/v1/sys/seal-status`)).body

/** The step the indicator marks as current. */
async function currentStep(page) {
  return (await page.locator('.steps [aria-current="step"] .step-label').textContent())?.trim()
}

/** The shares on the "keep these safe" screen, by their test ids. */
async function readShares(page, count) {
  const shares = []
  for (let i = 1; i <= count; i++) shares.push(((await page.getByTestId(`share-${i}`).textContent()) ?? '').trim())
  assert.equal(await page.getByTestId(`share-${count + 1}`).count(), 0, `more than ${count} shares shown`)
  assert.equal(new Set(shares).size, count, 'shares are not distinct')
  for (const share of shares) assert.match(share, /^[A-Za-z0-9+/]+={0,2}$/, 'a share is not base64')
  return shares
}

/**
 * The "re-enter share N" check: a wrong value shows an error (on leaving the field) and keeps
 * Continue disabled; the right share enables it.
 */
async function passShareCheck(page, shares, shotName) {
  const label = await page.locator('label[for="check-share"]').textContent()
  const n = Number(/^Re-enter share (\d+)$/.exec(label ?? '')?.[1])
  assert.ok(n >= 1 && n <= shares.length, `unexpected check label ${label}`)
  const input = page.getByLabel(`Re-enter share ${n}`, { exact: true })
  assert.equal(await input.getAttribute('type'), 'password')
  const continueButton = page.getByRole('button', { name: 'Continue' })
  assert.equal(await continueButton.isDisabled(), true)

  const wrong = shares[n % shares.length] // another share: right shape, wrong number
  await input.fill(wrong)
  await input.blur()
  await expectFieldError(page, 'check-share', new RegExp(`^This does not match share ${n} yet\\.$`))
  assert.equal(await continueButton.isDisabled(), true, 'Continue is enabled with a wrong share')
  await screenshot(page, shotName)

  await input.fill(`  ${shares[n - 1]}\n`.trimEnd()) // pasted with leading blanks is fine
  await expectNoFieldError(page, 'check-share')
  assert.equal(await continueButton.isDisabled(), false, 'Continue stays disabled with the right share')
  return continueButton
}

test('local storage + Shamir: configure, init, check a share, unseal with 2 of 3', async () => {
  await withWizard('local', async ({ server, page }) => {
    const setup = (await http('GET', `${server.addr}/v1/sys/setup`)).body
    assert.equal(setup.configured, false)

    // Storage: Local (the default), keyboard to move on.
    assert.equal(await currentStep(page), 'Storage')
    const local = page.getByRole('radio', { name: /^Local \(recommended for a first try\)/ })
    await local.focus()
    await page.keyboard.press('Space')
    assert.equal(await local.isChecked(), true)
    await expectText(page.locator('#storage-type-local-hint'), new RegExp(setup.local_path.replace(/[.]/g, '\\.')))
    await screenshot(page, '01-storage-local', { dark: true })
    await page.getByRole('button', { name: 'Next: seal' }).press('Enter')

    // Seal: key shares, 3 of them, any 2 unseal.
    await page.getByRole('heading', { name: 'How should Strongroom be unsealed?' }).waitFor()
    assert.equal(await currentStep(page), 'Seal')
    assert.equal(await page.getByRole('radio', { name: /^Key shares \(Shamir\)/ }).isChecked(), true)
    await page.getByLabel('Number of unseal shares', { exact: true }).fill('3')
    await page.getByLabel('Shares needed (threshold)', { exact: true }).fill('2')
    await expectText(page.locator('.subform .hint'), /With 3 shares and a threshold of 2, any 2 of the shares unseal/)
    await screenshot(page, '03-seal-shamir')
    await page.getByLabel('Shares needed (threshold)', { exact: true }).press('Enter')

    // Review: the HCL as it will be written.
    await page.getByRole('heading', { name: 'Review the configuration' }).waitFor()
    const hcl = await expectText(page.getByLabel('Configuration file', { exact: true }), /storage "local"/)
    assert.ok(hcl.includes(`path = "${setup.local_path}"`), `HCL lacks the local path:\n${hcl}`)
    assert.match(hcl, /seal "shamir"/)
    await expectText(page.locator('figcaption'), new RegExp(`Written to ${server.configPath.replace(/[.]/g, '\\.')}`))
    await screenshot(page, '04-review-local')
    await page.getByRole('button', { name: 'Save configuration' }).click()

    // Keys: the node runs on the saved configuration; make 3 unseal shares.
    await page.getByRole('heading', { name: 'Create the keys' }).waitFor()
    assert.equal(await currentStep(page), 'Keys')
    assert.equal(await page.getByLabel('Number of unseal shares', { exact: true }).inputValue(), '3')
    assert.equal(await page.getByLabel('Shares needed (threshold)', { exact: true }).inputValue(), '2')
    const config = readFileSync(server.configPath, 'utf8')
    assert.equal(statSync(server.configPath).mode & 0o777, 0o600, 'the config file is not 0600')
    assert.match(config, /storage "local"/)
    assert.equal((await sealStatus(server)).initialized, false)
    await screenshot(page, '05-init-shamir')
    await page.getByRole('button', { name: 'Create the keys' }).click()

    // The shares and root token, shown once.
    await page.getByRole('heading', { name: 'Keep these unseal shares safe' }).waitFor()
    const shares = await readShares(page, 3)
    const rootToken = ((await page.getByTestId('root-token').textContent()) ?? '').trim()
    assert.match(rootToken, /^(hvs|s)\.\S{10,}$/)
    await expectText(page.locator('.lead'), /Any 2 of these 3 shares unseal Strongroom/)
    await screenshot(page, '06-keys-shamir')
    const continueButton = await passShareCheck(page, shares, '07-keys-check-mismatch')
    await continueButton.click()

    // Unseal: masked input, 2 of the 3 shares.
    await page.getByRole('heading', { level: 1, name: 'Strongroom is sealed' }).waitFor()
    const share = page.getByLabel('Unseal share', { exact: true })
    assert.equal(await share.getAttribute('type'), 'password')
    await expectText(page.getByTestId('progress'), /^0 of 2$/)
    await screenshot(page, 'unseal', { dark: true })
    await share.fill(shares[2])
    await page.getByRole('button', { name: 'Submit share' }).click()
    await expectText(page.getByTestId('progress'), /^1 of 2$/)
    assert.equal(await share.inputValue(), '', 'the share stays in the field after submitting')
    assert.equal(await share.getAttribute('type'), 'password')
    await screenshot(page, 'unseal-progress')
    await share.fill(shares[0])
    await page.getByRole('button', { name: 'Submit share' }).click()

    // Open: the main layout's status page.
    await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
    await expectText(page.getByTestId('state'), /^Unsealed$/)
    await expectText(page.getByRole('region', { name: 'Seal status' }), /Key shares \(Shamir\).*2 of 3 needed/)
    assert.equal(await page.getByRole('link', { name: 'Status' }).getAttribute('aria-current'), 'page')
    await screenshot(page, 'status')

    const status = await sealStatus(server)
    assert.equal(status.sealed, false)
    assert.equal(status.initialized, true)
    assert.equal(status.t, 2)
    assert.equal(status.n, 3)
    assert.equal(status.type, 'shamir')
    // The root token shown is a working one.
    const self = await fetch(`${server.addr}/v1/auth/token/lookup-self`, { headers: { 'X-Vault-Token': rootToken } })
    assert.equal(self.status, 200)
    const headings = await page.evaluate(() => window.__headings)
    assert.deepEqual(headings, ['Set up Strongroom', 'Strongroom is sealed', 'Status'])
  })
})

test('DynamoDB + AWS KMS against moto: errors at their fields, create the table, auto-unseal', async () => {
  const table = 'strongroom-e2e'
  await withWizard(
    'dynamodb',
    async ({ server, page, moto, key }) => {
      // Storage: DynamoDB; the credential chain finds nothing on this machine.
      await page.getByRole('radio', { name: /^Amazon DynamoDB/ }).check()
      await page.getByLabel('Table name', { exact: true }).fill(table)
      await page.getByLabel('Endpoint (optional)', { exact: true }).fill(moto.endpoint)
      const testConnection = page.getByRole('button', { name: 'Test connection' })
      const createTable = page.getByRole('button', { name: 'Create table' })
      assert.equal(await page.getByRole('radio', { name: /^AWS profile \/ environment/ }).isChecked(), true)
      await testConnection.click()
      await expectFieldError(page, 'storage-credentials', /credential/i)
      assert.equal(await page.getByRole('radio', { name: /^Access keys/ }).getAttribute('aria-invalid'), 'true')
      await screenshot(page, '02-storage-dynamodb-credentials-error')

      // Access keys, at an endpoint where nothing answers.
      await page.getByRole('radio', { name: /^Access keys/ }).check()
      await page.getByLabel('Access key ID', { exact: true }).fill('test')
      await page.getByLabel('Secret access key', { exact: true }).fill('test')
      assert.equal(await page.locator('#storage-secret_key').getAttribute('type'), 'password')
      await page.getByLabel('Endpoint (optional)', { exact: true }).fill('http://127.0.0.1:1')
      assert.equal(await createTable.isDisabled(), true)
      await testConnection.click()
      await expectFieldError(page, 'storage-endpoint', /nothing answers at http:\/\/127\.0\.0\.1:1/)
      await expectNoFieldError(page, 'storage-region')
      await expectNoFieldError(page, 'storage-credentials')
      assert.equal((await focused(page)).id, 'storage-endpoint', 'the focus is not at the field in error')
      assert.equal(await createTable.isDisabled(), true)
      await screenshot(page, '02-storage-dynamodb-errors', { dark: true })

      // The right endpoint, a misspelt region.
      await page.getByLabel('Endpoint (optional)', { exact: true }).fill(moto.endpoint)
      await page.getByLabel('Region', { exact: true }).fill('us-esat-1')
      await testConnection.click()
      await expectFieldError(page, 'storage-region', /did you mean us-east-1\?/)
      await expectNoFieldError(page, 'storage-endpoint')
      await screenshot(page, '02b-storage-dynamodb-region-error')

      // Correct: no table yet, so "Create table".
      await page.getByLabel('Region', { exact: true }).fill('us-east-1')
      await testConnection.click()
      const result = page.locator('.alert-success')
      await expectText(result, new RegExp(`Connected to DynamoDB in us-east-1\\. Table "${table}" does not exist yet`))
      await expectNoFieldError(page, 'storage-region')
      assert.equal(await createTable.isDisabled(), false, 'Create table stays disabled without a table')
      await screenshot(page, '02c-storage-dynamodb-no-table')
      await createTable.click()
      await expectText(page.locator('#storage-create-hint'), /^The table exists\.$/)
      await expectText(result, new RegExp(table))
      assert.equal(await createTable.isDisabled(), true)
      await screenshot(page, '02d-storage-dynamodb-table-created')
      const described = await botoScript(
        moto.endpoint,
        `t = client("dynamodb").describe_table(TableName=ARGS["table"])["Table"]
print(json.dumps({"keys": {k["AttributeName"]: k["KeyType"] for k in t["KeySchema"]}, "status": t["TableStatus"]}))`,
        { table },
      )
      assert.deepEqual(described.keys, { Path: 'HASH', Key: 'RANGE' })
      assert.equal(described.status, 'ACTIVE')
      await page.getByRole('button', { name: 'Next: seal' }).click()

      // Seal: AWS KMS, first a key that does not exist.
      await page.getByRole('heading', { name: 'How should Strongroom be unsealed?' }).waitFor()
      await page.getByRole('radio', { name: /^AWS KMS auto-unseal/ }).check()
      await page.getByLabel('KMS key', { exact: true }).fill('alias/missing')
      await page.getByLabel('Region', { exact: true }).fill('us-east-1')
      await page.getByLabel('Endpoint (optional)', { exact: true }).fill(moto.endpoint)
      await page.getByRole('radio', { name: /^Access keys/ }).check()
      await page.getByLabel('Access key ID', { exact: true }).fill('test')
      await page.getByLabel('Secret access key', { exact: true }).fill('test')
      await page.getByLabel('Number of recovery shares', { exact: true }).fill('3')
      await page.getByLabel('Shares needed (threshold)', { exact: true }).fill('2')
      const testKey = page.getByRole('button', { name: 'Test key' })
      await testKey.click()
      await expectFieldError(page, 'seal-kms_key_id', /there is no KMS key "alias\/missing"/)
      await screenshot(page, '03b-seal-kms-error')
      await page.getByLabel('KMS key', { exact: true }).fill('alias/strongroom-e2e')
      await testKey.click()
      await expectText(page.locator('.alert-success'), new RegExp(key.arn.replace(/[/.]/g, '\\$&')))
      await expectNoFieldError(page, 'seal-kms_key_id')
      await screenshot(page, '03c-seal-kms-ok')
      await page.getByRole('button', { name: 'Next: review' }).click()

      // Review and save.
      await page.getByRole('heading', { name: 'Review the configuration' }).waitFor()
      const hcl = await expectText(page.getByLabel('Configuration file', { exact: true }), /storage "dynamodb"/)
      assert.match(hcl, /seal "awskms"/)
      assert.match(hcl, /alias\/strongroom-e2e/)
      assert.ok(hcl.includes(table) && hcl.includes(moto.endpoint), `HCL lacks the table or endpoint:\n${hcl}`)
      assert.ok(!/secret_key\s*=\s*"test"/.test(hcl), 'the review shows the secret key')
      await screenshot(page, '04b-review-dynamodb-kms')
      await page.getByRole('button', { name: 'Save configuration' }).click()

      // Keys: recovery shares.
      await page.getByRole('heading', { name: 'Create the keys' }).waitFor()
      assert.equal(statSync(server.configPath).mode & 0o777, 0o600, 'the config file is not 0600')
      assert.match(readFileSync(server.configPath, 'utf8'), /storage "dynamodb"/)
      assert.equal(await page.getByLabel('Number of recovery shares', { exact: true }).inputValue(), '3')
      assert.equal(await page.getByLabel('Shares needed (threshold)', { exact: true }).inputValue(), '2')
      await screenshot(page, '05b-init-recovery')
      await page.getByRole('button', { name: 'Create the keys' }).click()
      await page.getByRole('heading', { name: 'Keep these recovery shares safe' }).waitFor()
      await expectText(page.locator('#shares-title'), /^Recovery shares/)
      const shares = await readShares(page, 3)
      await expectText(page.locator('.lead'), /AWS KMS unseals Strongroom\. These 3 recovery shares \(any 2 of them\)/)
      await screenshot(page, '06c-keys-recovery')
      const continueButton = await passShareCheck(page, shares, '07b-keys-recovery-check-mismatch')
      await continueButton.click()

      // No unseal screen: KMS unsealed the node.
      await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
      await expectText(page.getByTestId('state'), /^Unsealed$/)
      await expectText(page.getByRole('region', { name: 'Seal status' }), /Amazon DynamoDB.*AWS KMS auto-unseal.*Recovery shares.*2 of 3 needed/)
      await screenshot(page, 'status-kms')
      const headings = await page.evaluate(() => window.__headings)
      assert.deepEqual(headings, ['Set up Strongroom', 'Status'], 'another screen went by')

      const status = await sealStatus(server)
      assert.equal(status.type, 'awskms')
      assert.equal(status.sealed, false)
      assert.equal(status.recovery_seal, true)
      assert.equal(status.storage_type, 'dynamodb')
      // The KMS-wrapped root key is in the table.
      const items = await botoScript(
        moto.endpoint,
        `db = client("dynamodb")
items, start = [], None
while True:
    page = db.scan(TableName=ARGS["table"], **({"ExclusiveStartKey": start} if start else {}))
    items += [{"path": i["Path"]["S"], "key": i["Key"]["S"], "size": len(i.get("Value", {}).get("B", b""))} for i in page["Items"]]
    start = page.get("LastEvaluatedKey")
    if not start:
        break
print(json.dumps(items))`,
        { table },
      )
      const wrapped = items.find((i) => i.path === 'core/hsm' && i.key === 'barrier-unseal-keys')
      assert.ok(wrapped, `no core/hsm barrier-unseal-keys item among ${JSON.stringify(items.map((i) => `${i.path}|${i.key}`))}`)
      assert.ok(wrapped.size > 0, 'the wrapped key item has no value')

      // The storage page: the live table, and a capacity change that reaches DynamoDB only
      // after the confirmation.
      await page.getByRole('link', { name: 'Storage' }).click()
      await page.getByRole('heading', { level: 1, name: 'Storage' }).waitFor()
      await expectText(page.locator('main'), new RegExp(`${table}[\\s\\S]*ACTIVE`))
      await screenshot(page, 'storage-page')
      await page.locator('#capacity-read_capacity').fill('7')
      await page.getByRole('button', { name: 'Apply changes' }).click()
      const dialog = page.getByRole('dialog', { name: 'Change the table?' })
      await dialog.waitFor()
      await screenshot(page, 'storage-confirm')
      const capacity = () =>
        botoScript(
          moto.endpoint,
          `t = client("dynamodb").describe_table(TableName=ARGS["table"])["Table"]["ProvisionedThroughput"]
print(json.dumps([t["ReadCapacityUnits"], t["WriteCapacityUnits"]]))`,
          { table },
        )
      assert.deepEqual(await capacity(), [5, 5], 'nothing changes before the confirmation')
      await dialog.getByRole('button', { name: 'Change the table' }).click()
      await dialog.waitFor({ state: 'detached' })
      await waitFor(async () => JSON.stringify(await capacity()) === '[7,5]', { what: 'read capacity 7 in DynamoDB' })

      // The IAM & infrastructure page: policies scoped to the real table and key.
      await page.getByRole('link', { name: 'IAM & infrastructure' }).click()
      await page.getByRole('heading', { level: 1, name: 'IAM & infrastructure' }).waitFor()
      const runTime = page.getByRole('figure', { name: 'Run-time policy' })
      await expectText(runTime, /dynamodb:PutItem[\s\S]*arn:aws:dynamodb:us-east-1:123456789012:table\//)
      await expectText(page.getByRole('figure', { name: 'Terraform for the table' }), /resource "aws_dynamodb_table"/)
      await expectText(page.getByRole('figure', { name: 'KMS IAM policy' }), new RegExp(`kms:Encrypt[\\s\\S]*${key.arn}`))
      await screenshot(page, 'infra-page')

      // Seal now, then a restart while the KMS key is disabled: the unseal screen says what
      // KMS answered, and the node unseals by itself once the key is enabled again.
      await page.getByRole('button', { name: 'Seal now' }).click()
      const sealDialog = page.getByRole('dialog', { name: 'Seal Strongroom now?' })
      await sealDialog.getByRole('button', { name: 'Seal' }).click()
      await page.getByRole('heading', { level: 1, name: 'Strongroom is sealed' }).waitFor()
      assert.equal((await sealStatus(server)).sealed, true)
      const toggleKey = (enabled) =>
        botoScript(
          moto.endpoint,
          `kms = client("kms")
(kms.enable_key if ARGS["enabled"] else kms.disable_key)(KeyId=ARGS["id"])
print(json.dumps(kms.describe_key(KeyId=ARGS["id"])["KeyMetadata"]["KeyState"]))`,
          { id: key.id, enabled },
        )
      assert.equal(await toggleKey(false), 'Disabled')
      // Off the page while the server restarts, so that no poll fails in between.
      await page.goto('about:blank')
      await server.restart()
      await page.goto(server.ui)
      await page.getByRole('heading', { name: 'Waiting for AWS KMS' }).waitFor()
      await expectText(page.locator('main'), /The last attempt failed: .*Disabled/)
      await screenshot(page, 'unseal-kms-error')
      assert.equal(await toggleKey(true), 'Enabled')
      await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor({ timeout: 90_000 })
      await expectText(page.getByTestId('state'), /^Unsealed$/)
    },
    {
      // The credentials, endpoint, region and KMS key errors are 400 answers.
      expectedFailures: /^400 POST \S+\/v1\/sys\/setup\/(storage|seal)\/test$/,
      beforeServer: async (dir) => {
        const moto = await startMoto(dir)
        try {
          const key = await botoScript(
            moto.endpoint,
            `kms = client("kms")
key = kms.create_key(Description="strongroom e2e")["KeyMetadata"]
kms.create_alias(AliasName="alias/strongroom-e2e", TargetKeyId=key["KeyId"])
print(json.dumps({"id": key["KeyId"], "arn": key["Arn"]}))`,
          )
          return { moto, key, stop: moto.stop }
        } catch (error) {
          await moto.stop()
          throw error
        }
      },
    },
  )
})

test('typed mistakes are shown at their fields without asking the server', async () => {
  await withWizard('validation', async ({ page }) => {
    const calls = []
    page.on('request', (request) => {
      if (request.method() !== 'GET') calls.push(`${request.method()} ${request.url()}`)
    })

    // Storage: every DynamoDB field wrong.
    await page.getByRole('radio', { name: /^Amazon DynamoDB/ }).check()
    await page.getByLabel('Region', { exact: true }).fill('US East')
    await page.getByLabel('Table name', { exact: true }).fill('x')
    await page.getByLabel('Endpoint (optional)', { exact: true }).fill('127.0.0.1:8000')
    await page.getByLabel('Read capacity units', { exact: true }).fill('0')
    await page.getByLabel('Write capacity units', { exact: true }).fill('2.5')
    await page.getByRole('radio', { name: /^Access keys/ }).check()
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expectFieldError(page, 'storage-region', /“US East” is not a region name/)
    await expectFieldError(page, 'storage-table', /A table name has 3 to 255 letters/)
    await expectFieldError(page, 'storage-endpoint', /Enter a URL starting with http:\/\/ or https:\/\//)
    await expectFieldError(page, 'storage-read_capacity', /Enter a whole number of capacity units, at least 1\./)
    await expectFieldError(page, 'storage-write_capacity', /Enter a whole number of capacity units, at least 1\./)
    await expectFieldError(page, 'storage-access_key', /Enter the access key ID/)
    await expectFieldError(page, 'storage-secret_key', /Enter the secret access key/)
    assert.equal((await focused(page)).id, 'storage-region', 'the focus is not on the first field in error')
    await screenshot(page, '08-validation-storage')

    // Fixing one field and going on: the rest are still wrong, the step stays.
    await page.getByLabel('Read capacity units', { exact: true }).fill('10')
    await page.getByRole('button', { name: 'Next: seal' }).click()
    await expectNoFieldError(page, 'storage-read_capacity')
    await expectFieldError(page, 'storage-write_capacity', /whole number/)
    assert.equal(await currentStep(page), 'Storage')
    // On demand has no capacity fields, so no capacity error.
    await page.getByRole('radio', { name: /^On demand/ }).check()
    assert.equal(await page.locator('#storage-write_capacity').count(), 0)

    // Local needs nothing more.
    await page.getByRole('radio', { name: /^Local/ }).check()
    await page.getByRole('button', { name: 'Next: seal' }).click()
    await page.getByRole('heading', { name: 'How should Strongroom be unsealed?' }).waitFor()

    // Seal: threshold above the number of shares, then other share mistakes.
    const shares = page.getByLabel('Number of unseal shares', { exact: true })
    const threshold = page.getByLabel('Shares needed (threshold)', { exact: true })
    const next = page.getByRole('button', { name: 'Next: review' })
    await shares.fill('3')
    await threshold.fill('4')
    await next.click()
    await expectFieldError(page, 'seal-threshold', /^The threshold cannot be more than the number of shares \(3\)\.$/)
    await expectNoFieldError(page, 'seal-shares')
    assert.equal((await focused(page)).id, 'seal-threshold')
    await screenshot(page, '08b-validation-threshold')
    await threshold.fill('1')
    await next.click()
    await expectFieldError(page, 'seal-threshold', /at least 2 must be needed/)
    await shares.fill('256')
    await threshold.fill('two')
    await next.click()
    await expectFieldError(page, 'seal-shares', /^Enter a whole number from 1 to 255\.$/)
    await expectFieldError(page, 'seal-threshold', /^Enter a whole number from 1 to 255\.$/)
    assert.equal((await focused(page)).id, 'seal-shares')

    // KMS: a key that cannot be one, an empty region.
    await shares.fill('3')
    await threshold.fill('2')
    await page.getByRole('radio', { name: /^AWS KMS auto-unseal/ }).check()
    await page.getByLabel('KMS key', { exact: true }).fill('my key')
    await page.getByLabel('Region', { exact: true }).fill('')
    await page.getByRole('button', { name: 'Test key' }).click()
    await expectFieldError(page, 'seal-kms_key_id', /This is not a KMS key id, key ARN or alias/)
    await expectFieldError(page, 'seal-region', /^Enter an AWS region, such as us-east-1\.$/)
    await expectNoFieldError(page, 'seal-threshold')
    assert.equal((await focused(page)).id, 'seal-kms_key_id')
    await screenshot(page, '08c-validation-kms')
    await next.click()
    assert.equal(await currentStep(page), 'Seal')

    assert.deepEqual(calls, [], 'client-side checks called the server')
  })
})

test('keyboard only: local + Shamir from the first screen to unsealed, focus always visible', async () => {
  await withWizard('keyboard', async ({ server, page }) => {
    const kb = page.keyboard
    // The screen's heading has the focus first.
    assert.equal((await focused(page)).tag, 'h1')

    // Storage: to the radios, down to DynamoDB and back up to Local, then Next.
    await tabTo(page, (f) => f.type === 'radio', { label: 'the storage choice' })
    await kb.press('ArrowDown')
    await page.locator('#storage-region').waitFor()
    assert.equal((await focused(page)).id, 'storage-type')
    await kb.press('ArrowUp')
    await page.locator('#storage-region').waitFor({ state: 'detached' })
    assert.ok(await page.getByRole('radio', { name: /^Local/ }).isChecked())
    await screenshot(page, '09-keyboard-storage-radio')
    await tabTo(page, byName('Next: seal'), { label: 'Next: seal' })
    await screenshot(page, '09b-keyboard-next-button')
    await kb.press('Enter')

    // Seal: the step's heading takes the focus; shares 3, threshold 2.
    await page.getByRole('heading', { name: 'How should Strongroom be unsealed?' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.id === 'seal-title')
    await tabTo(page, byId('seal-shares'), { label: 'the shares field' })
    await kb.press('ControlOrMeta+A')
    await kb.type('3')
    await tabTo(page, byId('seal-threshold'), { label: 'the threshold field' })
    await kb.press('ControlOrMeta+A')
    await kb.type('2')
    await screenshot(page, '09c-keyboard-threshold')
    await tabTo(page, byName('Next: review'), { label: 'Next: review' })
    await kb.press('Enter')

    // Review: wait for the file, then Save (the code block is a tab stop too).
    await page.getByLabel('Configuration file', { exact: true }).waitFor()
    await page.waitForFunction(() => document.activeElement?.id === 'review-title')
    await tabTo(page, (f) => f.tag === 'pre', { label: 'the configuration file' })
    await tabTo(page, byName('Save configuration'), { label: 'Save configuration' })
    await kb.press('Enter')

    // Keys: the heading has the focus; Tab to "Create the keys".
    await page.getByRole('heading', { name: 'Create the keys' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.id === 'init-title', null, { timeout: 5000 })
    await tabTo(page, byName('Create the keys'), { label: 'Create the keys' })
    await kb.press('Enter')

    // The shares: type one back, go on.
    await page.getByRole('heading', { name: 'Keep these unseal shares safe' }).waitFor()
    await page.waitForFunction(() => document.activeElement?.id === 'keys-title')
    const shares = await readShares(page, 3)
    const n = Number(/(\d+)$/.exec((await page.locator('label[for="check-share"]').textContent()) ?? '')?.[1])
    await tabTo(page, byId('check-share'), { label: 'the share check' })
    await kb.type(shares[n - 1])
    await tabTo(page, byName('Continue'), { label: 'Continue' })
    await screenshot(page, '09d-keyboard-continue')
    await kb.press('Enter')

    // Unseal: Tab to the field, type a share, Enter; twice.
    await page.getByRole('heading', { level: 1, name: 'Strongroom is sealed' }).waitFor()
    await tabTo(page, byId('unseal-share'), { label: 'the unseal share field' })
    await kb.type(shares[1])
    await kb.press('Enter')
    await expectText(page.getByTestId('progress'), /^1 of 2$/)
    if ((await focused(page)).id !== 'unseal-share') await tabTo(page, byId('unseal-share'), { back: true, label: 'the unseal share field' })
    await kb.type(shares[2])
    await kb.press('Enter')

    await page.getByRole('heading', { level: 1, name: 'Status' }).waitFor()
    await expectText(page.getByTestId('state'), /^Unsealed$/)
    // The main layout starts with its skip link.
    await tabTo(page, byName('Skip to content'), { max: 3, label: 'the skip link' })
    await screenshot(page, '09e-keyboard-skip-link')
    const status = await sealStatus(server)
    assert.equal(status.sealed, false)
    assert.equal(status.t, 2)
    assert.equal(status.n, 3)
  })
})
