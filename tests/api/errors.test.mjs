// Every error status: 400, 404, 405, 409, 413, 415 (401, 403 and 422 have
// their own files), each an application/problem+json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  world, newDb, token, startServer, api, get, post, rawHttp, expectJson, expectProblem, cleanup, SHIP,
} from './lib.mjs';

let W;
let S; // a second server with small limits: --max-body 1024 --max-batch 3 --max-elements 100
let sreg;
let sdir;
before(async () => {
  W = await world();
  const { dir, db } = newDb();
  sdir = dir;
  sreg = await token(db, 'regulator', null, 'limits');
  S = await startServer(db, dir, ['--max-body', '1024', '--max-batch', '3', '--max-elements', '100']);
});
after(async () => {
  if (W) {
    await W.srv.stop();
    cleanup(W.dir);
  }
  if (S) {
    await S.stop();
    cleanup(sdir);
  }
});

test('400: malformed JSON, a body that is not an object', async () => {
  const reg = W.t.reg;
  for (const raw of ['{bad', '{"license": 1,', '', '{"a":1}{"b":2}', '\u00ff\u00fe']) {
    if (raw === '') continue; // an empty body is {} (see below)
    const r = await api(W.srv, 'POST', '/v1/shipments', { tok: reg, raw, headers: { 'Content-Type': 'application/json' } });
    const p = expectProblem(r, 400, undefined, `body ${JSON.stringify(raw)}`);
    assert.match(p.detail, /body/);
  }
  for (const raw of ['[1,2]', '"text"', '42', 'null', 'true']) {
    const r = await api(W.srv, 'POST', '/v1/licenses', { tok: reg, raw, headers: { 'Content-Type': 'application/json' } });
    const p = expectProblem(r, 400, undefined, `body ${raw}`);
    assert.match(p.detail, /body/);
  }
  // duplicate keys are refused
  const dup = await api(W.srv, 'POST', '/v1/shipments', {
    tok: reg, raw: '{"license":1,"license":2,"units":1,"unit_value":"1.00","batch":"B1"}', headers: { 'Content-Type': 'application/json' },
  });
  expectProblem(dup, 400);
  // no body on a POST that needs fields: the service names the first one missing
  const empty = await api(W.srv, 'POST', '/v1/shipments', { tok: reg });
  const pe = expectProblem(empty, 400);
  assert.equal(pe.field, 'license');
});

