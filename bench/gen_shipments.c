/* Generates the benchmark's input: realistic export shipments as JSON
 * Lines, plus the plan of the database state that books them.
 *
 *   gen_shipments OUTDIR [COUNT] [SEED]
 *
 * writes OUTDIR/shipments.jsonl (COUNT lines, default 200000) and
 * OUTDIR/plan.txt, which bench/setup.sh turns into CLI calls:
 *
 *   vendor ID NAME...                 party add + approve
 *   customer ID NAME...               party add + approve (CN, training)
 *   lab ID NAME...                    party add + approve
 *   license N VENDOR CUSTOMER PRODUCT UNITS   apply --from 2026-01-20 + approve;
 *                                     N is the id the fresh database gives it
 *   cert LAB PRODUCT BATCH UNITS      lab certify --date 2026-01-20
 *   domestic VENDOR PRODUCT UNITS     domestic record --date 2026-01-15
 *   expect ACCEPTED REJECTED          what the import must report
 *
 * Each line is one HGX board (8 GPUs, 8 serials), about one in ten two
 * boards (16). About 3% are meant to be rejected: an unknown license id,
 * a serial shipped before (or twice in the line), or more units than a
 * deliberately small license has left. The generator simulates the
 * booking order to know exactly which lines fail, so the bench can check
 * the import's counts.
 *
 * Deterministic for a given seed (xorshift, no libc rand). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_CUSTOMERS 50
#define N_LICENSES 200
#define N_NVIDIA_LICENSES 140   /* 1..140 H200 under NVIDIA, the rest MI325X under AMD */
#define SMALL_EVERY 20          /* every 20th license is small and runs out */
#define N_BATCHES_H200 60
#define N_BATCHES_MI325X 40
#define UNKNOWN_PER_MILLE 10
#define DUP_EARLIER_PER_MILLE 8
#define DUP_INSIDE_PER_MILLE 2
#define RECENT_SERIALS 4096     /* ring of booked serials that repeats draw from */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static long below(long n)
{
	return (long)(rnd() % (uint64_t)n);
}

struct license {
	const char *vendor, *product, *serial_prefix;
	int customer;
	long cap;        /* units approved; 0 until computed for big licenses */
	long used;       /* units the simulation booked */
	int batches, batch0;
};

static const char *const customer_names[] = {
	"Hangzhou Cloud Compute", "Shenzhen AI Research", "Beijing Intelligent Systems",
	"Shanghai Model Labs", "Chengdu Data Center", "Wuhan Compute Services",
	"Nanjing Deep Learning", "Guangzhou Inference Cloud", "Suzhou AI Park",
	"Tianjin Supercompute",
};

static int days_in_month(int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return d[m - 1];
}

/* A day from 2026-02-01 to 2026-11-20, as text. */
static void ship_date(char out[16])
{
	unsigned m = 2 + (unsigned)below(10);
	unsigned last = m == 11 ? 20 : (unsigned)days_in_month((int)m);
	snprintf(out, 16, "2026-%02u-%02u", m % 100, (1 + (unsigned)below(last)) % 100);
}

