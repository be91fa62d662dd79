// A throwaway PostgreSQL cluster for the end-to-end tests, made the way the system tests make
// theirs (tests/system/conftest.py): initdb with scram-sha-256 password auth on a free loopback
// port, fsync off, run as the `postgres` OS account when the tests run as root. It holds the
// Vault tutorial's superuser `root`/`rootpassword`, database `myapp` and a `products` table.
// SQL goes through the real `psql` client, which is also how a user would use a credential.

import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { freePort, makeTempDir } from './harness.mjs'

export const PG_ROOT_USER = 'root'
export const PG_ROOT_PASSWORD = 'rootpassword'
export const PG_DATABASE = 'myapp'
const RUN_AS = 'postgres'

/** The newest installed server binaries, or $STRONGROOM_PG_BIN. A missing server fails. */
function pgBin() {
  if (process.env.STRONGROOM_PG_BIN) return process.env.STRONGROOM_PG_BIN
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(base, v, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => a - b)
    : []
  if (versions.length === 0) throw new Error('PostgreSQL server binaries not installed (apt-get install postgresql)')
  return path.join(base, String(versions.at(-1)), 'bin')
}

/** The uid/gid of the `postgres` account (for root runs). */
function account() {
  const uid = Number(execFileSync('id', ['-u', RUN_AS], { encoding: 'utf8' }).trim())
  const gid = Number(execFileSync('id', ['-g', RUN_AS], { encoding: 'utf8' }).trim())
  return { uid, gid }
}

/** Starts a cluster; `stop()` ends it (by pg_ctl, then by PID) and removes its files. */
export async function startPostgres() {
  const bin = pgBin()
  const asRoot = process.getuid?.() === 0
  const dir = makeTempDir('pg')
  const data = path.join(dir, 'data')
  const log = path.join(dir, 'server.log')
  const adminPassword = `admin-${Math.random().toString(36).slice(2)}${Date.now()}`
  const port = await freePort()
  const host = '127.0.0.1'
  const owner = asRoot ? account() : undefined
  if (owner) chownSync(dir, owner.uid, owner.gid)

  const run = (program, args) => {
    const cmd = asRoot ? ['runuser', '-u', RUN_AS, '--', path.join(bin, program), ...args] : [path.join(bin, program), ...args]
    try {
      return execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''
      throw new Error(`${cmd.join(' ')} failed: ${error.stdout ?? ''}${error.stderr ?? ''}\n${serverLog}`)
    }
  }

  const pwfile = path.join(dir, 'pwfile')
  writeFileSync(pwfile, `${adminPassword}\n`, { mode: 0o600 })
  if (owner) chownSync(pwfile, owner.uid, owner.gid)
  try {
    run('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'])
  } finally {
    rmSync(pwfile, { force: true })
  }
  const options = `-p ${port} -c listen_addresses=${host} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`
  run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '30', '-o', options, 'start'])

  const pg = {
    host,
    port,
    /** A libpq URL (for psql) as `user`. */
    url: (user = PG_ROOT_USER, password = PG_ROOT_PASSWORD, dbname = PG_DATABASE) =>
      `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${dbname}`,
    /** Runs `query` as the bootstrap superuser; resolves to the rows as arrays of strings. */
    sql: (query, dbname = PG_DATABASE) => psql(['-d', `postgresql://postgres@${host}:${port}/${dbname}`, '-c', query], adminPassword),
    /** Runs psql exactly as given (e.g. the command the UI shows, split into arguments). */
    psql: (args, password) => psql(args, password),
    stop: () => {
      const pidFile = path.join(data, 'postmaster.pid')
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '10', 'stop'])
      } catch {
        if (existsSync(pidFile)) {
          try {
            process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL')
          } catch {
            // already gone
          }
        }
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await pg.sql(`CREATE ROLE ${PG_ROOT_USER} WITH SUPERUSER LOGIN PASSWORD '${PG_ROOT_PASSWORD}'`, 'postgres')
    await pg.sql(`CREATE DATABASE ${PG_DATABASE} OWNER ${PG_ROOT_USER}`, 'postgres')
    await psql(['-d', pg.url(), '-c', "CREATE TABLE public.products (id int, name text); INSERT INTO public.products VALUES (1, 'apple'), (2, 'pear')"])
  } catch (error) {
    pg.stop()
    throw error
  }
  return pg
}

/**
 * Runs psql (unaligned, tuples only, stop on error) with `args`; `password`, when given, goes
 * in PGPASSWORD. Resolves to the output rows split on `|`; rejects with psql's stderr.
 */
function psql(args, password) {
  const env = { ...process.env, PGCONNECT_TIMEOUT: '5' }
  delete env.PGPASSWORD
  if (password !== undefined) env.PGPASSWORD = password
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`psql failed: ${stderr.trim() || error.message}`))
      resolve(
        stdout
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => line.split('|')),
      )
    })
  })
}
