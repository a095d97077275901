// Helpers of the chiptoll HTTP API tests (node --test, global fetch).
//
// Each test file starts its own server(s) on a fresh database in its own
// temporary directory, so files can run in parallel. The binary comes from
// $CHIPTOLL_BIN (tests/api/run.sh sets it).
import { spawn, spawnSync, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';

export const BIN = resolve(process.env.CHIPTOLL_BIN || 'build/chiptoll');

const SANITIZER = /ERROR: (Address|Leak|Memory|Thread)Sanitizer|runtime error:|UndefinedBehaviorSanitizer/;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the CLI ----

// cli(db, args): runs chiptoll --db DB --actor tester [--json] ARGS synchronously.
// Returns {rc, stdout, stderr, json} (json: parsed stdout or undefined).
export function cli(db, args, { json = true, actor = 'tester', input } = {}) {
  const argv = ['--db', db, '--actor', actor, ...(json ? ['--json'] : []), ...args];
  const r = spawnSync(BIN, argv, { encoding: 'utf8', input, timeout: 60000 });
  if (SANITIZER.test(r.stderr || '')) {
    throw new Error(`chiptoll ${args.join(' ')}: sanitizer report:\n${r.stderr}`);
  }
  let parsed;
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    parsed = undefined;
  }
  return { rc: r.status, stdout: r.stdout, stderr: r.stderr, json: parsed };
}

// cliAsync: the same without blocking the event loop (for many calls at once).
export function cliAsync(db, args, { json = true, actor = 'tester' } = {}) {
  const argv = ['--db', db, '--actor', actor, ...(json ? ['--json'] : []), ...args];
  return new Promise((res) => {
    execFile(BIN, argv, { encoding: 'utf8', timeout: 60000 }, (err, stdout, stderr) => {
      let parsed;
      try {
        parsed = JSON.parse(stdout);
      } catch {
        parsed = undefined;
      }
      if (SANITIZER.test(stderr || '')) {
        res({ rc: -1, stdout, stderr: `sanitizer report: ${stderr}`, json: parsed });
        return;
      }
      res({ rc: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, json: parsed });
    });
  });
}

export function cliOk(db, args, opts) {
  const r = cli(db, args, opts);
  assert.equal(r.rc, 0, `chiptoll ${args.join(' ')}: exit ${r.rc}: ${r.stdout} ${r.stderr}`);
  return r.json;
}

// token(db, role, party, name): creates a token with the CLI; returns {id, token}.
export async function token(db, role, party, name) {
  const args = ['token', 'create', '--role', role];
  if (party) args.push('--party', party);
  if (name) args.push('--name', name);
  const r = await cliAsync(db, args);
  assert.equal(r.rc, 0, `token create ${role} ${party}: ${r.stdout} ${r.stderr}`);
  assert.ok(r.json && r.json.token && r.json.id, `token create printed ${r.stdout}`);
  return { id: r.json.id, token: r.json.token, name, party };
}

// ---- databases and servers ----

// newDb(): a temp dir with a database made by `chiptoll init`.
export function newDb() {
  const dir = mkdtempSync(join(tmpdir(), 'chiptoll-api-'));
  const db = join(dir, 'x.db');
  cliOk(db, ['init'], { json: false });
  return { dir, db };
}

export class Server {
  constructor(db, dir, args) {
    this.db = db;
    this.dir = dir;
    this.args = args;
    this.err = '';
    this.exited = null;
  }