static void make_serial(const struct license *l, long n, char *out, size_t size)
{
	char digits[24];
	snprintf(digits, sizeof digits, "%08ld", n % 100000000);
	int check = 0;
	for (const char *p = digits; *p; p++)
		check += *p - '0';
	snprintf(out, size, "%s-%s-%d", l->serial_prefix, digits, check % 10);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: gen_shipments OUTDIR [COUNT] [SEED]\n");
		return 2;
	}
	long count = argc > 2 ? strtol(argv[2], NULL, 10) : 200000;
	if (argc > 3)
		rng_state ^= strtoull(argv[3], NULL, 10) * 0x2545f4914f6cdd1dULL;
	if (count <= 0) {
		fprintf(stderr, "gen_shipments: COUNT must be positive\n");
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/shipments.jsonl", argv[1]);
	FILE *out = fopen(path, "w");
	if (!out) {
		perror(path);
		return 1;
	}
	static char buf[1 << 20];
	setvbuf(out, buf, _IOFBF, sizeof buf);

	static struct license lic[N_LICENSES + 1];
	for (int i = 1; i <= N_LICENSES; i++) {
		bool nv = i <= N_NVIDIA_LICENSES;
		lic[i].vendor = nv ? "NVIDIA" : "AMD";
		lic[i].product = nv ? "H200" : "MI325X";
		lic[i].serial_prefix = nv ? "NV-H200" : "AMD-MI325X";
		lic[i].customer = 1 + (i - 1) % N_CUSTOMERS;
		lic[i].batch0 = 1;
		lic[i].batches = nv ? N_BATCHES_H200 : N_BATCHES_MI325X;
		/* Small licenses get about 85% of the units their traffic asks
		 * for, so their last lines are rejected for units. */
		if (i % SMALL_EVERY == 0)
			lic[i].cap = (long)((double)count / N_LICENSES * 8.8 * 0.85) / 8 * 8;
	}
	static long batch_units[2][N_BATCHES_H200 + 1];
	long serial_no[2] = {0, 0};
	static char recent[RECENT_SERIALS][64];
	long n_recent = 0;
	long accepted = 0, rejected = 0;
	char serials[16][64];

	for (long line = 1; line <= count; line++) {
		long pick = below(1000);
		bool unknown = pick < UNKNOWN_PER_MILLE;
		bool dup_earlier = !unknown && pick < UNKNOWN_PER_MILLE + DUP_EARLIER_PER_MILLE &&
				   n_recent > 0;
		bool dup_inside = !unknown && !dup_earlier &&
				  pick >= UNKNOWN_PER_MILLE + DUP_EARLIER_PER_MILLE &&
				  pick < UNKNOWN_PER_MILLE + DUP_EARLIER_PER_MILLE + DUP_INSIDE_PER_MILLE;
		int li = 1 + (int)below(N_LICENSES);
		struct license *l = &lic[li];
		int pi = li <= N_NVIDIA_LICENSES ? 0 : 1;
		int units = below(10) == 0 ? 16 : 8;
		long license_id = unknown ? 9000 + below(1000) : li;
		for (int s = 0; s < units; s++)
			make_serial(l, ++serial_no[pi], serials[s], sizeof serials[s]);
		if (dup_earlier)
			snprintf(serials[below(units)], sizeof serials[0], "%s",
				 recent[below(n_recent < RECENT_SERIALS ? n_recent : RECENT_SERIALS)]);
		if (dup_inside)
			memcpy(serials[units - 1], serials[0], sizeof serials[0]);
		int batch = l->batch0 + (int)below(l->batches);
		long base = pi == 0 ? 2700000 : 2100000;   /* cents */
		long value = base - 150000 + below(300001);
		char date[16];
		ship_date(date);

		bool over = !unknown && l->cap > 0 && l->used + units > l->cap;
		bool ok = !unknown && !dup_earlier && !dup_inside && !over;
		if (ok) {
			accepted++;
			l->used += units;
			batch_units[pi][batch] += units;
			for (int s = 0; s < units; s += 3)
				memcpy(recent[n_recent++ % RECENT_SERIALS], serials[s], 64);
		} else {
			rejected++;
		}
		fprintf(out, "{\"license\":%ld,\"units\":%d,\"unit_value\":\"%ld.%02ld\","
			"\"batch\":\"%s-B%04d\",\"date\":\"%s\",\"key\":\"SHP-2026-%08ld\","
			"\"serials\":[", license_id, units, value / 100, value % 100,
			l->product, batch, date, line);
		for (int s = 0; s < units; s++)
			fprintf(out, "%s\"%s\"", s ? "," : "", serials[s]);
		fputs("]}\n", out);
	}
	if (fclose(out) != 0) {
		perror(path);
		return 1;
	}

	snprintf(path, sizeof path, "%s/plan.txt", argv[1]);
	FILE *plan = fopen(path, "w");
	if (!plan) {
		perror(path);
		return 1;
	}
	fprintf(plan, "vendor NVIDIA NVIDIA Corporation\nvendor AMD Advanced Micro Devices\n");
	fprintf(plan, "lab USLAB1 Federal Compute Verification Lab\n");
	for (int c = 1; c <= N_CUSTOMERS; c++)
		fprintf(plan, "customer CUST%02d %s %02d\n", c,
			customer_names[(c - 1) % (int)(sizeof customer_names / sizeof *customer_names)],
			c);
	long product_units[2] = {0, 0};
	for (int i = 1; i <= N_LICENSES; i++) {
		struct license *l = &lic[i];
		/* Big licenses: what was booked plus headroom, in whole boards. */
		long cap = l->cap > 0 ? l->cap : (l->used + l->used / 10 + 80) / 8 * 8;
		fprintf(plan, "license %d %s CUST%02d %s %ld\n", i, l->vendor, l->customer,
			l->product, cap);
		product_units[i <= N_NVIDIA_LICENSES ? 0 : 1] += l->used;
	}
	for (int pi = 0; pi < 2; pi++)
		for (int b = 1; b <= (pi == 0 ? N_BATCHES_H200 : N_BATCHES_MI325X); b++)
			fprintf(plan, "cert USLAB1 %s %s-B%04d %ld\n", pi ? "MI325X" : "H200",
				pi ? "MI325X" : "H200", b, batch_units[pi][b] + 1000);
	/* The cap allows exports up to 50% of US domestic units: domestic
	 * volume of three times the exports leaves the cap unhit. */
	fprintf(plan, "domestic NVIDIA H200 %ld\n", product_units[0] * 3 + 10000);
	fprintf(plan, "domestic AMD MI325X %ld\n", product_units[1] * 3 + 10000);
	fprintf(plan, "expect %ld %ld\n", accepted, rejected);
	if (fclose(plan) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}
