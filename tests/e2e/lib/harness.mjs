// Shared helpers for the browser end-to-end tests: free loopback ports, moto_server and the
// real `strongroom` binary in setup mode (each stopped by PID, also when a test fails or the
// test process exits), boto3 one-offs against moto, Debian's chromium and screenshots.

import { spawn, execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const REPO = path.resolve(E2E_DIR, '..', '..')
export const BIN = process.env.STRONGROOM_BIN
  ? path.resolve(REPO, process.env.STRONGROOM_BIN)
  : path.join(REPO, 'target', 'debug', 'strongroom')
export const VENV = process.env.STRONGROOM_VENV ? path.resolve(REPO, process.env.STRONGROOM_VENV) : path.join(REPO, '.venv')
export const CHROMIUM = process.env.STRONGROOM_CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = path.join(E2E_DIR, 'screenshots')

// --- processes ------------------------------------------------------------------------------

/** Every child started here and not yet stopped: killed by PID if the test process exits. */
const running = new Set()

function killAllNow() {
  for (const child of running) {
    try {
      process.kill(child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  running.clear()
}

process.on('exit', killAllNow)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllNow()
    process.kill(process.pid, signal)
  })
}

/** Spawns `command` with its output in `logPath`, tracked until it exits. */
function start(command, args, logPath, env = process.env) {
  const fd = openSync(logPath, 'a')
  let child
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], env })
  } finally {
    closeSync(fd)
  }
  running.add(child)
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
    child.once('error', (error) => {
      running.delete(child)
      resolve({ code: null, signal: null, error })
    })
  })
  return child
}

/** Sends `signal` to the child by PID and waits; SIGKILL after `timeoutMs`. Resolves to how it ended. */
export async function stopProcess(child, signal = 'SIGTERM', timeoutMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exited
  try {
    process.kill(child.pid, signal)
  } catch {
    return child.exited
  }
  let timer
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs)
  })
  const outcome = await Promise.race([child.exited, late])
  clearTimeout(timer)
  if (outcome !== 'late') return outcome
  try {
    process.kill(child.pid, 'SIGKILL')
  } catch {
    // exited meanwhile
  }
  return { ...(await child.exited), killed: true }
}

/** A port nothing listens on now (bound to port 0 on loopback, then released). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `probe` (async; truthy means done) until it succeeds or `timeoutMs` pass. */
export async function waitFor(probe, { timeoutMs = 20_000, intervalMs = 100, what = 'condition', child } = {}) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode})`)
    }
    try {
      const value = await probe()
      if (value) return value
    } catch (error) {
      last = error
    }
    await sleep(intervalMs)
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`)
}

/** A fresh temporary directory, removed by `removeTempDir`. */
export function makeTempDir(name) {
  return mkdtempSync(path.join(tmpdir(), `strongroom-e2e-${name}-`))
}

export function removeTempDir(dir) {
  if (dir) rmSync(dir, { recursive: true, force: true })
}

// --- HTTP -----------------------------------------------------------------------------------

/**
 * GET/POST with a short timeout, with `token` as X-Vault-Token when given; resolves to
 * { status, body } (body parsed when JSON).
 */
export async function http(method, url, body, token) {
  const headers = body === undefined ? {} : { 'content-type': 'application/json' }
  if (token) headers['x-vault-token'] = token
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await response.text()
  let parsed = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed }
}

// --- moto -----------------------------------------------------------------------------------

/** moto_server on a free loopback port; `stop()` ends it by PID. */
export async function startMoto(workdir) {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const child = start(path.join(VENV, 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], path.join(workdir, 'moto.log'))
  const moto = { child, port, endpoint, stop: () => stopProcess(child, 'SIGTERM', 5000) }
  try {
    await waitFor(async () => (await http('GET', `${endpoint}/moto-api/`)).status === 200, {
      timeoutMs: 30_000,
      what: 'moto_server',
      child,
    })
  } catch (error) {
    await moto.stop()
    throw new Error(`${error.message}\n${readLog(path.join(workdir, 'moto.log'))}`)
  }
  return moto
}

/**
 * Runs Python (the venv's, with boto3) with `code`; `endpoint` and `args` are passed in as the
 * globals ENDPOINT and ARGS, and `client(name)` makes a boto3 client for moto. Resolves to what
 * the script prints as JSON.
 */
export function botoScript(endpoint, code, args = {}) {
  const prelude = [
    'import json, sys, boto3',
    'ENDPOINT = sys.argv[1]',
    'ARGS = json.loads(sys.argv[2])',
    'def client(name):',
    '    return boto3.client(name, endpoint_url=ENDPOINT, region_name="us-east-1",',
    '                        aws_access_key_id="test", aws_secret_access_key="test")',
    '',
  ].join('\n')
  return new Promise((resolve, reject) => {
    const child = execFile(
      path.join(VENV, 'bin', 'python'),
      ['-c', `${prelude}${code}`, endpoint, JSON.stringify(args)],
      { timeout: 30_000, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } },
      (error, stdout, stderr) => {
        running.delete(child)
        if (error) return reject(new Error(`python failed: ${error.message}\n${stderr}`))
        try {
          resolve(JSON.parse(stdout))
        } catch {
          reject(new Error(`python printed no JSON: ${stdout}\n${stderr}`))
        }
      },
    )
    running.add(child)
  })
}

// --- strongroom -----------------------------------------------------------------------------

function readLog(file) {
  try {
    return readFileSync(file, 'utf8').slice(-4000)
  } catch {
    return ''
  }
}

