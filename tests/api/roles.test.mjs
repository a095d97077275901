// The role x route matrix, and per-party isolation: another party's
// resource answers 404, never 403, and lists show only one's own rows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, world, api, get, post, expectJson, expectProblem, cleanup, SHIP } from './lib.mjs';

let W;
before(async () => {
  W = await world();
});
after(async () => {
  if (W) {
    await W.srv.stop();
    cleanup(W.dir);
  }
});

// The route table of src/api/routes.c: method, pattern, roles (R A V C L).
const TABLE = [
  ['GET', '/healthz', 'open'],
  ['GET', '/metrics', 'open'],
  ['GET', '/v1/policy', 'RAVCL'],
  ['GET', '/v1/products', 'RAV'],
  ['POST', '/v1/products', 'RV'],
  ['GET', '/v1/products/compare', 'RAV'],
  ['POST', '/v1/products/classify', 'RAV'],
  ['GET', '/v1/products/{id}', 'RAV'],
  ['GET', '/v1/products/{id}/classification', 'RAV'],
  ['GET', '/v1/parties', 'RA'],
  ['POST', '/v1/parties', 'R'],
  ['GET', '/v1/parties/{id}', 'RAVCL'],
  ['POST', '/v1/parties/{id}/{action}', 'R'],
  ['GET', '/v1/licenses', 'RAVC'],
  ['POST', '/v1/licenses', 'RV'],
  ['GET', '/v1/licenses/{id}', 'RAVC'],
  ['POST', '/v1/licenses/{id}/{action}', 'R'],
  ['GET', '/v1/certificates', 'RAL'],
  ['POST', '/v1/certificates', 'RL'],
  ['GET', '/v1/domestic-volumes', 'RAV'],
  ['POST', '/v1/domestic-volumes', 'RV'],
  ['GET', '/v1/shipments', 'RAVC'],
  ['POST', '/v1/shipments', 'RV'],
  ['POST', '/v1/shipments/batch', 'RV'],
  ['GET', '/v1/shipments/{id}', 'RAVC'],
  ['GET', '/v1/ledger/balances', 'RAV'],
  ['GET', '/v1/ledger/statement', 'RAV'],
  ['POST', '/v1/ledger/remittances', 'RV'],
  ['GET', '/v1/suspensions', 'RA'],
  ['POST', '/v1/suspensions', 'R'],
  ['POST', '/v1/suspensions/{id}/{action}', 'R'],
  ['GET', '/v1/reports/{id}', 'RA'],
  ['GET', '/v1/audit', 'RA'],
  ['GET', '/v1/audit/verify', 'RA'],
  ['GET', '/v1/audit/head', 'RA'],
];

// A concrete request per route that changes nothing when allowed (a bad
// body, an unknown id), so the matrix can run in any order.
const CONCRETE = {
  'GET /healthz': ['/healthz'],
  'GET /metrics': ['/metrics'],
  'GET /v1/policy': ['/v1/policy'],
  'GET /v1/products': ['/v1/products'],
  'POST /v1/products': ['/v1/products', {}],
  'GET /v1/products/compare': ['/v1/products/compare?a=H200&b=H20'],
  'POST /v1/products/classify': ['/v1/products/classify', { model: 'H200' }],
  'GET /v1/products/{id}': ['/v1/products/H200'],
  'GET /v1/products/{id}/classification': ['/v1/products/H200/classification'],
  'GET /v1/parties': ['/v1/parties'],
  'POST /v1/parties': ['/v1/parties', {}],
  'GET /v1/parties/{id}': ['/v1/parties/ccn'],
  'POST /v1/parties/{id}/{action}': ['/v1/parties/nobody/approve', {}],
  'GET /v1/licenses': ['/v1/licenses'],
  'POST /v1/licenses': ['/v1/licenses', {}],
  'GET /v1/licenses/{id}': ['/v1/licenses/1'],
  'POST /v1/licenses/{id}/{action}': ['/v1/licenses/999/approve', {}],
  'GET /v1/certificates': ['/v1/certificates'],
  'POST /v1/certificates': ['/v1/certificates', {}],
  'GET /v1/domestic-volumes': ['/v1/domestic-volumes'],
  'POST /v1/domestic-volumes': ['/v1/domestic-volumes', {}],
  'GET /v1/shipments': ['/v1/shipments'],
  'POST /v1/shipments': ['/v1/shipments', {}],
  'POST /v1/shipments/batch': ['/v1/shipments/batch', {}],
  'GET /v1/shipments/{id}': ['/v1/shipments/1'],
  'GET /v1/ledger/balances': ['/v1/ledger/balances'],
  'GET /v1/ledger/statement': ['/v1/ledger/statement?vendor=NVIDIA'],
  'POST /v1/ledger/remittances': ['/v1/ledger/remittances', {}],
  'GET /v1/suspensions': ['/v1/suspensions'],
  'POST /v1/suspensions': ['/v1/suspensions', {}],
  'POST /v1/suspensions/{id}/{action}': ['/v1/suspensions/999/resume', {}],
  'GET /v1/reports/{id}': ['/v1/reports/fees'],
  'GET /v1/audit': ['/v1/audit'],
  'GET /v1/audit/verify': ['/v1/audit/verify'],
  'GET /v1/audit/head': ['/v1/audit/head'],
};