test('400: unknown fields and bad values name the field', async () => {
  const reg = W.t.reg;
  const cases = [
    ['/v1/shipments', { ...SHIP(1, 1), colour: 'red' }, 'colour'],
    ['/v1/shipments', SHIP(1, 0), 'units'],
    ['/v1/shipments', SHIP(1, -3), 'units'],
    ['/v1/shipments', SHIP(1, 1.5), 'units'],
    ['/v1/shipments', SHIP(1, 'many'), 'units'],
    ['/v1/shipments', SHIP(1, 1000001), 'units'],
    ['/v1/shipments', SHIP(1, 1, { unit_value: '1.005' }), 'unit_value'],
    ['/v1/shipments', SHIP(1, 1, { unit_value: '-5' }), 'unit_value'],
    ['/v1/shipments', SHIP(1, 1, { unit_value: true }), 'unit_value'],
    ['/v1/shipments', SHIP(1, 1, { unit_value: 1.005 }), 'unit_value'],
    ['/v1/shipments', SHIP(1, 1, { date: '2026-02-30' }), 'date'],
    ['/v1/shipments', SHIP('abc', 1), 'license'],
    ['/v1/shipments', SHIP(1, 1, { serials: 'S1' }), 'serials'],
    ['/v1/licenses', { vendor: 'NVIDIA', customer: 'ccn', product: 'H200', units: 0, end_uses: ['training'], from: '2026-02-01' }, 'units'],
    ['/v1/licenses', { vendor: 'NVIDIA', customer: 'ccn', product: 'H200', units: 5, end_uses: ['training'], from: '2026-02-01', colour: 1 }, 'colour'],
    ['/v1/parties', { role: 'customer', id: 'x1', name: 'X', country: 'CN', colour: 1 }, 'colour'],
    ['/v1/certificates', { lab: 'lab1', product: 'H200', batch: 'Z', units: 0, date: '2026-02-01' }, 'units'],
    ['/v1/domestic-volumes', { vendor: 'NVIDIA', product: 'H200', units: 'ten', date: '2026-02-01' }, 'units'],
    ['/v1/ledger/remittances', { vendor: 'NVIDIA', amount: '1.001', ref: 'x', date: '2026-04-01' }, 'amount'],
  ];
  for (const [path, body, field] of cases) {
    const p = expectProblem(await post(W.srv, path, reg, body), 400, undefined, `${path} ${JSON.stringify(body)}`);
    assert.equal(p.field, field, `${path} ${JSON.stringify(body)}: ${JSON.stringify(p)}`);
    assert.ok(p.detail.includes(field), p.detail);
  }
  // suspensions take scope and reason only
  const ps = expectProblem(await post(W.srv, '/v1/suspensions', reg, { scope: 'all', reason: 'x', until: '2027-01-01' }), 400);
  assert.ok(ps.detail.includes('until'), ps.detail);
  // a bad query argument on a read
  expectProblem(await get(W.srv, '/v1/audit?limit=abc', reg), 400);
  expectProblem(await get(W.srv, '/v1/licenses?limit=0', reg), 400);
  expectProblem(await get(W.srv, '/v1/shipments?colour=red', reg), 400);
  // nothing of it was booked
  const sh = expectJson(await get(W.srv, '/v1/shipments', reg), 200).shipments;
  assert.equal(sh.length, 4);
});

test('404: unknown routes and unknown ids', async () => {
  const reg = W.t.reg;
  for (const path of ['/', '/v1', '/v1/nope', '/v2/licenses', '/v1/licenses/1/approve/now', '/v1/licenses//approve', '/healthz/x']) {
    expectProblem(await get(W.srv, path, reg), 404, undefined, `GET ${path}`);
  }
  // unknown routes answer 404 without a token too
  expectProblem(await get(W.srv, '/v1/nope'), 404);
  for (const path of ['/v1/licenses/999', '/v1/licenses/abc', '/v1/licenses/0', '/v1/shipments/999', '/v1/shipments/batch',
    '/v1/products/NOPE', '/v1/products/NOPE/classification', '/v1/parties/nobody', '/v1/reports/nope', '/v1/products/compare?a=H200&b=NOPE']) {
    expectProblem(await get(W.srv, path, reg), 404, undefined, `GET ${path}`);
  }
  for (const path of ['/v1/licenses/999/approve', '/v1/licenses/1/frobnicate', '/v1/parties/nobody/approve', '/v1/parties/ccn/frobnicate',
    '/v1/suspensions/999/resume', '/v1/suspensions/1/frobnicate']) {
    expectProblem(await post(W.srv, path, reg, {}), 404, undefined, `POST ${path}`);
  }
});

test('405: a known path with another method', async () => {
  const reg = W.t.reg;
  const cases = [
    ['DELETE', '/v1/licenses'],
    ['PUT', '/v1/licenses/1'],
    ['PATCH', '/v1/shipments/1'],
    ['GET', '/v1/licenses/1/approve'],
    ['POST', '/healthz'],
    ['POST', '/metrics'],
    ['POST', '/v1/audit'],
    ['DELETE', '/v1/suspensions/1/resume'],
  ];
  for (const [m, path] of cases) {
    const r = await api(W.srv, m, path, { tok: reg, body: m === 'GET' ? undefined : {} });
    expectProblem(r, 405, undefined, `${m} ${path}`);
  }
});

