// 64 clients book at once against one license with room for exactly 1,000
// units, then against a volume cap of exactly 1,000 units: exactly 1,000
// are booked, the rest refused with the rule, the ledger balances, the
// audit verifies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { world, get, post, expectJson, cli, cleanup, SHIP } from './lib.mjs';

let W;
before(async () => {
  W = await world();
});
after(async () => {
  if (W) {
    if (!W.srv.exited) await W.srv.stop();
    cleanup(W.dir);
  }
});

const CLIENTS = 64;
const UNITS = 8;

// Each client books UNITS units at a time until refused; returns every result.
async function load(license, batch, tag) {
  const booked = [];
  const refused = [];
  const other = [];
  await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; ; i++) {
      const sn = Array.from({ length: UNITS }, (_, k) => `${tag}-${c}-${i}-${k}`);
      const r = await post(W.srv, '/v1/shipments', W.t.nv, SHIP(license, UNITS, { batch, serials: sn, unit_value: '12345.67' }));
      if (r.status === 201) {
        booked.push(r.json);
      } else if (r.status === 422) {
        refused.push(r.json.code);
        return;
      } else {
        other.push(`${r.status} ${r.text}`);
        return;
      }
    }
  }));
  return { booked, refused, other };
}

async function nvidiaAccrued() {
  const b = expectJson(await get(W.srv, '/v1/ledger/balances?vendor=NVIDIA', W.t.reg), 200);
  const v = (b.vendors || []).find((x) => x.vendor === 'NVIDIA') || b;
  return v.accrued_cents;
}

test('64 clients against a license approved for exactly 1,000 units', async () => {
  const lic = expectJson(await post(W.srv, '/v1/licenses', W.t.nv, {
    customer: 'ccn', product: 'H200', units: 5000, end_uses: ['training'], from: '2026-01-15',
  }), 201).license;
  expectJson(await post(W.srv, `/v1/licenses/${lic}/approve`, W.t.reg, { units: 1000 }), 200);
  const acc0 = await nvidiaAccrued();
  const { booked, refused, other } = await load(lic, 'B1', 'LU');
  assert.deepEqual(other, [], 'only 201 and 422');
  const units = booked.reduce((s, b) => s + b.units, 0);
  assert.equal(units, 1000, 'exactly 1,000 units booked');
  assert.equal(booked.length, 125);
  assert.equal(new Set(booked.map((b) => b.shipment)).size, booked.length, 'distinct shipments');
  assert.equal(refused.length, CLIENTS);
  assert.deepEqual([...new Set(refused)], ['license_units_exceeded']);
  const l = expectJson(await get(W.srv, `/v1/licenses/${lic}`, W.t.reg), 200);
  assert.equal(l.units_shipped, 1000);
  const fees = booked.reduce((s, b) => s + b.fee_cents, 0);
  assert.equal(await nvidiaAccrued() - acc0, fees, 'the ledger moved by the fees booked');
  // each fee is the same: 8 x 12345.67 x 25% = 24691.34
  assert.ok(booked.every((b) => b.fee_cents === 2469134), JSON.stringify(booked[0]));
  const list = expectJson(await get(W.srv, `/v1/shipments?license=${lic}&limit=100000`, W.t.reg), 200).shipments;
  assert.equal(list.length, 125);
});

test('64 clients against a volume cap of exactly 1,000 units', async () => {
  // H100: 2,000 US units -> a cap of 1,000 exports
  expectJson(await post(W.srv, '/v1/domestic-volumes', W.t.nv, { product: 'H100', units: 2000, date: '2026-01-15' }), 201);
  expectJson(await post(W.srv, '/v1/certificates', W.t.lab1, { product: 'H100', batch: 'H1', units: 100000, date: '2026-01-15' }), 201);
  const lic = expectJson(await post(W.srv, '/v1/licenses', W.t.nv, {
    customer: 'cbj', product: 'H100', units: 100000, end_uses: ['training'], from: '2026-01-15',
  }), 201).license;
  expectJson(await post(W.srv, `/v1/licenses/${lic}/approve`, W.t.reg, {}), 200);
  const acc0 = await nvidiaAccrued();
  const { booked, refused, other } = await load(lic, 'H1', 'VC');
  assert.deepEqual(other, [], 'only 201 and 422');
  assert.equal(booked.reduce((s, b) => s + b.units, 0), 1000, 'exactly 1,000 units booked');
  assert.equal(refused.length, CLIENTS);
  assert.deepEqual([...new Set(refused)], ['volume_cap_exceeded']);
  assert.equal(await nvidiaAccrued() - acc0, booked.reduce((s, b) => s + b.fee_cents, 0));
  const caps = expectJson(await get(W.srv, '/v1/reports/caps', W.t.reg), 200);
  const row = caps.rows.find((r) => r[0] === 'H100');
  assert.ok(row, JSON.stringify(caps));
  const col = (name) => row[caps.columns.indexOf(name)];
  assert.equal(col('exported_units'), 1000);
  assert.equal(col('cap_units'), 1000);
  assert.equal(col('headroom_units'), 0);
});

test('after the load: the ledger balances and the audit verifies', async () => {
  const all = expectJson(await get(W.srv, '/v1/shipments?limit=100000', W.t.reg), 200).shipments;
  const fees = all.reduce((s, x) => s + x.fee_cents, 0);
  const bal = expectJson(await get(W.srv, '/v1/ledger/balances', W.t.reg), 200);
  assert.equal(bal.total.accrued_cents, fees, 'accrued = the sum of every shipment fee');
  assert.equal(bal.total.outstanding_cents, bal.total.accrued_cents - bal.total.remitted_cents);
  const v = expectJson(await get(W.srv, '/v1/audit/verify', W.t.aud), 200);
  assert.equal(v.ok, true);
  await W.srv.stop();
  const c = cli(W.db, ['audit', 'verify']);
  assert.equal(c.rc, 0, c.stdout + c.stderr);
  const b2 = cli(W.db, ['ledger', 'balance']);
  assert.equal(b2.rc, 0);
  assert.equal(JSON.stringify(b2.json).includes(String(fees)), true, `CLI balance shows ${fees}: ${b2.stdout}`);
});