const ROLE_NAMES = { R: 'regulator', A: 'auditor', V: 'vendor', C: 'customer', L: 'lab' };
const ROLE_TOKEN = { R: 'reg', A: 'aud', V: 'nv', C: 'ccn', L: 'lab1' };

test('the table here is the table `chiptoll routes` prints', () => {
  const r = spawnSync(BIN, ['routes'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  const rows = r.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
  const printed = rows.map(([m, p, kind, roles]) => {
    if (kind === 'open') return [m, p, 'open'];
    const set = roles.split(',');
    return [m, p, 'RAVCL'.split('').filter((c) => set.includes(ROLE_NAMES[c])).join('')];
  });
  assert.deepEqual(printed, TABLE);
  for (const [m, p] of TABLE) assert.ok(CONCRETE[`${m} ${p}`], `a concrete request for ${m} ${p}`);
});

for (const [method, pattern, roles] of TABLE) {
  test(`roles on ${method} ${pattern}`, async () => {
    const [path, body] = CONCRETE[`${method} ${pattern}`];
    const send = (tok) => api(W.srv, method, path, { tok, body: method === 'POST' ? body : undefined });
    if (roles === 'open') {
      for (const tok of [undefined, ...Object.values(W.t)]) {
        const r = await send(tok);
        assert.equal(r.status, 200, `${method} ${path}: ${r.text.slice(0, 200)}`);
      }
      return;
    }
    // no token at all: 401 before anything else
    expectProblem(await send(undefined), 401, undefined, `${method} ${path} without a token`);
    for (const c of 'RAVCL') {
      const r = await send(W.t[ROLE_TOKEN[c]]);
      const who = `${ROLE_NAMES[c]} ${method} ${path}`;
      if (roles.includes(c)) {
        assert.notEqual(r.status, 403, `${who}: allowed, got 403: ${r.text}`);
        assert.notEqual(r.status, 401, `${who}: got 401`);
        assert.ok(r.status < 500, `${who}: ${r.status} ${r.text}`);
        assert.match(r.type, /^application\/(problem\+)?json$/, who);
      } else {
        expectProblem(r, 403, undefined, who);
      }
    }
  });
}

test('the auditor reads everything and every write answers 403', async () => {
  const a = W.t.aud;
  assert.equal(expectJson(await get(W.srv, '/v1/licenses', a), 200).licenses.length, 4);
  assert.equal(expectJson(await get(W.srv, '/v1/shipments', a), 200).shipments.length >= 4, true);
  assert.equal(expectJson(await get(W.srv, '/v1/certificates', a), 200).certificates.length >= 2, true);
  for (const id of [1, 2, 3, 4]) expectJson(await get(W.srv, `/v1/licenses/${id}`, a), 200);
  for (const id of [1, 2]) expectJson(await get(W.srv, `/v1/shipments/${id}`, a), 200);
  for (const p of ['NVIDIA', 'AMD', 'ccn', 'cbj', 'lab1']) expectJson(await get(W.srv, `/v1/parties/${p}`, a), 200);
  for (const p of ['H200', 'MI325X']) expectJson(await get(W.srv, `/v1/products/${p}`, a), 200);
  const bal = expectJson(await get(W.srv, '/v1/ledger/balances', a), 200);
  assert.deepEqual(bal.vendors.map((v) => v.vendor).sort(), ['AMD', 'NVIDIA']);
  // every write route, with a body that would be valid for the regulator
  const writes = [
    ['/v1/products', { vendor: 'NVIDIA', model: 'AUD1', fp8: 1000, bw_gbs: 3000, die_mm2: 800, us_available: '2025-01-01' }],
    ['/v1/parties', { role: 'customer', id: 'aud-c', name: 'Auditor Made', country: 'CN' }],
    ['/v1/parties/ccn/suspend', { reason: 'x' }],
    ['/v1/licenses', { vendor: 'NVIDIA', customer: 'ccn', product: 'H200', units: 1, end_uses: ['training'], from: '2026-02-01' }],
    ['/v1/licenses/1/suspend', { reason: 'x' }],
    ['/v1/certificates', { lab: 'lab1', product: 'H200', batch: 'AX', units: 1, date: '2026-02-01' }],
    ['/v1/domestic-volumes', { vendor: 'NVIDIA', product: 'H200', units: 1, date: '2026-02-01' }],
    ['/v1/shipments', SHIP(1, 1)],
    ['/v1/shipments/batch', { shipments: [SHIP(1, 1)] }],
    ['/v1/ledger/remittances', { vendor: 'NVIDIA', amount: '0.01', ref: 'x', date: '2026-04-01' }],
    ['/v1/suspensions', { scope: 'all', reason: 'x' }],
    ['/v1/suspensions/1/resume', {}],
  ];
  const before = expectJson(await get(W.srv, '/v1/audit/head', a), 200);
  for (const [path, body] of writes) expectProblem(await post(W.srv, path, a, body), 403, undefined, `auditor POST ${path}`);
  const after = expectJson(await get(W.srv, '/v1/audit/head', a), 200);
  assert.equal(after.seq, before.seq, 'the auditor wrote nothing');
});

test("a vendor's other-vendor resources answer 404, its lists only its own", async () => {
  const nv = W.t.nv;
  const amd = W.t.amd;
  // licenses 2 and 4 are AMD's, shipments 2 and 4 too
  for (const id of [2, 4]) {
    expectProblem(await get(W.srv, `/v1/licenses/${id}`, nv), 404, undefined, `NVIDIA GET license ${id}`);
    expectProblem(await get(W.srv, `/v1/shipments/${id}`, nv), 404, undefined, `NVIDIA GET shipment ${id}`);
  }
  for (const id of [1, 3]) {
    expectProblem(await get(W.srv, `/v1/licenses/${id}`, amd), 404);
    expectProblem(await get(W.srv, `/v1/shipments/${id}`, amd), 404);
    expectJson(await get(W.srv, `/v1/licenses/${id}`, nv), 200);
    expectJson(await get(W.srv, `/v1/shipments/${id}`, nv), 200);
  }
  // the same text as an id that does not exist: nothing leaks
  const other = await get(W.srv, '/v1/licenses/2', nv);
  const none = await get(W.srv, '/v1/licenses/999999', nv);
  assert.equal(other.status, none.status);
  assert.equal(other.json.title, none.json.title);
  expectProblem(await get(W.srv, '/v1/products/MI325X', nv), 404);
  expectProblem(await get(W.srv, '/v1/products/MI325X/classification', nv), 404);
  expectProblem(await get(W.srv, '/v1/products/compare?a=H200&b=MI325X', nv), 404);
  expectProblem(await get(W.srv, '/v1/products/H200', amd), 404);
  expectJson(await get(W.srv, '/v1/products/H200', nv), 200);
  expectProblem(await get(W.srv, '/v1/parties/AMD', nv), 404);
  expectProblem(await get(W.srv, '/v1/parties/ccn', nv), 404);
  expectJson(await get(W.srv, '/v1/parties/NVIDIA', nv), 200);
  // lists: own rows only, whatever the query asks
  for (const q of ['', '?vendor=AMD']) {
    const l = expectJson(await get(W.srv, `/v1/licenses${q}`, nv), 200).licenses;
    assert.deepEqual(l.map((x) => x.id).sort(), [1, 3], `licenses${q}`);
    const s = expectJson(await get(W.srv, `/v1/shipments${q}`, nv), 200).shipments;
    assert.ok(s.length >= 2 && s.every((x) => x.vendor === 'NVIDIA'), `shipments${q}`);
    const d = expectJson(await get(W.srv, `/v1/domestic-volumes${q}`, nv), 200);
    const rows = d.volumes || d.domestic || d.rows || Object.values(d).find(Array.isArray);
    assert.ok(rows.length >= 1 && rows.every((x) => x.vendor === 'NVIDIA'), `domestic${q}: ${JSON.stringify(d)}`);
    const b = expectJson(await get(W.srv, `/v1/ledger/balances${q}`, nv), 200);
    assert.equal(JSON.stringify(b).includes('"AMD"'), false, `balances${q}: ${JSON.stringify(b)}`);
    const st = expectJson(await get(W.srv, `/v1/ledger/statement${q}`, nv), 200);
    assert.equal(st.vendor, 'NVIDIA');
  }
  const prods = expectJson(await get(W.srv, '/v1/products', nv), 200).products;
  assert.ok(prods.length > 3 && prods.every((p) => p.vendor === 'NVIDIA'));
  const s2 = expectJson(await get(W.srv, '/v1/shipments?license=2', nv), 200).shipments;
  assert.deepEqual(s2, []);
});

test('a vendor acts only for itself: 403 naming another vendor, 404 booking on its license', async () => {
  const nv = W.t.nv;
  const head = expectJson(await get(W.srv, '/v1/audit/head', W.t.aud), 200).seq;
  expectProblem(await post(W.srv, '/v1/licenses', nv, {
    vendor: 'AMD', customer: 'ccn', product: 'MI325X', units: 5, end_uses: ['training'], from: '2026-02-01',
  }), 403, undefined, 'license for AMD');
  expectProblem(await post(W.srv, '/v1/ledger/remittances', nv, { vendor: 'AMD', amount: '0.01', ref: 'x', date: '2026-04-01' }), 403);
  expectProblem(await post(W.srv, '/v1/domestic-volumes', nv, { vendor: 'AMD', product: 'MI325X', units: 5, date: '2026-02-01' }), 403);
  expectProblem(await post(W.srv, '/v1/products', nv, {
    vendor: 'AMD', model: 'NOTMINE', fp8: 1000, bw_gbs: 3000, die_mm2: 800, us_available: '2025-01-01',
  }), 403);
  expectProblem(await post(W.srv, '/v1/shipments', nv, SHIP(2, 1, { batch: 'A1' })), 404, undefined, 'book on AMD license');
  expectProblem(await post(W.srv, '/v1/shipments', nv, SHIP(4, 1, { batch: 'A1', key: 'k-other' })), 404);
  assert.equal(expectJson(await get(W.srv, '/v1/audit/head', W.t.aud), 200).seq, head, 'nothing written');
  // own: allowed, the vendor field may be left out
  const own = expectJson(await post(W.srv, '/v1/licenses', nv, {
    customer: 'ccn', product: 'H200', units: 5, end_uses: ['training'], from: '2026-02-01',
  }), 201);
  const l = expectJson(await get(W.srv, `/v1/licenses/${own.license}`, W.t.reg), 200);
  assert.equal(l.vendor, 'NVIDIA');
  expectProblem(await get(W.srv, `/v1/licenses/${own.license}`, W.t.amd), 404);
  expectJson(await post(W.srv, '/v1/domestic-volumes', nv, { product: 'H200', units: 5, date: '2026-02-01' }), 201);
});

test('a customer sees only its own licenses and shipments', async () => {
  const ccn = W.t.ccn;
  const cbj = W.t.cbj;
  // ccn: licenses 1 and 4; cbj: 2 and 3
  const mine = (x) => x.map((l) => l.id).sort();
  assert.deepEqual(mine(expectJson(await get(W.srv, '/v1/licenses', ccn), 200).licenses.filter((l) => l.id <= 4)), [1, 4]);
  assert.deepEqual(mine(expectJson(await get(W.srv, '/v1/licenses?customer=cbj', ccn), 200).licenses.filter((l) => l.id <= 4)), [1, 4]);
  assert.deepEqual(mine(expectJson(await get(W.srv, '/v1/licenses', cbj), 200).licenses), [2, 3]);
  const ls = expectJson(await get(W.srv, '/v1/licenses', ccn), 200).licenses;
  assert.ok(ls.every((l) => l.customer === 'ccn'));
  const ss = expectJson(await get(W.srv, '/v1/shipments', ccn), 200).shipments;
  assert.ok(ss.length >= 2 && ss.every((s) => s.customer === 'ccn'), JSON.stringify(ss));
  const sj = expectJson(await get(W.srv, '/v1/shipments?customer=ccn', cbj), 200).shipments;
  assert.ok(sj.length >= 2 && sj.every((s) => s.customer === 'cbj'));
  for (const id of [2, 3]) {
    expectProblem(await get(W.srv, `/v1/licenses/${id}`, ccn), 404);
    expectProblem(await get(W.srv, `/v1/shipments/${id}`, ccn), 404);
    expectJson(await get(W.srv, `/v1/licenses/${id}`, cbj), 200);
    expectJson(await get(W.srv, `/v1/shipments/${id}`, cbj), 200);
  }
  for (const id of [1, 4]) {
    expectJson(await get(W.srv, `/v1/licenses/${id}`, ccn), 200);
    expectJson(await get(W.srv, `/v1/shipments/${id}`, ccn), 200);
    expectProblem(await get(W.srv, `/v1/shipments/${id}`, cbj), 404);
  }
  expectJson(await get(W.srv, '/v1/parties/ccn', ccn), 200);
  expectProblem(await get(W.srv, '/v1/parties/cbj', ccn), 404);
  expectProblem(await get(W.srv, '/v1/parties/NVIDIA', ccn), 404);
});

test('a lab sees and files only its own certificates', async () => {
  const c1 = expectJson(await get(W.srv, '/v1/certificates', W.t.lab1), 200).certificates;
  assert.ok(c1.length >= 1 && c1.every((c) => c.lab === 'lab1'), JSON.stringify(c1));
  const c2 = expectJson(await get(W.srv, '/v1/certificates?lab=lab1', W.t.lab2), 200).certificates;
  assert.ok(c2.length >= 1 && c2.every((c) => c.lab === 'lab2'), JSON.stringify(c2));
  expectProblem(await post(W.srv, '/v1/certificates', W.t.lab1, { lab: 'lab2', product: 'H200', batch: 'LX', units: 5, date: '2026-02-01' }), 403);
  const made = expectJson(await post(W.srv, '/v1/certificates', W.t.lab2, { product: 'H200', batch: 'L2X', units: 5, date: '2026-02-01' }), 201);
  assert.equal(made.lab, 'lab2');
  const after = expectJson(await get(W.srv, '/v1/certificates', W.t.lab1), 200).certificates;
  assert.ok(!after.some((c) => c.batch === 'L2X'));
  expectJson(await get(W.srv, '/v1/parties/lab1', W.t.lab1), 200);
  expectProblem(await get(W.srv, '/v1/parties/lab2', W.t.lab1), 404);
});