test('409: wrong state and already exists', async () => {
  const reg = W.t.reg;
  const p1 = expectProblem(await post(W.srv, '/v1/licenses/1/approve', reg, {}), 409, undefined, 'approve an approved license');
  assert.match(p1.detail, /approved/);
  expectProblem(await post(W.srv, '/v1/licenses/1/deny', reg, { reason: 'x' }), 409, undefined, 'deny an approved license');
  expectProblem(await post(W.srv, '/v1/licenses/1/reinstate', reg, {}), 409, undefined, 'reinstate an approved license');
  expectProblem(await post(W.srv, '/v1/parties', reg, { role: 'vendor', id: 'NVIDIA', name: 'Again', country: 'US' }), 409);
  expectProblem(await post(W.srv, '/v1/parties/NVIDIA/approve', reg, {}), 409, undefined, 'approve an approved party');
  const s = expectJson(await post(W.srv, '/v1/suspensions', reg, { scope: 'customer:nobody-409', reason: 'x' }), 201);
  expectJson(await post(W.srv, `/v1/suspensions/${s.id}/resume`, reg, {}), 200);
  expectProblem(await post(W.srv, `/v1/suspensions/${s.id}/resume`, reg, {}), 409, undefined, 'resume a resumed suspension');
  // a revoked license stays revoked
  const lic = expectJson(await post(W.srv, '/v1/licenses', reg, {
    vendor: 'NVIDIA', customer: 'ccn', product: 'H200', units: 5, end_uses: ['training'], from: '2026-02-01',
  }), 201).license;
  expectJson(await post(W.srv, `/v1/licenses/${lic}/approve`, reg, {}), 200);
  expectJson(await post(W.srv, `/v1/licenses/${lic}/revoke`, reg, { reason: 'x' }), 200);
  expectProblem(await post(W.srv, `/v1/licenses/${lic}/reinstate`, reg, {}), 409);
  expectProblem(await post(W.srv, `/v1/licenses/${lic}/approve`, reg, {}), 409);
});

test('415: a POST body that is not application/json', async () => {
  const reg = W.t.reg;
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'text/json']) {
    const r = await api(W.srv, 'POST', '/v1/shipments', { tok: reg, raw: JSON.stringify(SHIP(1, 1)), headers: { 'Content-Type': ct } });
    expectProblem(r, 415, undefined, ct);
  }
  // fetch with a string body and no type sends text/plain
  expectProblem(await api(W.srv, 'POST', '/v1/shipments', { tok: reg, raw: JSON.stringify(SHIP(1, 1)) }), 415);
  // with parameters it is JSON
  const ok = await api(W.srv, 'POST', '/v1/shipments', {
    tok: reg, raw: JSON.stringify(SHIP(1, 1)), headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
  expectJson(ok, 201);
});

test('413: a body over --max-body, with and without Content-Length', async () => {
  const big = { ...SHIP(1, 1), batch: 'X'.repeat(2000) };
  const p = expectProblem(await post(S, '/v1/shipments', sreg, big), 413);
  assert.match(p.detail, /1024/);
  // just under the limit is read (and refused for what it says)
  expectProblem(await post(S, '/v1/shipments', sreg, { ...SHIP(1, 1), batch: 'X'.repeat(900) }), 400);
  // chunked, no Content-Length: the server counts as it reads
  const chunk = '{"batch":"' + 'Y'.repeat(3000) + '"}';
  const text = `POST /v1/shipments HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${sreg.token}\r\nContent-Type: application/json\r\n` +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
  const r = await rawHttp(S, text);
  assert.equal(r.status, 413, r.head + r.body);
  assert.match(r.head, /content-type: application\/problem\+json/i);
  // the server is fine afterwards
  expectJson(await get(S, '/healthz'), 200);
});

