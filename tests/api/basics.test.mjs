// Health, metrics, authentication, the audit's actor, shapes shared with the
// CLI, batches and durability.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  world, api, get, post, expectJson, expectProblem, cli, cliOk, token, cleanup, SHIP, serials,
} from './lib.mjs';

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

function metric(text, name) {
  const re = new RegExp(`^${name.replace(/[{}"=.,\\]/g, '\\$&')} (\\S+)$`, 'm');
  const m = text.match(re);
  return m ? Number(m[1]) : undefined;
}

test('GET /healthz answers without a token', async () => {
  const r = await get(W.srv, '/healthz');
  assert.deepEqual(expectJson(r, 200), { status: 'ok' });
  // a token does not hurt either
  expectJson(await get(W.srv, '/healthz', W.t.lab1), 200);
});

test('GET /metrics: Prometheus text that moves after bookings', async () => {
  const r1 = await get(W.srv, '/metrics');
  assert.equal(r1.status, 200);
  assert.match(r1.type, /^text\/plain/);
  const t1 = r1.text;
  assert.match(t1, /^# TYPE chiptoll_http_requests_total counter$/m);
  assert.match(t1, /^chiptoll_http_requests_total\{route="\/v1\/shipments",status="201"\} \d+$/m);
  assert.match(t1, /^# TYPE chiptoll_http_request_duration_seconds histogram$/m);
  assert.match(t1, /^chiptoll_http_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
  assert.match(t1, /^chiptoll_http_request_duration_seconds_count \d+$/m);
  assert.match(t1, /^chiptoll_http_request_duration_seconds_sum [\d.]+$/m);
  // buckets are cumulative
  const buckets = [...t1.matchAll(/^chiptoll_http_request_duration_seconds_bucket\{le="[^"]+"\} (\d+)$/gm)].map((m) => Number(m[1]));
  assert.ok(buckets.length > 3);
  for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i] >= buckets[i - 1], 'cumulative buckets');
  assert.equal(buckets.at(-1), metric(t1, 'chiptoll_http_request_duration_seconds_count'));
  const b1 = metric(t1, 'chiptoll_bookings_total');
  const f1 = metric(t1, 'chiptoll_fees_booked_cents_total');
  const rj1 = metric(t1, 'chiptoll_rejections_total{reason="lab_certificate_missing"}');
  assert.ok(b1 >= 4, `bookings after the seed: ${b1}`);
  assert.ok(f1 > 0);
  assert.equal(rj1, 0);

  const s = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 4, { unit_value: '1000.00' })), 201);
  expectProblem(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 1, { batch: 'NOCERT' })), 422, 'lab_certificate_missing');
  const t2 = (await get(W.srv, '/metrics')).text;
  assert.equal(metric(t2, 'chiptoll_bookings_total'), b1 + 1);
  assert.equal(metric(t2, 'chiptoll_fees_booked_cents_total'), f1 + s.fee_cents);
  assert.equal(s.fee_cents, 100000);
  assert.equal(metric(t2, 'chiptoll_rejections_total{reason="lab_certificate_missing"}'), rj1 + 1);
  assert.ok(metric(t2, 'chiptoll_http_requests_total{route="/v1/shipments",status="422"}') >= 1);
  assert.ok(
    metric(t2, 'chiptoll_http_requests_total{route="/v1/shipments",status="201"}') >
      metric(t1, 'chiptoll_http_requests_total{route="/v1/shipments",status="201"}'),
  );
  assert.ok(metric(t2, 'chiptoll_http_request_duration_seconds_count') > metric(t1, 'chiptoll_http_request_duration_seconds_count'));
});

test('401: missing, malformed, unknown and revoked tokens', async () => {
  const path = '/v1/licenses';
  expectProblem(await get(W.srv, path), 401, undefined, 'no Authorization');
  for (const h of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Token abc', `bearer-${W.t.reg.token}`, 'Bearer ct_nope']) {
    expectProblem(await api(W.srv, 'GET', path, { headers: { Authorization: h } }), 401, undefined, `Authorization: ${h}`);
  }
  // a real token with a character changed
  const t = W.t.reg.token;
  const bad = t.slice(0, -1) + (t.at(-1) === 'A' ? 'B' : 'A');
  expectProblem(await get(W.srv, path, bad), 401, undefined, 'altered token');
  // a write without a token is 401 too, and books nothing
  expectProblem(await api(W.srv, 'POST', '/v1/shipments', { body: SHIP(1, 1) }), 401);
  // revoked while the server runs
  const tk = await token(W.db, 'vendor', 'NVIDIA', 'soon-revoked');
  expectJson(await get(W.srv, path, tk), 200);
  cliOk(W.db, ['token', 'revoke', String(tk.id)], { json: false });
  expectProblem(await get(W.srv, path, tk), 401, undefined, 'revoked token');
  expectProblem(await post(W.srv, '/v1/shipments', tk, SHIP(1, 1)), 401, undefined, 'revoked token write');
  // the others still work
  expectJson(await get(W.srv, path, W.t.nv), 200);
});

