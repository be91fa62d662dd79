// The real desktop app under tauri-driver (which starts WebKitWebDriver, which starts the
// app): shared by the desktop tests and the desktop benchmark. Needs the session
// run-desktop.sh makes (Xvfb, a session bus, an unlocked keyring).

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { remote } from 'webdriverio'
import { REPO, freePort, sleep } from './harness.mjs'

/** The app binary: the debug build unless STRONGROOM_DESKTOP_BIN names another. */
export const APP = process.env.STRONGROOM_DESKTOP_BIN ?? join(REPO, 'target/debug/strongroom-desktop')

/**
 * An environment whose HOME, config and data directories are under `home`: a fresh app. (The
 * keyring daemon keeps its own XDG_DATA_HOME; the app reaches it over D-Bus.)
 */
export function appEnv(home) {
  return { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') }
}

/** Starts tauri-driver with `env` (the app inherits it) and waits until it answers. */
async function startDriver(env) {
  const port = await freePort()
  const nativePort = await freePort()
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let log = ''
  child.stderr.on('data', (chunk) => (log += chunk))
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/status`)).ok) return { child, port }
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  child.kill()
  throw new Error(`tauri-driver did not start: ${log}`)
}

/**
 * Launches the app in a new WebDriver session. Returns the session, the driver (for
 * closeApp) and the time just before the launch.
 */
export async function openApp(env) {
  const driver = await startDriver(env)
  const started = performance.now()
  try {
    const browser = await remote({
      hostname: '127.0.0.1',
      port: driver.port,
      logLevel: 'warn',
      capabilities: {
        browserName: 'wry',
        'tauri:options': { application: APP },
        'wdio:enforceWebDriverClassic': true,
      },
    })
    return { browser, driver, started }
  } catch (error) {
    driver.child.kill()
    throw error
  }
}

/** Ends the session (which quits the app) and stops tauri-driver. */
export async function closeApp(app) {
  await app?.browser?.deleteSession().catch(() => {})
  app?.driver.child.kill()
  await sleep(500)
}
