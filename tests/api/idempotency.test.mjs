// Idempotency-Key: replays answer the original response, another body under
// the same key is 409 idempotency_conflict, nothing is written twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { world, api, get, post, expectJson, expectProblem, cleanup, SHIP, serials, token } from './lib.mjs';

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

const withKey = (key) => ({ headers: { 'Idempotency-Key': key } });
const count = async (path, member) => expectJson(await get(W.srv, `${path}?limit=100000`, W.t.reg), 200)[member].length;
const shipped = async (id) => expectJson(await get(W.srv, `/v1/licenses/${id}`, W.t.reg), 200).units_shipped;

test('POST /v1/shipments: same key and body replays, booked once', async () => {
  const body = SHIP(1, 5, { serials: serials('IDEM', 1, 5) });
  const n0 = await count('/v1/shipments', 'shipments');
  const u0 = await shipped(1);
  const a = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-17')), 201);
  assert.equal(a.replayed, false);
  const b = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-17')), 201);
  assert.deepEqual(b, { ...a, replayed: true });
  // the key may also travel in the body: the same request
  const c = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, { ...body, key: 'order-17' }), 201);
  assert.deepEqual(c, { ...a, replayed: true });
  // the amount written differently is still the same request
  const d = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, { ...body, unit_value: '100' }, withKey('order-17')), 201);
  assert.equal(d.shipment, a.shipment);
  assert.equal(await count('/v1/shipments', 'shipments'), n0 + 1);
  assert.equal(await shipped(1), u0 + 5);
  // replays count as replays in /metrics
  const m = (await get(W.srv, '/metrics')).text.match(/^chiptoll_booking_replays_total (\d+)$/m);
  assert.ok(m && Number(m[1]) >= 3, m && m[0]);
});

test('POST /v1/shipments: same key, other body: 409 idempotency_conflict', async () => {
  const body = SHIP(1, 2);
  const a = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-18')), 201);
  const n = await count('/v1/shipments', 'shipments');
  for (const other of [{ ...body, units: 3 }, { ...body, date: '2026-02-02' }, { ...body, unit_value: '100.01' }, { ...body, serials: ['X1', 'X2'] }]) {
    const p = expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, other, withKey('order-18')), 409, 'idempotency_conflict', JSON.stringify(other));
    assert.ok(p.detail.length > 10);
  }
  assert.equal(await count('/v1/shipments', 'shipments'), n);
  // the header and the body's key must agree
  expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, { ...body, key: 'order-x' }, withKey('order-18')), 400);
  // a key of bad characters or too long
  expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('has space')), 400);
  expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('k'.repeat(200))), 400);
  assert.equal(await count('/v1/shipments', 'shipments'), n);
  assert.ok(a.shipment > 0);
});

test('a retried rejected booking is rejected again and books nothing; the key stays free', async () => {
  const body = SHIP(1, 1, { batch: 'LATE-CERT' });
  const n = await count('/v1/shipments', 'shipments');
  const p1 = expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-20')), 422, 'lab_certificate_missing');
  const p2 = expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-20')), 422, 'lab_certificate_missing');
  assert.deepEqual(p2, p1);
  assert.equal(await count('/v1/shipments', 'shipments'), n);
  // once the certificate is filed, the same request under the same key books
  expectJson(await post(W.srv, '/v1/certificates', W.t.lab1, { product: 'H200', batch: 'LATE-CERT', units: 5, date: '2026-01-20' }), 201);
  const ok = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-20')), 201);
  assert.equal(ok.replayed, false);
  const again = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-20')), 201);
  assert.equal(again.replayed, true);
  assert.equal(again.shipment, ok.shipment);
  assert.equal(await count('/v1/shipments', 'shipments'), n + 1);
});

test('16 concurrent retries of one keyed booking book it once', async () => {
  const body = SHIP(3, 4, { serials: serials('CONC-IDEM', 1, 4) });
  const n = await count('/v1/shipments', 'shipments');
  const rs = await Promise.all(Array.from({ length: 16 }, () => post(W.srv, '/v1/shipments', W.t.nv, body, withKey('order-conc'))));
  const ids = new Set();
  let fresh = 0;
  for (const r of rs) {
    const j = expectJson(r, 201);
    ids.add(j.shipment);
    if (!j.replayed) fresh++;
  }
  assert.equal(ids.size, 1);
  assert.equal(fresh, 1);
  assert.equal(await count('/v1/shipments', 'shipments'), n + 1);
});

