/* Prometheus metrics: requests by route and status, a latency histogram,
 * bookings and rejections by reason, fees booked. One mutex: the counters
 * are touched once per request, far from the hot path's cost. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

#define MAX_SERIES 256
static const double buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
				 0.5, 1, 2.5, 5, 10};
#define N_BUCKETS (sizeof buckets / sizeof buckets[0])

struct series {
	const char *route;
	int status;
	unsigned long long count;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct series requests[MAX_SERIES];
static int n_requests;
static unsigned long long hist[N_BUCKETS + 1], hist_count;
static double hist_sum;
static unsigned long long bookings, replays, rejections[CT_REASON_MAX_];
static long long fees_cents;

void api_metrics_request(const char *route, int status, double seconds)
{
	pthread_mutex_lock(&mu);
	int i;
	for (i = 0; i < n_requests; i++)
		if (requests[i].status == status && strcmp(requests[i].route, route) == 0)
			break;
	if (i == n_requests && n_requests < MAX_SERIES)
		requests[n_requests++] = (struct series){route, status, 0};
	if (i < n_requests)
		requests[i].count++;
	size_t b = 0;
	while (b < N_BUCKETS && seconds > buckets[b])
		b++;
	hist[b]++;
	hist_count++;
	hist_sum += seconds;
	pthread_mutex_unlock(&mu);
}

void api_metrics_booking(const json_t *r)
{
	pthread_mutex_lock(&mu);
	if (json_object_get(r, "shipment")) {
		if (json_is_true(json_object_get(r, "replayed"))) {
			replays++;
		} else {
			bookings++;
			fees_cents += json_integer_value(json_object_get(r, "fee_cents"));
		}
	} else if (json_object_get(r, "rejected")) {
		enum ct_reason why = ct_reason_from_name(json_string_value(json_object_get(r, "reason")));
		if (why > 0 && why < CT_REASON_MAX_)
			rejections[why]++;
	}
	pthread_mutex_unlock(&mu);
}

char *api_metrics_text(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	pthread_mutex_lock(&mu);
	fprintf(f, "# HELP chiptoll_http_requests_total HTTP requests by route and status.\n"
		   "# TYPE chiptoll_http_requests_total counter\n");
	for (int i = 0; i < n_requests; i++)
		fprintf(f, "chiptoll_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
			requests[i].route, requests[i].status, requests[i].count);
	fprintf(f, "# HELP chiptoll_http_request_duration_seconds Time from request to response.\n"
		   "# TYPE chiptoll_http_request_duration_seconds histogram\n");
	unsigned long long cum = 0;
	for (size_t b = 0; b < N_BUCKETS; b++) {
		cum += hist[b];
		fprintf(f, "chiptoll_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			buckets[b], cum);
	}
	cum += hist[N_BUCKETS];
	fprintf(f, "chiptoll_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		   "chiptoll_http_request_duration_seconds_sum %.6f\n"
		   "chiptoll_http_request_duration_seconds_count %llu\n", cum, hist_sum, hist_count);
	fprintf(f, "# HELP chiptoll_bookings_total Shipments booked.\n"
		   "# TYPE chiptoll_bookings_total counter\nchiptoll_bookings_total %llu\n"
		   "# HELP chiptoll_booking_replays_total Retries answered from an earlier booking.\n"
		   "# TYPE chiptoll_booking_replays_total counter\n"
		   "chiptoll_booking_replays_total %llu\n"
		   "# HELP chiptoll_rejections_total Shipments rejected, by reason.\n"
		   "# TYPE chiptoll_rejections_total counter\n", bookings, replays);
	for (int r = 1; r < CT_REASON_MAX_; r++)
		if (ct_reason_name(r))
			fprintf(f, "chiptoll_rejections_total{reason=\"%s\"} %llu\n", ct_reason_name(r),
				rejections[r]);
	fprintf(f, "# HELP chiptoll_fees_booked_cents_total Fees booked, in US cents.\n"
		   "# TYPE chiptoll_fees_booked_cents_total counter\n"
		   "chiptoll_fees_booked_cents_total %lld\n", fees_cents);
	pthread_mutex_unlock(&mu);
	fclose(f);
	return buf;
}
