// Desktop metrics: cold start to an interactive first screen, idle memory of the whole app
// (the Rust process and its WebKit helper processes), and the size of what is installed.
//   bench/desktop.sh [runs]     (runs this in the session tests/e2e/run-desktop.sh makes)
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import { REPO, makeTempDir, removeTempDir, sleep } from '../lib/harness.mjs'
import { APP, appEnv, closeApp, openApp } from '../lib/desktop.mjs'

const RUNS = Number(process.argv[2] ?? 5)
const IDLE_MS = 10_000

/** Pids of `root` and all its descendants, from /proc. */
function tree(root) {
  const parents = new Map()
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      parents.set(Number(entry), ppid)
    } catch {
      // gone meanwhile
    }
  }
  const pids = [root]
  for (let i = 0; i < pids.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === pids[i]) pids.push(pid)
  }
  return pids
}

/** RSS and PSS (kB) summed over `pids`; PSS shares each shared page among its users. */
function memory(pids) {
  let rss = 0
  let pss = 0
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0)
    } catch {
      // gone meanwhile
    }
  }
  return { rss, pss }
}

function appPid() {
  const out = execFileSync('pgrep', ['-n', '-f', `^${APP}`], { encoding: 'utf8' }).trim()
  return Number(out)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const starts = []
const memories = []
for (let run = 0; run < RUNS; run++) {
  const home = makeTempDir('metrics')
  const app = await openApp(appEnv(home))
  try {
    const heading = await app.browser.$('h2=Where should Strongroom keep its data?')
    await heading.waitForDisplayed({ timeout: 30_000 })
    // Interactive: the first control takes a click.
    await (await app.browser.$('button=Next: seal')).waitForClickable({ timeout: 30_000 })
    starts.push(performance.now() - app.started)
    await sleep(IDLE_MS)
    const pids = tree(appPid())
    memories.push({ ...memory(pids), processes: pids.map((p) => basename(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0])) })
  } finally {
    await closeApp(app)
    removeTempDir(home)
  }
}

const mb = (kb) => (kb / 1024).toFixed(0)
console.log(`binary: ${APP}`)
console.log(`cold start to an interactive first screen (${RUNS} runs, WebDriver session set-up included): ` +
  `median ${median(starts).toFixed(0)} ms, min ${Math.min(...starts).toFixed(0)}, max ${Math.max(...starts).toFixed(0)}`)
console.log(`idle memory after ${IDLE_MS / 1000} s (processes: ${memories[0].processes.join(', ')}): ` +
  `RSS median ${mb(median(memories.map((m) => m.rss)))} MB, PSS median ${mb(median(memories.map((m) => m.pss)))} MB`)
console.log(`binary size: ${(statSync(APP).size / 1e6).toFixed(1)} MB`)
const debDir = join(REPO, 'target/release/bundle/deb')
if (existsSync(debDir)) {
  for (const deb of readdirSync(debDir).filter((f) => f.endsWith('.deb'))) {
    const path = join(debDir, deb)
    const installed = execFileSync('dpkg-deb', ['-f', path, 'Installed-Size'], { encoding: 'utf8' }).trim()
    console.log(`${deb}: ${(statSync(path).size / 1e6).toFixed(1)} MB download, ${(Number(installed) / 1024).toFixed(1)} MB installed (Installed-Size; WebKitGTK is a shared system package)`)
  }
}