test('Idempotency-Key on POST /v1/licenses, /v1/parties, /v1/suspensions, /v1/ledger/remittances', async () => {
  const cases = [
    ['/v1/licenses', W.t.nv, { customer: 'ccn', product: 'H200', units: 9, end_uses: ['training'], from: '2026-02-01' },
      { customer: 'ccn', product: 'H200', units: 10, end_uses: ['training'], from: '2026-02-01' }, ['/v1/licenses', 'licenses']],
    ['/v1/parties', W.t.reg, { role: 'customer', id: 'idem-c1', name: 'Idem One', country: 'CN' },
      { role: 'customer', id: 'idem-c2', name: 'Idem Two', country: 'CN' }, ['/v1/parties', 'parties']],
    ['/v1/suspensions', W.t.reg, { scope: 'customer:idem-none', reason: 'first' },
      { scope: 'customer:idem-none', reason: 'second' }, ['/v1/suspensions', 'suspensions']],
    ['/v1/ledger/remittances', W.t.nv, { amount: '0.01', ref: 'FEDWIRE idem', date: '2026-04-01' },
      { amount: '0.02', ref: 'FEDWIRE idem', date: '2026-04-01' }, null],
  ];
  for (const [path, tok, body, other, listing] of cases) {
    const key = `gen-${path.replaceAll('/', '-')}`;
    const head0 = expectJson(await get(W.srv, '/v1/audit/head', W.t.reg), 200).seq;
    const n0 = listing ? await count(...listing) : 0;
    const a = await post(W.srv, path, tok, body, withKey(key));
    assert.equal(a.status, 201, `${path}: ${a.text}`);
    const b = await post(W.srv, path, tok, body, withKey(key));
    assert.equal(b.status, a.status, `${path} replay status`);
    assert.equal(b.type, a.type);
    const strip = (j) => (j && 'replayed' in j ? { ...j, replayed: undefined } : j);
    assert.deepEqual(strip(b.json), strip(a.json), `${path} replay body`);
    if (listing) assert.equal(await count(...listing), n0 + 1, `${path}: created once`);
    const head1 = expectJson(await get(W.srv, '/v1/audit/head', W.t.reg), 200).seq;
    assert.equal(head1, head0 + 1, `${path}: one audit event`);
    expectProblem(await post(W.srv, path, tok, other, withKey(key)), 409, 'idempotency_conflict', `${path} other body`);
    if (listing) assert.equal(await count(...listing), n0 + 1, `${path}: nothing after the conflict`);
    // without the key the same body is a new request (or a conflict of its own, for a party id)
    const c = await post(W.srv, path, tok, body);
    assert.notEqual(c.status, 500);
  }
  for (const s of expectJson(await get(W.srv, '/v1/suspensions', W.t.reg), 200).suspensions.filter((x) => x.active)) {
    expectJson(await post(W.srv, `/v1/suspensions/${s.id}/resume`, W.t.reg, {}), 200);
  }
});

test('a replayed 4xx under a generic key answers the same problem', async () => {
  const body = { customer: 'ccn', product: 'B200', units: 5, end_uses: ['training'], from: '2026-02-15' };
  const a = await post(W.srv, '/v1/licenses', W.t.nv, body, withKey('denied-1'));
  const pa = expectProblem(a, 422, 'product_not_eligible');
  const b = await post(W.srv, '/v1/licenses', W.t.nv, body, withKey('denied-1'));
  const pb = expectProblem(b, 422, 'product_not_eligible');
  assert.deepEqual(pb, pa);
  assert.equal(expectJson(await get(W.srv, '/v1/licenses?status=denied', W.t.reg), 200).licenses.filter((l) => l.product === 'B200').length, 1);
});

test("one vendor's key does not collide with another's booking", async () => {
  const nvBody = SHIP(1, 1);
  const amdBody = SHIP(2, 1, { batch: 'A1' });
  const a = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, nvBody, withKey('shared-key-1')), 201);
  const r = await post(W.srv, '/v1/shipments', W.t.amd, amdBody, withKey('shared-key-1'));
  assert.equal(r.status, 201, `AMD under a key NVIDIA used: ${r.status} ${r.text}`);
  assert.notEqual(r.json.shipment, a.shipment);
  assert.equal(r.json.replayed, false);
  // and a vendor cannot read another's booking through a replay of its key
  const x = await post(W.srv, '/v1/shipments', W.t.amd, nvBody, withKey('shared-key-1'));
  assert.notEqual(x.status, 201, `AMD replaying NVIDIA's request: ${x.text}`);
  const tk = await token(W.db, 'vendor', 'NVIDIA', 'second-nv-token');
  const y = await post(W.srv, '/v1/shipments', tk, nvBody, withKey('shared-key-1'));
  assert.equal(y.status, 201);
  assert.equal(y.json.shipment, a.shipment, 'the same vendor with another token replays');
  assert.equal(y.json.replayed, true);
});
