// A stuck slow client does not block others and is dropped after --timeout;
// SIGTERM lets what is in flight finish and exits 0.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { world, get, post, expectJson, cli, cleanup, SHIP, sleep } from './lib.mjs';

const worlds = [];
after(async () => {
  for (const w of worlds) {
    if (!w.srv.exited) await w.srv.kill9();
    cleanup(w.dir);
  }
});

function connect(port) {
  return new Promise((res, rej) => {
    const s = net.connect(port, '127.0.0.1', () => res(s));
    s.on('error', rej);
  });
}

// A socket that records what it receives and when it is closed.
function watch(s) {
  const st = { data: '', closedAt: null };
  s.setEncoding('latin1');
  s.on('data', (d) => {
    st.data += d;
  });
  s.on('close', () => {
    st.closedAt = Date.now();
  });
  s.on('error', () => {});
  return st;
}

test('stalled clients do not block others and are dropped after --timeout', async () => {
  const W = await world({ args: ['--timeout', '2'] });
  worlds.push(W);
  const body = JSON.stringify(SHIP(1, 1));
  const stalled = [];
  const t0 = Date.now();
  // half a body on a write route, half the headers, and nothing at all
  for (let i = 0; i < 6; i++) {
    const s = await connect(W.srv.port);
    const st = watch(s);
    if (i % 3 === 0) {
      s.write(`POST /v1/shipments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${W.t.nv.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    } else if (i % 3 === 1) {
      s.write(`GET /v1/licenses HTTP/1.1\r\nHost: x\r\nAuthori`);
    }
    stalled.push({ s, st });
  }
  await sleep(100);
  // others are answered at once, reads and writes alike
  const times = [];
  for (let round = 0; round < 3; round++) {
    await Promise.all(Array.from({ length: 8 }, async (_, k) => {
      const a = Date.now();
      const r = k % 2
        ? await get(W.srv, '/v1/licenses/1', W.t.nv)
        : await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 1));
      times.push(Date.now() - a);
      assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`);
    }));
  }
  const slowest = Math.max(...times);
  assert.ok(slowest < 1500, `requests beside stalled clients took up to ${slowest} ms`);
  assert.ok(stalled.every(({ st }) => st.closedAt === null), 'not dropped before the timeout');
  // the server drops them after about 2 s of silence
  while (stalled.some(({ st }) => st.closedAt === null) && Date.now() - t0 < 10000) await sleep(50);
  for (const { st } of stalled) {
    assert.ok(st.closedAt !== null, 'a stalled client was dropped');
    const after = st.closedAt - t0;
    assert.ok(after >= 1500 && after < 8000, `dropped after ${after} ms`);
  }
  // the half-sent booking was never booked
  const n = expectJson(await get(W.srv, '/v1/shipments?license=1', W.t.reg), 200).shipments.length;
  assert.equal(n, 1 + 12, 'the seed one and the 12 complete bookings');
  await W.srv.stop();
});

test('SIGTERM: requests in flight complete with their answer, then exit 0', async () => {
  const W = await world();
  worlds.push(W);
  const N = 8;
  const bodies = Array.from({ length: N }, (_, i) => JSON.stringify(SHIP(1, 2, { serials: [`TERM-${i}-a`, `TERM-${i}-b`] })));
  const socks = [];
  for (let i = 0; i < N; i++) {
    const s = await connect(W.srv.port);
    const st = watch(s);
    // the headers and half the body: the request has begun
    s.write(`POST /v1/shipments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${W.t.nv.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${bodies[i].length}\r\nConnection: close\r\n\r\n` +
      bodies[i].slice(0, 20));
    socks.push({ s, st });
  }
  // a keep-alive connection that has finished one request
  const ka = await connect(W.srv.port);
  const kst = watch(ka);
  ka.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  await sleep(300);
  assert.match(kst.data, /^HTTP\/1\.1 200/);
  kst.data = '';
  W.srv.proc.kill('SIGTERM');
  await sleep(300);
  assert.equal(W.srv.exited, null, 'the server waits for the requests in flight');
  // a new request while shutting down: 503 problem
  ka.write(`GET /v1/licenses HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${W.t.reg.token}\r\n\r\n`);
  const k0 = Date.now();
  while (!kst.data.includes('}') && Date.now() - k0 < 5000) await sleep(20);
  assert.match(kst.data, /^HTTP\/1\.1 503/, kst.data);
  assert.match(kst.data, /content-type: application\/problem\+json/i);
  assert.match(kst.data, /"status":503/);
  ka.destroy();
  for (let i = 0; i < N; i++) socks[i].s.write(bodies[i].slice(20));
  const t0 = Date.now();
  while (socks.some(({ st }) => st.closedAt === null) && Date.now() - t0 < 15000) await sleep(20);
  const ids = [];
  for (const { st } of socks) {
    const m = st.data.match(/^HTTP\/1\.[01] (\d{3})/);
    assert.ok(m, `an answer: ${JSON.stringify(st.data)}`);
    assert.equal(Number(m[1]), 201, st.data);
    const j = JSON.parse(st.data.slice(st.data.indexOf('\r\n\r\n') + 4));
    ids.push(j.shipment);
  }
  await W.srv.stop();
  // each acknowledged one is on disk
  for (const id of ids) {
    const c = cli(W.db, ['shipment', 'show', String(id)]);
    assert.equal(c.rc, 0, c.stderr);
    assert.equal(c.json.units, 2);
  }
  assert.equal(cli(W.db, ['audit', 'verify']).rc, 0);
});

test('SIGTERM under a booking load: every answer is a booking or 503, every booking durable', async () => {
  const W = await world();
  worlds.push(W);
  const acked = [];
  const other = [];
  let errors = 0;
  let stop = false;
  let first;
  const firstAnswer = new Promise((r) => {
    first = r;
  });
  const clients = Array.from({ length: 16 }, async (_, c) => {
    for (let i = 0; !stop; i++) {
      try {
        const r = await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 1), { timeoutMs: 15000 });
        first();
        if (r.status === 201) acked.push(r.json.shipment);
        else if (r.status === 503) {
          assert.equal(r.type, 'application/problem+json');
        } else other.push(`${r.status} ${r.text}`);
      } catch {
        errors++; // not accepted: the listening socket is closed
        return;
      }
    }
  });
  await firstAnswer;
  await sleep(100);
  W.srv.proc.kill('SIGTERM');
  const t0 = Date.now();
  await W.srv.exitPromise;
  stop = true;
  await Promise.all(clients);
  assert.ok(Date.now() - t0 < 12000, 'the server stopped in time');
  assert.deepEqual(other, []);
  await W.srv.stop(); // exit 0, no sanitizer report
  assert.ok(acked.length > 0);
  const list = cli(W.db, ['shipment', 'list', '--license', '1', '--limit', '100000']);
  if (list.rc === 0 && list.json && list.json.shipments) {
    const have = new Set(list.json.shipments.map((s) => s.id));
    for (const id of acked) assert.ok(have.has(id), `acknowledged shipment ${id} is on disk`);
  } else {
    for (const id of acked) assert.equal(cli(W.db, ['shipment', 'show', String(id)]).rc, 0, `shipment ${id}`);
  }
  assert.equal(cli(W.db, ['audit', 'verify']).rc, 0);
});
