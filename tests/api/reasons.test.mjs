// 422 with "code" for every booking reason code, license denials and
// remittances that exceed what is owed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { world, get, post, expectJson, expectProblem, cleanup, SHIP } from './lib.mjs';

let W;
let reg;
before(async () => {
  W = await world();
  reg = W.t.reg;
});
after(async () => {
  if (W) {
    await W.srv.stop();
    cleanup(W.dir);
  }
});

async function license(body, approve = {}) {
  const a = expectJson(await post(W.srv, '/v1/licenses', reg, {
    vendor: 'NVIDIA', customer: 'ccn', product: 'H200', units: 1000, end_uses: ['training'], from: '2026-01-15', ...body,
  }), 201, 'license apply');
  if (approve) expectJson(await post(W.srv, `/v1/licenses/${a.license}/approve`, reg, approve), 200, 'license approve');
  return a.license;
}

async function customer(id) {
  expectJson(await post(W.srv, '/v1/parties', reg, { role: 'customer', id, name: `Customer ${id}`, country: 'CN', end_uses: ['training'] }), 201);
  expectJson(await post(W.srv, `/v1/parties/${id}/approve`, reg, {}), 200);
}

// reject(body, code, tok): a 422 with the code, nothing booked, the
// rejection audited.
async function reject(body, code, tok = reg) {
  const before = expectJson(await get(W.srv, '/v1/audit/head', reg), 200).seq;
  const nShip = expectJson(await get(W.srv, '/v1/shipments?limit=100000', reg), 200).shipments.length;
  const r = await post(W.srv, '/v1/shipments', tok, body);
  const p = expectProblem(r, 422, code, `${JSON.stringify(body)}`);
  assert.equal(p.rejected, true);
  assert.equal(p.reason, code);
  assert.equal(p.type, `urn:chiptoll:problem:${code}`);
  assert.ok(p.message.length > 20 && p.detail === p.message, p.detail);
  assert.equal(expectJson(await get(W.srv, '/v1/shipments?limit=100000', reg), 200).shipments.length, nShip, 'nothing booked');
  const log = expectJson(await get(W.srv, '/v1/audit?limit=1', reg), 200).events;
  assert.equal(log.at(-1).seq, before + 1);
  assert.equal(log.at(-1).action, 'shipment.reject');
  assert.equal(log.at(-1).payload.reason, code);
  return p;
}

test('license_not_found', async () => {
  await reject(SHIP(999, 1), 'license_not_found');
});

test('license_not_active: pending, then denied', async () => {
  const id = await license({ units: 10 }, null);
  await reject(SHIP(id, 1), 'license_not_active');
  expectJson(await post(W.srv, `/v1/licenses/${id}/deny`, reg, { reason: 'not now' }), 200);
  await reject(SHIP(id, 1), 'license_not_active', W.t.nv);
});

test('license_suspended and license_revoked', async () => {
  const id = await license({ units: 10 });
  expectJson(await post(W.srv, `/v1/licenses/${id}/suspend`, reg, { reason: 'inquiry' }), 200);
  await reject(SHIP(id, 1), 'license_suspended');
  expectJson(await post(W.srv, `/v1/licenses/${id}/reinstate`, reg, {}), 200);
  expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(id, 1)), 201);
  expectJson(await post(W.srv, `/v1/licenses/${id}/revoke`, reg, { reason: 'diversion' }), 200);
  await reject(SHIP(id, 1), 'license_revoked', W.t.nv);
});

test('license_expired: before and after its window', async () => {
  await reject(SHIP(1, 1, { date: '2026-01-14' }), 'license_expired');
  await reject(SHIP(1, 1, { date: '2027-01-15' }), 'license_expired', W.t.nv);
});

test('suspended: a suspension in force, lifted', async () => {
  await customer('csus');
  const id = await license({ customer: 'csus' });
  const s = expectJson(await post(W.srv, '/v1/suspensions', reg, { scope: 'customer:csus', reason: 'diversion report' }), 201);
  await reject(SHIP(id, 1), 'suspended', W.t.nv);
  expectJson(await post(W.srv, `/v1/suspensions/${s.id}/resume`, reg, {}), 200);
  expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(id, 1)), 201);
});

test('customer_not_approved: the customer suspended after its license', async () => {
  await customer('cna');
  const id = await license({ customer: 'cna' });
  expectJson(await post(W.srv, '/v1/parties/cna/suspend', reg, { reason: 'screening hit' }), 200);
  await reject(SHIP(id, 1), 'customer_not_approved', W.t.nv);
});

test('product_not_eligible: the H20 program ended', async () => {
  const id = await license({ product: 'H20', from: '2025-09-01', units: 100 });
  const ok = expectJson(await post(W.srv, '/v1/shipments', reg, SHIP(id, 1, { batch: 'X', date: '2025-10-01' })), 201);
  assert.equal(ok.program, 'h20-mi308-2025');
  assert.equal(ok.rate_bp, 1500);
  await reject(SHIP(id, 1, { batch: 'X', date: '2026-01-20' }), 'product_not_eligible');
});