/**
 * `strongroom server -setup` with its config to be written in `workdir`, on a free port;
 * ready when `GET /v1/sys/setup` answers. `stop()` sends SIGTERM (it seals and exits).
 */
export async function startSetupServer(workdir, env = {}) {
  const port = await freePort()
  const addr = `http://127.0.0.1:${port}`
  const configPath = path.join(workdir, 'strongroom.hcl')
  const logPath = path.join(workdir, 'server.log')
  const spawnServer = () =>
    start(
      BIN,
      ['server', `-config=${configPath}`, '-setup', `-setup-listen-address=127.0.0.1:${port}`],
      logPath,
      // Nothing from this machine's AWS set-up may leak into the credential chain.
      { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    )
  const server = {
    child: spawnServer(),
    port,
    addr,
    ui: `${addr}/ui/`,
    configPath,
    log: () => readLog(logPath),
    stop: () => stopProcess(server.child, 'SIGTERM', 15_000),
    /** Stops the process and starts it again with the same arguments (and the config it wrote). */
    restart: async () => {
      await server.stop()
      server.child = spawnServer()
      await ready()
    },
  }
  const ready = async () => {
    try {
      await waitFor(async () => (await http('GET', `${addr}/v1/sys/setup`)).status === 200, {
        what: 'strongroom -setup',
        child: server.child,
      })
    } catch (error) {
      await server.stop()
      throw new Error(`${error.message}\n${server.log()}`)
    }
  }
  await ready()
  return server
}

/**
 * A team's `strongroom server -config`: storage in a DynamoDB table and auto-unseal with a KMS
 * key, both in `moto`; initialized (one recovery share) and ready. Resolves to
 * { addr, ui, rootToken, api(method, path, body, token = rootToken), stop() }. `settings` are
 * more top-level config lines (such as `lease_revocation_attempts = 2`).
 */
export async function startTeamServer(workdir, moto, { table = 'strongroom', settings = '' } = {}) {
  const { keyId } = await botoScript(
    moto.endpoint,
    'print(json.dumps({"keyId": client("kms").create_key()["KeyMetadata"]["KeyId"]}))',
  )
  const port = await freePort()
  const addr = `http://127.0.0.1:${port}`
  const configPath = path.join(workdir, 'team.hcl')
  const aws = `region = "us-east-1"\n  endpoint = "${moto.endpoint}"\n  access_key = "test"\n  secret_key = "test"`
  writeFileSync(
    configPath,
    `storage "dynamodb" {\n  table = "${table}"\n  ${aws}\n}\n` +
      `seal "awskms" {\n  kms_key_id = "${keyId}"\n  ${aws}\n}\n` +
      `listener "tcp" {\n  address = "127.0.0.1:${port}"\n  tls_disable = true\n}\n` +
      `ui = true\n${settings}`,
  )
  const logPath = path.join(workdir, 'team-server.log')
  const child = start(BIN, ['server', `-config=${configPath}`], logPath, { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' })
  const server = {
    child,
    addr,
    ui: `${addr}/ui/`,
    log: () => readLog(logPath),
    stop: () => stopProcess(child, 'SIGTERM', 15_000),
    api: async (method, apiPath, body, token = server.rootToken) => http(method, `${addr}/v1/${apiPath}`, body, token),
  }
  try {
    await waitFor(async () => (await http('GET', `${addr}/v1/sys/seal-status`)).status === 200, {
      what: 'strongroom server',
      child,
    })
    const init = await http('PUT', `${addr}/v1/sys/init`, { recovery_shares: 1, recovery_threshold: 1 })
    if (init.status !== 200) throw new Error(`init: ${init.status} ${JSON.stringify(init.body)}`)
    server.rootToken = init.body.root_token
    await waitFor(async () => (await http('GET', `${addr}/v1/sys/seal-status`)).body.sealed === false, {
      what: 'auto-unseal',
      child,
    })
  } catch (error) {
    await server.stop()
    throw new Error(`${error.message}\n${server.log()}`)
  }
  return server
}

// --- browser --------------------------------------------------------------------------------

export const VIEWPORT = { width: 1200, height: 820 }

/** Debian's chromium, headless. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  })
}

/**
 * A light-mode page at the standard viewport, with its uncaught exceptions and console errors
 * in `page.errors` and its failed requests (HTTP status >= 400) in `page.failed`.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', ...options })
  const page = await context.newPage()
  page.errors = []
  page.failed = []
  page.on('pageerror', (error) => page.errors.push(String(error)))
  page.on('console', (message) => {
    // Failed requests are in `page.failed` (with their URL) instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) page.errors.push(message.text())
  })
  page.on('response', (response) => {
    // No favicon is served (the browser asks for one on its own).
    if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico') page.failed.push(`${response.status()} ${response.request().method()} ${response.url()}`)
  })
  return page
}

/**
 * Saves a full-page screenshot as screenshots/<name>.png; with `dark`, also
 * <name>-dark.png in the dark colour scheme (and back to light).
 */
export async function screenshot(page, name, { dark = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  // The window as tall as the page for the capture, so that what is sized to the window (the
  // sticky, full-height sidebar) is drawn as a user scrolling the page sees it.
  const viewport = page.viewportSize()
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height })
  try {
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' })
    if (dark) {
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-dark.png`), fullPage: true, animations: 'disabled', caret: 'hide' })
      await page.emulateMedia({ colorScheme: 'light' })
    }
  } finally {
    if (viewport) await page.setViewportSize(viewport)
  }
}
