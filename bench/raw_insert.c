/* The benchmark's baseline: the rows a booked shipment writes, inserted
 * straight into SQLite with prepared statements and no rules.
 *
 *   raw_insert DB JSONL
 *
 * DB must exist, created by `chiptoll init` so the schema is chiptoll's
 * own. Opened with the PRAGMAs of src/store/store.c (WAL,
 * synchronous=FULL, ...). Every line is parsed with jansson, as the
 * import does, and becomes one shipments row, its serials rows, two
 * postings rows and one audit_events row whose payload is about the size
 * of chiptoll's shipment.book event and whose hash is BLAKE2b over the
 * previous hash and the event, as in the audit chain. Lines are grouped
 * 1000 to a transaction, as src/cli/import.c IMPORT_GROUP.
 *
 * No rules: no license, party, certificate, cap or suspension lookups.
 * A line chiptoll rejects is inserted here too (its repeated serial is
 * skipped with INSERT OR IGNORE), so the baseline does slightly more
 * writing than the import it is compared with. Vendor, customer and
 * product come from arithmetic on the license id that mirrors
 * gen_shipments, not from a lookup.
 *
 * Prints one JSON object: lines, shipments, seconds, shipments_per_s. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GROUP 1000
#define N_CUSTOMERS 50
#define N_NVIDIA_LICENSES 140

static sqlite3 *db;

static void die(const char *what)
{
	fprintf(stderr, "raw_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "no database");
	exit(1);
}

static void exec(const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "raw_insert: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

static sqlite3_stmt *prepare(const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		die(sql);
	return st;
}

static void step(sqlite3_stmt *st, const char *what)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(what);
	sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void hex_hash(const void *data, size_t len, char out[65])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, data, len, NULL, 0);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* "27000.00" -> 2700000; the generator always writes two decimals. */