test('license_units_exceeded', async () => {
  const id = await license({ units: 100 }, { units: 10 });
  const p = await reject(SHIP(id, 11), 'license_units_exceeded', W.t.nv);
  assert.ok(p.detail.includes('10') && p.detail.includes('11'), p.detail);
  expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(id, 10)), 201);
  await reject(SHIP(id, 1), 'license_units_exceeded');
});

test('lab_certificate_missing', async () => {
  await reject(SHIP(1, 1, { batch: 'NOCERT' }), 'lab_certificate_missing', W.t.nv);
});

test('volume_cap_exceeded', async () => {
  const id = await license({ product: 'H100' });
  expectJson(await post(W.srv, '/v1/certificates', reg, { lab: 'lab1', product: 'H100', batch: 'H1', units: 1000, date: '2026-01-15' }), 201);
  await reject(SHIP(id, 1, { batch: 'H1' }), 'volume_cap_exceeded', W.t.nv);
  expectJson(await post(W.srv, '/v1/domestic-volumes', W.t.nv, { product: 'H100', units: 21, date: '2026-01-20' }), 201);
  expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(id, 10, { batch: 'H1' })), 201);
  await reject(SHIP(id, 1, { batch: 'H1' }), 'volume_cap_exceeded');
});

test('serial_count_mismatch and serial_already_shipped', async () => {
  await reject(SHIP(1, 3, { serials: ['R-1', 'R-2'] }), 'serial_count_mismatch', W.t.nv);
  expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 2, { serials: ['R-1', 'R-2'] })), 201);
  const p = await reject(SHIP(1, 2, { serials: ['R-2', 'R-3'] }), 'serial_already_shipped', W.t.nv);
  assert.ok(p.detail.includes('R-2'));
  await reject(SHIP(1, 2, { serials: ['R-9', 'R-9'] }), 'serial_already_shipped');
});

test('a license application denied: 422 with code, reasons and license', async () => {
  const before = expectJson(await get(W.srv, '/v1/licenses', reg), 200).licenses.length;
  const r = await post(W.srv, '/v1/licenses', W.t.nv, {
    customer: 'ccn', product: 'B200', units: 100, end_uses: ['training'], from: '2026-02-15',
  });
  const p = expectProblem(r, 422, 'product_not_eligible');
  assert.ok(Number.isInteger(p.license), JSON.stringify(p));
  assert.ok(Array.isArray(p.reasons) && p.reasons.includes('product_not_eligible'), JSON.stringify(p));
  // the denied application is kept, as the CLI keeps it
  const l = expectJson(await get(W.srv, `/v1/licenses/${p.license}`, W.t.nv), 200);
  assert.equal(l.status, 'denied');
  assert.deepEqual(l.reasons, p.reasons);
  assert.equal(expectJson(await get(W.srv, '/v1/licenses', reg), 200).licenses.length, before + 1);
  // a military end use the customer did not declare is denied with its own reason
  const m = await post(W.srv, '/v1/licenses', W.t.nv, {
    customer: 'ccn', product: 'H200', units: 10, end_uses: ['military'], from: '2026-02-15',
  });
  const pm = expectProblem(m, 422);
  assert.ok(pm.code && pm.reasons.includes(pm.code), JSON.stringify(pm));
  assert.ok(Number.isInteger(pm.license));
});

test('remittance_exceeds_outstanding', async () => {
  const bal = expectJson(await get(W.srv, '/v1/ledger/balances?vendor=AMD', reg), 200);
  const owed = (bal.vendors || [bal]).find((v) => v.vendor === 'AMD') || bal.total;
  assert.ok(owed.outstanding_cents > 0, JSON.stringify(bal));
  const p = expectProblem(await post(W.srv, '/v1/ledger/remittances', W.t.amd, {
    amount: '99999999.00', ref: 'typo', date: '2026-04-01',
  }), 422, 'remittance_exceeds_outstanding');
  assert.ok(p.detail.includes('AMD'), p.detail);
  // exactly what is owed is accepted, then nothing more
  const amount = (owed.outstanding_cents / 100).toFixed(2);
  const ok = expectJson(await post(W.srv, '/v1/ledger/remittances', W.t.amd, { amount, ref: 'FEDWIRE 1', date: '2026-04-01' }), 201);
  assert.ok(ok);
  expectProblem(await post(W.srv, '/v1/ledger/remittances', W.t.amd, { amount: '0.01', ref: 'again', date: '2026-04-02' }), 422,
    'remittance_exceeds_outstanding');
});

test('/metrics counts a rejection for every reason seen', async () => {
  const text = (await get(W.srv, '/metrics')).text;
  for (const code of ['license_not_found', 'license_not_active', 'license_suspended', 'license_revoked', 'license_expired',
    'suspended', 'customer_not_approved', 'product_not_eligible', 'license_units_exceeded', 'lab_certificate_missing',
    'volume_cap_exceeded', 'serial_count_mismatch', 'serial_already_shipped']) {
    const m = text.match(new RegExp(`^chiptoll_rejections_total\\{reason="${code}"\\} (\\d+)$`, 'm'));
    assert.ok(m && Number(m[1]) >= 1, `rejections of ${code}: ${m && m[0]}`);
  }
  const v = expectJson(await get(W.srv, '/v1/audit/verify', W.t.aud), 200);
  assert.equal(v.ok, true);
});