  async start() {
    const pf = join(this.dir, `port-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    this.proc = spawn(
      BIN,
      ['--db', this.db, 'serve', '--listen', '127.0.0.1:0', '--port-file', pf, ...this.args],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => {
      this.err += d;
    });
    this.exitPromise = new Promise((res) => {
      this.proc.on('exit', (code, signal) => {
        this.exited = { code, signal };
        res(this.exited);
      });
    });
    const t0 = Date.now();
    while (!existsSync(pf)) {
      if (this.exited) throw new Error(`server exited at start: ${JSON.stringify(this.exited)}: ${this.err}`);
      if (Date.now() - t0 > 20000) throw new Error(`server did not write its port file: ${this.err}`);
      await sleep(20);
    }
    this.port = Number(readFileSync(pf, 'utf8').trim());
    assert.ok(this.port > 0, 'port file holds a port');
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  sanitizerReport() {
    const m = this.err.match(SANITIZER);
    return m ? this.err.slice(Math.max(0, m.index - 200), m.index + 3000) : null;
  }

  // stop(): SIGTERM, then the exit code must be 0 and stderr free of
  // sanitizer reports.
  async stop({ timeoutMs = 30000 } = {}) {
    if (!this.exited) this.proc.kill('SIGTERM');
    let timer;
    const t = await Promise.race([
      this.exitPromise,
      new Promise((r) => {
        timer = setTimeout(() => r(null), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!t) {
      this.proc.kill('SIGKILL');
      await this.exitPromise;
      assert.fail(`server did not exit within ${timeoutMs} ms of SIGTERM`);
    }
    const rep = this.sanitizerReport();
    assert.equal(rep, null, `sanitizer report on the server's stderr:\n${rep}`);
    assert.deepEqual(t, { code: 0, signal: null }, `server exit after SIGTERM; stderr tail: ${this.err.slice(-1500)}`);
    return t;
  }

  async kill9() {
    if (!this.exited) this.proc.kill('SIGKILL');
    await this.exitPromise;
    const rep = this.sanitizerReport();
    assert.equal(rep, null, `sanitizer report on the server's stderr:\n${rep}`);
  }

  // Request log lines (JSON) written so far.
  logLines() {
    return this.err
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  }
}

export async function startServer(db, dir, args = []) {
  return new Server(db, dir, args).start();
}

export function cleanup(dir) {
  if (dir && !process.env.CT_KEEP) rmSync(dir, { recursive: true, force: true });
}

// ---- HTTP ----

// api(srv, method, path, {tok, body, headers, raw}): one request. body is
// sent as JSON (Content-Type application/json) unless raw (a string) is
// given. Returns {status, type, headers, text, json}.
export async function api(srv, method, path, { tok, body, headers = {}, raw, timeoutMs = 60000 } = {}) {
  const h = { ...headers };
  if (tok) h.Authorization = `Bearer ${typeof tok === 'string' ? tok : tok.token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const base = typeof srv === 'string' ? srv : srv.url;
  const res = await fetch(base + path, { method, headers: h, body: payload, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text, json };
}

export const get = (srv, path, tok, opts = {}) => api(srv, 'GET', path, { tok, ...opts });
export const post = (srv, path, tok, body, opts = {}) => api(srv, 'POST', path, { tok, body: body ?? {}, ...opts });

// expectOk(r, status): status and application/json.
export function expectJson(r, status, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${r.text.slice(0, 600)}`);
  assert.match(r.type || '', /^application\/json/, `${what} content type`);
  assert.ok(r.json !== undefined, `${what} body is JSON`);
  return r.json;
}