test("the audit's actor is the token's name@party", async () => {
  const r = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 2)), 201);
  const rc = await post(W.srv, '/v1/certificates', W.t.lab1, { product: 'H200', batch: 'AUD1', units: 10, date: '2026-01-20' });
  expectJson(rc, 201);
  const log = expectJson(await get(W.srv, '/v1/audit?limit=5', W.t.aud), 200);
  const ev = log.events;
  const book = ev.filter((e) => e.action === 'shipment.book').at(-1);
  assert.ok(book, JSON.stringify(ev.map((e) => e.action)));
  assert.equal(book.actor, 'nvidia-compliance@NVIDIA');
  assert.ok(JSON.stringify(book.payload).includes(`"shipment/${r.shipment}"`));
  const cert = ev.at(-1);
  assert.equal(cert.actor, 'lab1-desk@lab1');
  // a regulator without a party: its name
  expectJson(await post(W.srv, '/v1/suspensions', W.t.reg, { scope: 'customer:nobody-yet', reason: 'actor check' }), 201)
    ;
  const last = expectJson(await get(W.srv, '/v1/audit?limit=1', W.t.reg), 200).events.at(-1);
  assert.equal(last.actor, 'licensing-officer');
  // resume it so that it does not matter to others
  const list = expectJson(await get(W.srv, '/v1/suspensions', W.t.reg), 200).suspensions;
  for (const s of list.filter((x) => x.active)) expectJson(await post(W.srv, `/v1/suspensions/${s.id}/resume`, W.t.reg), 200);
  // the request log on stderr names the actor too
  await new Promise((res) => setTimeout(res, 300));
  const lines = W.srv.logLines();
  assert.ok(lines.some((l) => l.actor === 'nvidia-compliance@NVIDIA' && l.route === '/v1/shipments' && l.status === 201));
  for (const l of lines.slice(-5)) {
    for (const k of ['time', 'method', 'route', 'status', 'duration_ms']) assert.ok(k in l, `log line has ${k}: ${JSON.stringify(l)}`);
  }
});

test('POST /v1/shipments takes one import line and answers like `chiptoll --json ship`', async () => {
  const line = SHIP(1, 3, { unit_value: '27000.00', serials: serials('SHAPE-API', 1, 3) });
  const r = await post(W.srv, '/v1/shipments', W.t.nv, line);
  const a = expectJson(r, 201);
  assert.deepEqual(Object.keys(a).sort(), ['fee', 'fee_cents', 'program', 'rate_bp', 'replayed', 'shipment', 'units'].sort());
  assert.equal(a.units, 3);
  assert.equal(a.fee_cents, 2025000);
  assert.equal(a.fee, '20250.00');
  assert.equal(a.rate_bp, 2500);
  assert.equal(a.program, 'case-by-case-2026');
  assert.equal(a.replayed, false);
  assert.ok(Number.isInteger(a.shipment));
  // the CLI, on the same database while the server runs, for the same kind of request
  const sf = join(W.dir, 'serials.txt');
  writeFileSync(sf, serials('SHAPE-CLI', 1, 3).join('\n') + '\n');
  const c = cli(W.db, ['ship', '--license', '1', '--units', '3', '--unit-value', '27000.00', '--batch', 'B1', '--date', '2026-02-01', '--serials', sf]);
  assert.equal(c.rc, 0, c.stderr);
  assert.deepEqual(Object.keys(c.json).sort(), Object.keys(a).sort());
  for (const k of ['units', 'fee_cents', 'fee', 'rate_bp', 'program', 'replayed']) assert.deepEqual(c.json[k], a[k], k);
  assert.equal(c.json.shipment, a.shipment + 1);
  // the booked one reads the same through both
  const show = expectJson(await get(W.srv, `/v1/shipments/${a.shipment}`, W.t.nv), 200);
  const cshow = cliOk(W.db, ['shipment', 'show', String(a.shipment)]);
  assert.deepEqual(show, cshow);
  assert.deepEqual([...show.serials].sort(), serials('SHAPE-API', 1, 3));
  // a rejection carries the CLI's members beside the problem's
  const rj = await post(W.srv, '/v1/shipments', W.t.nv, SHIP(1, 1, { batch: 'NOCERT' }));
  const p = expectProblem(rj, 422, 'lab_certificate_missing');
  const crj = cli(W.db, ['ship', '--license', '1', '--units', '1', '--unit-value', '100.00', '--batch', 'NOCERT', '--date', '2026-02-01']);
  assert.equal(crj.rc, 1);
  for (const k of Object.keys(crj.json)) assert.deepEqual(p[k], crj.json[k], `rejection member ${k}`);
});