test('413 over the default 1 MiB reaches the client (no reset while it sends)', async () => {
  const huge = { ...SHIP(1, 1), batch: 'Z'.repeat((1 << 20) + 1000) };
  const seen = [];
  for (let i = 0; i < 20; i++) {
    try {
      const r = await post(W.srv, '/v1/shipments', W.t.reg, huge);
      seen.push(r.status === 413 && r.type === 'application/problem+json' ? 413 : `${r.status} ${r.type}`);
    } catch (e) {
      seen.push(`${e.message}: ${e.cause && e.cause.code}`);
    }
  }
  assert.deepEqual(seen, Array(20).fill(413), 'each client that sends too large a body reads the 413');
  expectJson(await get(W.srv, '/healthz'), 200);
});

test('413: a batch over --max-batch; too many JSON values', async () => {
  const line = { license: 1, units: 1, unit_value: '1.00', batch: 'B' };
  const p = expectProblem(await post(S, '/v1/shipments/batch', sreg, { shipments: [line, line, line, line] }), 413);
  assert.match(p.detail, /3/);
  // three is within the limit (no license 1 here: each line is rejected on its own)
  const r = expectJson(await post(S, '/v1/shipments/batch', sreg, { shipments: [line, line, line] }), 200);
  assert.equal(r.results.length, 3);
  assert.deepEqual(r.rejected, { license_not_found: 3 });
  // --max-elements 100
  const many = { shipments: Array.from({ length: 2 }, () => ({ ...line, serials: Array.from({ length: 60 }, (_, i) => `S${i}`) })) };
  expectProblem(await post(S, '/v1/shipments/batch', sreg, many), 413);
});

test('431: request headers over the limit; the server carries on', async () => {
  const big = 'x'.repeat(40000);
  const r = await rawHttp(S, `GET /v1/policy HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${sreg.token}\r\nX-Big: ${big}\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 431, r.head);
  expectJson(await get(S, '/v1/policy', sreg), 200);
});

test('JSON nested deeper than 16 levels: 413; 16 levels are read', async () => {
  const nest = (n) => {
    // n objects in all, counting the body itself
    let v = 1;
    for (let i = 1; i < n; i++) v = { a: v };
    return v;
  };
  const p17 = expectProblem(await post(W.srv, '/v1/shipments', W.t.reg, nest(17)), 413, undefined, '17 levels');
  assert.match(p17.detail, /16/);
  const p16 = expectProblem(await post(W.srv, '/v1/shipments', W.t.reg, nest(16)), 400, undefined, '16 levels');
  assert.equal(p16.field, 'a');
  // arrays count as levels too
  let arr = 1;
  for (let i = 0; i < 20; i++) arr = [arr];
  expectProblem(await post(W.srv, '/v1/shipments', W.t.reg, { serials: arr }), 413);
  // very deep input (beyond the JSON parser's own limit) is refused, not a crash
  const deep = '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  const r = await api(W.srv, 'POST', '/v1/shipments', { tok: W.t.reg, raw: deep, headers: { 'Content-Type': 'application/json' } });
  assert.ok(r.status === 400 || r.status === 413, `${r.status} ${r.text}`);
  assert.equal(r.type, 'application/problem+json');
  expectJson(await get(W.srv, '/healthz'), 200);
});

test('every problem body is RFC 9457 with a matching status', async () => {
  // the request log recorded each status answered so far (a line is
  // written just after its response: give the last ones a moment)
  await new Promise((r) => setTimeout(r, 300));
  const lines = W.srv.logLines().concat(S.logLines());
  const statuses = new Set(lines.map((l) => l.status));
  for (const s of [400, 401, 404, 405, 409, 413, 415]) {
    if (s === 401) continue; // not sent to these servers in this file
    assert.ok(statuses.has(s), `a ${s} was answered and logged: ${[...statuses]} ${JSON.stringify(lines.filter((l) => l.route === '/v1/shipments' && l.status !== 201).slice(0, 40).map((l) => l.status))}`);
  }
});