static long long cents(const char *s)
{
	long long whole = 0, frac = 0;
	int nfrac = 0;
	for (; *s && *s != '.'; s++)
		whole = whole * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s && nfrac < 2; s++, nfrac++)
			frac = frac * 10 + (*s - '0');
	while (nfrac++ < 2)
		frac *= 10;
	return whole * 100 + frac;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: raw_insert DB JSONL\n");
		return 2;
	}
	double t0 = now();
	if (sodium_init() < 0) {
		fprintf(stderr, "raw_insert: libsodium init failed\n");
		return 1;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		die(argv[1]);
	exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	     "PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;"
	     "PRAGMA cache_size=-16000;");
	FILE *f = fopen(argv[2], "rb");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	sqlite3_stmt *ins_ship = prepare(
		"INSERT INTO shipments(license_id, vendor, customer, product, program,"
		" policy_version, destination, units, unit_value_cents, fee_cents, rate_bp, batch,"
		" ship_date, idem_key, request_hash, certificate_id, booked_at)"
		" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	sqlite3_stmt *ins_serial = prepare(
		"INSERT OR IGNORE INTO serials(serial, shipment_id) VALUES (?,?)");
	sqlite3_stmt *ins_posting = prepare(
		"INSERT INTO postings(ref_kind, ref_id, vendor, account, amount_cents, post_date)"
		" VALUES ('shipment',?,?,?,?,?)");
	sqlite3_stmt *ins_audit = prepare(
		"INSERT INTO audit_events(seq, ts, actor, action, payload, prev_hash, hash)"
		" VALUES (?,?,?,?,?,?,?)");

	/* The chain continues from the head `chiptoll init` left. */
	long long seq = 0;
	char prev_hash[65] = "";
	sqlite3_stmt *head = prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
	if (sqlite3_step(head) == SQLITE_ROW) {
		seq = sqlite3_column_int64(head, 0);
		snprintf(prev_hash, sizeof prev_hash, "%s", (const char *)sqlite3_column_text(head, 1));
	}
	sqlite3_finalize(head);

	char ts[32];
	time_t t = time(NULL);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lines = 0, shipments = 0, in_group = 0;
	static char payload[8192], serials_json[2048], event[10240];
	exec("BEGIN IMMEDIATE;");
	while ((len = getline(&line, &cap, f)) > 0) {
		lines++;
		json_error_t jerr;
		json_t *req = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(req)) {
			fprintf(stderr, "raw_insert: line %ld: %s\n", lines, jerr.text);
			json_decref(req);
			continue;
		}
		long long license = json_integer_value(json_object_get(req, "license"));
		long long units = json_integer_value(json_object_get(req, "units"));
		long long value = cents(json_string_value(json_object_get(req, "unit_value")));
		const char *batch = json_string_value(json_object_get(req, "batch"));
		const char *date = json_string_value(json_object_get(req, "date"));
		const char *key = json_string_value(json_object_get(req, "key"));
		json_t *serials = json_object_get(req, "serials");
		if (!batch || !date || !key || !json_is_array(serials)) {
			fprintf(stderr, "raw_insert: line %ld: missing field\n", lines);
			json_decref(req);
			continue;
		}
		int nv = license <= N_NVIDIA_LICENSES;
		const char *vendor = nv ? "NVIDIA" : "AMD", *product = nv ? "H200" : "MI325X";
		char customer[16], request_hash[65];
		snprintf(customer, sizeof customer, "CUST%02d",
			 (int)(1 + (license - 1 + N_CUSTOMERS * 100) % N_CUSTOMERS));
		long long fee = units * value * 2500 / 10000;
		hex_hash(line, (size_t)len, request_hash);

		sqlite3_bind_int64(ins_ship, 1, license);
		text(ins_ship, 2, vendor);
		text(ins_ship, 3, customer);
		text(ins_ship, 4, product);
		text(ins_ship, 5, "case-by-case-2026");
		text(ins_ship, 6, "2026-01-15");
		text(ins_ship, 7, "CN");
		sqlite3_bind_int64(ins_ship, 8, units);
		sqlite3_bind_int64(ins_ship, 9, value);
		sqlite3_bind_int64(ins_ship, 10, fee);
		sqlite3_bind_int64(ins_ship, 11, 2500);
		text(ins_ship, 12, batch);
		text(ins_ship, 13, date);
		text(ins_ship, 14, key);
		text(ins_ship, 15, request_hash);
		sqlite3_bind_int64(ins_ship, 16, 1);
		text(ins_ship, 17, ts);
		step(ins_ship, "inserting shipment");
		long long id = sqlite3_last_insert_rowid(db);

		size_t sj = 0, i;
		json_t *s;
		json_array_foreach(serials, i, s) {
			text(ins_serial, 1, json_string_value(s));
			sqlite3_bind_int64(ins_serial, 2, id);
			step(ins_serial, "inserting serial");
			if (sj < sizeof serials_json - 80)
				sj += (size_t)snprintf(serials_json + sj, sizeof serials_json - sj,
						       "%s\"%s\"", i ? "," : "", json_string_value(s));
		}
		for (int side = 0; side < 2; side++) {
			sqlite3_bind_int64(ins_posting, 1, id);
			text(ins_posting, 2, vendor);
			text(ins_posting, 3, side ? "vendor_fee_payable" : "government_fee_receivable");
			sqlite3_bind_int64(ins_posting, 4, side ? -fee : fee);
			text(ins_posting, 5, date);
			step(ins_posting, "inserting posting");
		}

		/* About the size and shape of chiptoll's shipment.book payload. */
		int plen = snprintf(payload, sizeof payload,
			"{\"states\":{\"certificate/1\":{\"batch\":\"%s\",\"created_at\":\"%s\","
			"\"date\":\"2026-01-20\",\"id\":1,\"lab\":\"USLAB1\",\"product\":\"%s\","
			"\"units\":100000,\"units_used\":%lld},\"license/%lld\":{\"created_at\":\"%s\","
			"\"customer\":\"%s\",\"destination\":\"CN\",\"end_uses\":[\"training\"],"
			"\"export_from\":\"US\",\"from\":\"2026-01-20\",\"id\":%lld,\"note\":\"\","
			"\"policy_version\":\"2026-01-15\",\"product\":\"%s\","
			"\"program\":\"case-by-case-2026\",\"reasons\":[],\"status\":\"approved\","
			"\"units_approved\":10000,\"units_requested\":10000,\"units_shipped\":%lld,"
			"\"until\":\"2027-01-19\",\"vendor\":\"%s\"},\"shipment/%lld\":{\"batch\":\"%s\","
			"\"booked_at\":\"%s\",\"certificate\":1,\"customer\":\"%s\",\"date\":\"%s\","
			"\"destination\":\"CN\",\"fee_cents\":%lld,\"id\":%lld,\"key\":\"%s\","
			"\"license\":%lld,\"policy_version\":\"2026-01-15\",\"postings\":["
			"{\"account\":\"government_fee_receivable\",\"amount_cents\":%lld},"
			"{\"account\":\"vendor_fee_payable\",\"amount_cents\":%lld}],\"product\":\"%s\","
			"\"program\":\"case-by-case-2026\",\"rate_bp\":2500,\"request_hash\":\"%s\","
			"\"serials\":[%s],\"unit_value_cents\":%lld,\"units\":%lld,\"vendor\":\"%s\"}}}",
			batch, ts, product, units, license, ts, customer, license, product, units,
			vendor, id, batch, ts, customer, date, fee, id, key, license, fee, -fee,
			product, request_hash, serials_json, value, units, vendor);
		seq++;
		char hash[65];
		int elen = snprintf(event, sizeof event, "%s\n%lld\n%s\nbench\nshipment.book\n%s",
				    prev_hash, seq, ts, payload);
		hex_hash(event, (size_t)elen, hash);
		sqlite3_bind_int64(ins_audit, 1, seq);
		text(ins_audit, 2, ts);
		text(ins_audit, 3, "bench");
		text(ins_audit, 4, "shipment.book");
		sqlite3_bind_text(ins_audit, 5, payload, plen, SQLITE_STATIC);
		text(ins_audit, 6, prev_hash);
		text(ins_audit, 7, hash);
		step(ins_audit, "inserting audit event");
		memcpy(prev_hash, hash, sizeof prev_hash);

		json_decref(req);
		shipments++;
		if (++in_group == GROUP) {
			exec("COMMIT; BEGIN IMMEDIATE;");
			in_group = 0;
		}
	}
	exec("COMMIT;");
	free(line);
	fclose(f);
	sqlite3_finalize(ins_ship);
	sqlite3_finalize(ins_serial);
	sqlite3_finalize(ins_posting);
	sqlite3_finalize(ins_audit);
	if (sqlite3_close(db) != SQLITE_OK)
		die("closing");
	double secs = now() - t0;
	printf("{\"lines\":%ld,\"shipments\":%ld,\"seconds\":%.3f,\"shipments_per_s\":%.0f}\n",
	       lines, shipments, secs, (double)shipments / secs);
	return 0;
}