// expectProblem(r, status, code): an RFC 9457 problem.
export function expectProblem(r, status, code, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status}: ${r.text.slice(0, 600)}`);
  assert.equal(r.type, 'application/problem+json', `${what} content type`);
  const p = r.json;
  assert.ok(p && typeof p === 'object', `${what} problem body is JSON: ${r.text}`);
  assert.equal(typeof p.type, 'string', `${what} problem type`);
  assert.ok(p.type.length > 0);
  assert.equal(typeof p.title, 'string', `${what} problem title`);
  assert.ok(p.title.length > 0);
  assert.equal(p.status, status, `${what} problem status member`);
  assert.equal(typeof p.detail, 'string', `${what} problem detail`);
  assert.ok(p.detail.length > 0, `${what} problem detail not empty`);
  if (code !== undefined) assert.equal(p.code, code, `${what} problem code: ${r.text}`);
  return p;
}

// ---- the seeded world ----

export const SHIP = (license, units, extra = {}) => ({
  license,
  units,
  unit_value: '100.00',
  batch: 'B1',
  date: '2026-02-01',
  ...extra,
});

// seed(srv, reg): parties, evidence and licenses through the API:
//   vendors NVIDIA, AMD; customers ccn, cbj (CN, training+inference);
//   labs lab1, lab2 (all approved)
//   certificates: lab1 H200 B1 100000 (id 1); lab2 MI325X A1 100000 (id 2)
//   domestic: NVIDIA H200 1000000; AMD MI325X 1000000
//   licenses (approved, 100000 units from 2026-01-15):
//     1 NVIDIA->ccn H200, 2 AMD->cbj MI325X, 3 NVIDIA->cbj H200, 4 AMD->ccn MI325X
//   shipments 1..4, 1 unit each, on licenses 1..4
export async function seed(srv, reg) {
  const ok = async (path, body, status = 201) => {
    const r = await post(srv, path, reg, body);
    assert.equal(r.status, status, `seed POST ${path} ${JSON.stringify(body)}: ${r.status} ${r.text}`);
    return r.json;
  };
  for (const v of ['NVIDIA', 'AMD']) {
    await ok('/v1/parties', { role: 'vendor', id: v, name: `${v} Corporation`, country: 'US' });
    await ok(`/v1/parties/${v}/approve`, {}, 200);
  }
  for (const [c, name] of [
    ['ccn', 'Beijing Compute Co'],
    ['cbj', 'Shanghai Cloud Co'],
  ]) {
    await ok('/v1/parties', { role: 'customer', id: c, name, country: 'CN', end_uses: ['training', 'inference'] });
    await ok(`/v1/parties/${c}/approve`, {}, 200);
  }
  for (const l of ['lab1', 'lab2']) {
    await ok('/v1/parties', { role: 'lab', id: l, name: `US Test Lab ${l}`, country: 'US' });
    await ok(`/v1/parties/${l}/approve`, {}, 200);
  }
  await ok('/v1/certificates', { lab: 'lab1', product: 'H200', batch: 'B1', units: 100000, date: '2026-01-15' });
  await ok('/v1/certificates', { lab: 'lab2', product: 'MI325X', batch: 'A1', units: 100000, date: '2026-01-15' });
  await ok('/v1/domestic-volumes', { vendor: 'NVIDIA', product: 'H200', units: 1000000, date: '2026-01-15' });
  await ok('/v1/domestic-volumes', { vendor: 'AMD', product: 'MI325X', units: 1000000, date: '2026-01-15' });
  const lic = [
    ['NVIDIA', 'ccn', 'H200'],
    ['AMD', 'cbj', 'MI325X'],
    ['NVIDIA', 'cbj', 'H200'],
    ['AMD', 'ccn', 'MI325X'],
  ];
  for (let i = 0; i < lic.length; i++) {
    const [vendor, customer, product] = lic[i];
    const a = await ok('/v1/licenses', {
      vendor, customer, product, units: 100000, end_uses: ['training'], from: '2026-01-15',
    });
    assert.equal(a.license, i + 1);
    await ok(`/v1/licenses/${i + 1}/approve`, {}, 200);
  }
  for (let i = 1; i <= 4; i++) {
    const s = await ok('/v1/shipments', SHIP(i, 1, { batch: i % 2 ? 'B1' : 'A1' }));
    assert.equal(s.shipment, i);
  }
}

// world(): a fresh database, a regulator token, a server, the seed, and a
// token per role and party. Returns {dir, db, srv, t: {reg, aud, nv, amd,
// ccn, cbj, lab1, lab2}}.
export async function world({ args = [], doSeed = true } = {}) {
  const { dir, db } = newDb();
  const reg = await token(db, 'regulator', null, 'licensing-officer');
  const srv = await startServer(db, dir, args);
  if (doSeed) await seed(srv, reg);
  const [aud, nv, amd, ccn, cbj, lab1, lab2] = await Promise.all([
    token(db, 'auditor', null, 'gao-auditor'),
    token(db, 'vendor', 'NVIDIA', 'nvidia-compliance'),
    token(db, 'vendor', 'AMD', 'amd-compliance'),
    token(db, 'customer', 'ccn', 'ccn-ops'),
    token(db, 'customer', 'cbj', 'cbj-ops'),
    token(db, 'lab', 'lab1', 'lab1-desk'),
    token(db, 'lab', 'lab2', 'lab2-desk'),
  ].map((p) => (doSeed ? p : p.catch(() => null))));
  return { dir, db, srv, t: { reg, aud, nv, amd, ccn, cbj, lab1, lab2 } };
}

// serials(prefix, from, n): ["prefix-00000001", ...]
export function serials(prefix, from, n) {
  const out = [];
  for (let i = from; i < from + n; i++) out.push(`${prefix}-${String(i).padStart(8, '0')}`);
  return out;
}

// rawHttp(srv, text): writes text on a fresh TCP connection and returns
// {status, head, body} of the first response (the connection is closed
// after it, or when the server closes it).
export async function rawHttp(srv, text, { timeoutMs = 20000 } = {}) {
  const net = await import('node:net');
  return new Promise((res, rej) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let buf = '';
    const timer = setTimeout(() => {
      s.destroy();
      rej(new Error(`raw request: no response within ${timeoutMs} ms; got ${JSON.stringify(buf)}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      const i = buf.indexOf('\r\n\r\n');
      const head = i >= 0 ? buf.slice(0, i) : buf;
      const m = head.match(/^HTTP\/1\.[01] (\d{3})/);
      res({ status: m ? Number(m[1]) : 0, head, body: i >= 0 ? buf.slice(i + 4) : '' });
      s.destroy();
    };
    s.setEncoding('latin1');
    s.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\r\n\r\n');
      if (i < 0) return;
      const head = buf.slice(0, i);
      const cl = head.match(/\r\ncontent-length: *(\d+)/i);
      if (cl && buf.length - i - 4 >= Number(cl[1])) done();
    });
    s.on('end', done);
    s.on('error', (e) => {
      clearTimeout(timer);
      if (buf) done();
      else rej(e);
    });
    s.write(text);
  });
}