test('POST /v1/shipments/batch answers per line', async () => {
  const lines = [
    SHIP(1, 2, { key: 'batch-1' }),
    SHIP(1, 1, { batch: 'NOCERT' }),
    { license: 1, units: 1, unit_value: '1.00', batch: 'B1', colour: 'red' },
    'not an object',
    SHIP(2, 1, { batch: 'A1' }), // AMD's license: not the NVIDIA token's
    SHIP(1, 2, { key: 'batch-1' }), // replay of line 1
    SHIP(1, 5, { unit_value: '10.00' }),
  ];
  const r = expectJson(await post(W.srv, '/v1/shipments/batch', W.t.nv, { shipments: lines }), 200);
  assert.equal(r.results.length, lines.length);
  assert.equal(r.accepted, 3);
  assert.deepEqual(r.rejected, { lab_certificate_missing: 1 });
  // the summary of `chiptoll import shipments`: errors with their line
  assert.equal(r.lines, lines.length);
  assert.deepEqual(r.errors.map((e) => e.line), [3, 4, 5]);
  assert.ok(r.errors[0].message.includes('colour'), JSON.stringify(r.errors));
  const res = r.results;
  assert.equal(res[0].units, 2);
  assert.equal(res[0].replayed, false);
  assert.equal(res[1].rejected, true);
  assert.equal(res[1].reason, 'lab_certificate_missing');
  assert.ok(res[2].error && res[2].error.includes('colour'), JSON.stringify(res[2]));
  assert.ok(res[3].error, JSON.stringify(res[3]));
  assert.equal(res[4].code, 'not_found', JSON.stringify(res[4]));
  assert.equal(res[5].shipment, res[0].shipment);
  assert.equal(res[5].replayed, true);
  assert.equal(res[6].fee_cents, 1250);
  for (const i of [0, 6]) {
    const s = expectJson(await get(W.srv, `/v1/shipments/${res[i].shipment}`, W.t.reg), 200);
    assert.equal(s.units, lines[i].units);
  }
  // the CLI reads the same lines the same way
  const f = join(W.dir, 'batch.jsonl');
  writeFileSync(f, JSON.stringify(SHIP(1, 2, { key: 'batch-1' })) + '\n');
  const c = cliOk(W.db, ['import', 'shipments', f]);
  assert.equal(c.accepted, 1);
  const again = cliOk(W.db, ['shipment', 'show', String(res[0].shipment)]);
  assert.equal(again.key, 'batch-1');
  // a batch must be {"shipments": [...]}
  expectProblem(await post(W.srv, '/v1/shipments/batch', W.t.nv, { shipments: [] }), 400);
  expectProblem(await post(W.srv, '/v1/shipments/batch', W.t.nv, { lines: [SHIP(1, 1)] }), 400);
  expectProblem(await post(W.srv, '/v1/shipments/batch', W.t.nv, { shipments: SHIP(1, 1) }), 400);
});

test('a 201 is durable: after SIGTERM the CLI sees it and the audit verifies', async () => {
  const sn = serials('DUR', 1, 5);
  const a = expectJson(await post(W.srv, '/v1/shipments', W.t.nv, SHIP(3, 5, { serials: sn, key: 'dur-1' })), 201);
  const lic = expectJson(await post(W.srv, '/v1/licenses', W.t.amd, {
    customer: 'ccn', product: 'MI325X', units: 7, end_uses: ['inference'], from: '2026-02-01',
  }), 201);
  await W.srv.stop();
  const s = cliOk(W.db, ['shipment', 'show', String(a.shipment)]);
  assert.equal(s.units, 5);
  assert.equal(s.license, 3);
  assert.equal(s.key, 'dur-1');
  assert.deepEqual([...s.serials].sort(), sn);
  assert.equal(s.postings.length, 2);
  assert.equal(s.postings.reduce((x, p) => x + p.amount_cents, 0), 0);
  const l = cliOk(W.db, ['license', 'show', String(lic.license)]);
  assert.equal(l.vendor, 'AMD');
  assert.equal(l.units_requested, 7);
  const v = cli(W.db, ['audit', 'verify']);
  assert.equal(v.rc, 0, v.stdout + v.stderr);
});
