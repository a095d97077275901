/* The HTTP server on GNU libmicrohttpd: a pool of threads answers reads,
 * each with its own SQLite connection; writes are handed to the writer
 * (writer.c) and their connections suspended until it has committed. */
#include <errno.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

struct server {
	const struct ct_api_options *opt;
	struct MHD_Daemon *daemon;
	struct api_writer *writer;
	atomic_bool stopping;
	atomic_int in_flight;
};

/* One request, from its first byte to its log line. */
/* Bytes of a refused body read and discarded before answering. */
#define DRAIN_MAX (64ull << 20)

struct request {
	struct server *srv;
	unsigned long long drained; /* body bytes received so far */
	size_t max_body;            /* this route's body limit */
	struct MHD_Connection *conn;
	const struct route *route;
	char method[8];
	char path[256];
	char param[128], action[32];
	char *body;
	size_t len, cap;
	int early_status;           /* set while reading: 413, 415, 503 */
	char early_detail[200];
	struct timespec start;
	struct ct_principal who;
	bool authed;
	struct api_job *job;        /* a write handed to the writer */
	int status;
};

void ct_api_default_options(struct ct_api_options *o)
{
	memset(o, 0, sizeof *o);
	o->host = "127.0.0.1";
	o->port = 8080;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	o->threads = n > 0 ? (unsigned)n : 2;
	o->max_body = 1u << 20;
	/* 10,000 shipments with eight serials each are about 3 MB. */
	o->max_batch_body = 32u << 20;
	o->max_elements = 200000;
	o->max_depth = CT_JSON_DEPTH_MAX;
	o->max_batch = 10000;
	o->timeout_s = 30;
	o->max_connections = 1024;
	o->max_header = 16384;
}

/* ---- responses ---- */

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad input";
	case 401: return "Missing or bad token";
	case 403: return "Role not allowed";
	case 404: return "Not found";
	case 405: return "Method not allowed";
	case 409: return "Conflict";
	case 413: return "Too large";
	case 415: return "Unsupported media type";
	case 422: return "Rejected by a rule";
	case 503: return "Unavailable";
	default: return status >= 500 ? "Internal error" : "Error";
	}
}

void api_problem(struct api_call *call, int status, const char *code, const char *detail)
{
	char type[96];
	snprintf(type, sizeof type, "urn:chiptoll:problem:%s", code ? code : status_title(status));
	for (char *p = type; *p; p++)
		if (*p == ' ')
			*p = '-';
	json_decref(call->resp);
	call->resp = json_pack("{s:s, s:s, s:i, s:s}", "type", type, "title", status_title(status),
			       "status", status, "detail", detail ? detail : "");
	if (code)
		json_object_set_new(call->resp, "code", json_string(code));
	call->status = status;
	call->problem = true;
}

void api_result(struct api_call *call, enum ct_rc rc, json_t **outp, const struct ct_err *err,
		int ok_status)
{
	json_t *out = outp ? *outp : NULL;
	if (outp)
		*outp = NULL;
	if (rc == CT_OK) {
		call->status = ok_status;
		call->resp = out;
		call->problem = false;
		return;
	}
	int status = rc == CT_REJECTED ? 422 : rc == CT_EINVAL ? 400 : rc == CT_ENOTFOUND ? 404
		     : rc == CT_ECONFLICT ? 409 : 500;
	const char *code = err->reason ? ct_reason_name(err->reason) : NULL;
	api_problem(call, status, code, err->message);
	if (err->field[0])
		json_object_set_new(call->resp, "field", json_string(err->field));
	/* A rejection keeps what the CLI prints beside the problem members
	 * (the denied license's id and every reason, for instance). */
	const char *k;
	json_t *v;
	json_object_foreach(out, k, v)
		if (!json_object_get(call->resp, k))
			json_object_set(call->resp, k, v);
	json_decref(out);
}

static enum MHD_Result send_raw(struct request *rq, int status, char *text, const char *type);

static enum MHD_Result send_json(struct request *rq, int status, json_t *body, bool problem)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
	if (!text)
		return MHD_NO;
	return send_raw(rq, status, text, problem ? "application/problem+json" : "application/json");
}

/* Sends text (malloc'ed; freed here) as the body. */
static enum MHD_Result send_raw(struct request *rq, int status, char *text, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text,
								 MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	rq->status = status;
	enum MHD_Result ret = MHD_queue_response(rq->conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result send_call(struct request *rq, struct api_call *call)
{
	if (call->resp_text) {
		char *text = call->resp_text;
		call->resp_text = NULL;
		return send_raw(rq, call->status, text, "application/json");
	}
	if (!call->resp)
		api_problem(call, 500, NULL, "no response");
	return send_json(rq, call->status, call->resp, call->problem);
}

static enum MHD_Result send_problem(struct request *rq, int status, const char *code,
				    const char *detail)
{
	struct api_call call = {0};
	api_problem(&call, status, code, detail);
	enum MHD_Result ret = send_call(rq, &call);
	json_decref(call.resp);
	return ret;
}


/* ---- per-thread reader connections ---- */

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void close_reader(void *p)
{
	ct_ctx_close(p);
	free(p);
}

static void make_reader_key(void)
{
	pthread_key_create(&reader_key, close_reader);
}

/* This thread's read connection, opened on first use. */
static struct ct_ctx *reader_ctx(struct server *s, struct ct_err *err)
{
	pthread_once(&reader_once, make_reader_key);
	struct ct_ctx *c = pthread_getspecific(reader_key);
	if (c)
		return c;
	c = calloc(1, sizeof *c);
	if (!c || ct_ctx_open(c, s->opt->db, "api-reader", err) != CT_OK) {
		free(c);
		return NULL;
	}
	pthread_setspecific(reader_key, c);
	return c;
}

/* ---- building the request object ---- */

struct query_walk {
	json_t *obj;
	bool bad;
};

static enum MHD_Result add_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *value)
{
	struct query_walk *q = cls;
	json_t *v = json_string(value ? value : "");
	if (!v || !key || json_object_get(q->obj, key)) {
		json_decref(v);
		q->bad = true;
		return MHD_NO;
	}
	json_object_set_new(q->obj, key, v);
	return MHD_YES;
}

/* Counts values and depth so a hostile body cannot make us walk forever. */
static bool json_within(const json_t *v, unsigned depth, unsigned max_depth, size_t *budget)
{
	if (depth > max_depth || *budget == 0)
		return false;
	(*budget)--;
	const char *k;
	json_t *x;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, x)
			if (!json_within(x, depth + 1, max_depth, budget))
				return false;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (!json_within(x, depth + 1, max_depth, budget))
				return false;
	}
	return true;
}

static bool build_request(struct request *rq, struct api_call *call, char *detail, size_t dlen,
			  int *status)
{
	*status = 400;
	if (strcmp(rq->method, "GET") == 0) {
		struct query_walk q = {json_object(), false};
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, add_query_arg, &q);
		if (q.bad) {
			json_decref(q.obj);
			snprintf(detail, dlen, "query: each argument once, as UTF-8");
			return false;
		}
		call->req = q.obj;
		return true;
	}
	if (rq->len == 0) {
		call->req = json_object();
		return true;
	}
	json_error_t jerr;
	call->req = json_loadb(rq->body, rq->len, JSON_REJECT_DUPLICATES, &jerr);
	if (!call->req) {
		snprintf(detail, dlen, "body: not valid JSON: %s (line %d, column %d)", jerr.text,
			 jerr.line, jerr.column);
		return false;
	}
	size_t budget = rq->srv->opt->max_elements;
	if (!json_is_object(call->req) || !json_within(call->req, 1, rq->srv->opt->max_depth, &budget)) {
		if (json_is_object(call->req))
			snprintf(detail, dlen, "body: nested deeper than %u levels (--max-depth) or "
				 "more than %zu values (--max-elements)", rq->srv->opt->max_depth,
				 rq->srv->opt->max_elements);
		else
			snprintf(detail, dlen, "body: must be a JSON object");
		if (json_is_object(call->req))
			*status = 413;
		json_decref(call->req);
		call->req = NULL;
		return false;
	}
	return true;
}

static bool authenticate(struct ct_ctx *c, struct request *rq)
{
	const char *h = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return false;
	return ct_svc_authenticate(c, h + 7, &rq->who) == CT_OK;
}

/* ---- writes ---- */

static void write_done(struct api_job *job, void *arg)
{
	struct request *rq = arg;
	MHD_resume_connection(rq->conn);
	(void)job;
}

static enum MHD_Result submit_write(struct server *s, struct request *rq, struct api_call *call)
{
	const char *key = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Idempotency-Key");
	struct api_job *job = calloc(1, sizeof *job);
	if (!job) {
		json_decref(call->req);
		return send_problem(rq, 500, NULL, "out of memory");
	}
	job->call = *call;
	job->route = rq->route;
	job->done = write_done;
	job->done_arg = rq;
	if (key) {
		size_t n = strlen(key);
		if (n == 0 || n >= CT_KEY_MAX || strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:") != n) {
			json_decref(call->req);
			free(job);
			return send_problem(rq, 400, NULL, "Idempotency-Key: 1 to 127 letters, digits "
					    "or -_.: characters");
		}
		if (rq->route->own_key) {
			/* The route keeps its own key: the header is the body's "key". */
			const char *body_key = json_string_value(json_object_get(call->req, "key"));
			if (body_key && strcmp(body_key, key) != 0) {
				json_decref(call->req);
				free(job);
				return send_problem(rq, 400, NULL, "key: differs from the "
						    "Idempotency-Key header");
			}
			json_object_set_new(call->req, "key", json_string(key));
			job->call.req = call->req;
		} else {
			snprintf(job->idem_key, sizeof job->idem_key, "%s", key);
			snprintf(job->idem_principal, sizeof job->idem_principal, "token:%lld",
				 rq->who.token_id);
		}
	}
	rq->job = job;
	MHD_suspend_connection(rq->conn);
	if (!api_writer_submit(s->writer, job)) {
		MHD_resume_connection(rq->conn);
		api_problem(&job->call, 503, NULL, "the server is shutting down");
	}
	return MHD_YES;
}

/* ---- the request cycle ---- */

static enum MHD_Result dispatch(struct server *s, struct request *rq)
{
	if (rq->early_status)
		return send_problem(rq, rq->early_status, NULL, rq->early_detail);
	if (!rq->route) {
		bool known = false;
		char p[128], a[32];
		ct_api_match(rq->method, rq->path, p, a, &known);
		return send_problem(rq, known ? 405 : 404, NULL,
				    known ? "this path takes another method" : "no such route");
	}
	if (rq->route->kind == ROUTE_OPEN) {
		if (!rq->route->fn) {
			char *text = api_metrics_text();
			return text ? send_raw(rq, 200, text, "text/plain; version=0.0.4") : MHD_NO;
		}
		struct api_call call = {0};
		rq->route->fn(&call);
		enum MHD_Result ret = send_call(rq, &call);
		json_decref(call.resp);
		return ret;
	}
	/* Everything a request reads (its token, the policy version, the
	 * rows) comes from one snapshot: one read transaction, one WAL lock. */
	struct ct_err err = {0};
	struct ct_ctx *c = reader_ctx(s, &err);
	if (!c || ct_tx_read_begin(c, &err) != CT_OK)
		return send_problem(rq, 503, NULL, err.message[0] ? err.message : "no database");
	/* Routes that judge by the policy first pick up a version another
	 * process may have loaded (the writer does so per group). */
	if (rq->route->policy && ct_ctx_refresh_policy(c, &err) != CT_OK) {
		ct_tx_read_end(c);
		return send_problem(rq, 503, NULL, err.message);
	}
	enum MHD_Result ret;
	if (!authenticate(c, rq)) {
		ct_tx_read_end(c);
		return send_problem(rq, 401, NULL, "send Authorization: Bearer TOKEN with a valid "
				    "token (chiptoll token create)");
	}
	rq->authed = true;
	if (!(rq->route->roles & (1u << rq->who.role))) {
		ct_tx_read_end(c);
		return send_problem(rq, 403, NULL, "this role may not use this route");
	}
	struct api_call call = {.who = &rq->who, .opt = s->opt,
				.param = rq->param[0] ? rq->param : NULL,
				.action = rq->action[0] ? rq->action : NULL};
	char detail[300];
	int status;
	if (!build_request(rq, &call, detail, sizeof detail, &status)) {
		ct_tx_read_end(c);
		return send_problem(rq, status, NULL, detail);
	}
	if (rq->route->kind == ROUTE_WRITE) {
		ct_tx_read_end(c);
		return submit_write(s, rq, &call);
	}
	call.ctx = c;
	rq->route->fn(&call);
	ct_tx_read_end(c);
	ret = send_call(rq, &call);
	json_decref(call.resp);
	json_decref(call.req);
	return ret;
}

static bool is_json(const char *type)
{
	if (!type)
		return false;
	size_t n = strcspn(type, ";");
	while (n && type[n - 1] == ' ')
		n--;
	return n == 16 && strncasecmp(type, "application/json", 16) == 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	struct server *s = cls;
	struct request *rq = *con_cls;
	if (!rq) {
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		rq->srv = s;
		rq->conn = conn;
		clock_gettime(CLOCK_MONOTONIC, &rq->start);
		snprintf(rq->method, sizeof rq->method, "%s", method);
		snprintf(rq->path, sizeof rq->path, "%s", url);
		atomic_fetch_add(&s->in_flight, 1);
		*con_cls = rq;
		bool known;
		if (strlen(url) < sizeof rq->path)
			rq->route = ct_api_match(method, url, rq->param, rq->action, &known);
		rq->max_body = rq->route && strcmp(rq->route->pattern, "/v1/shipments/batch") == 0
			       ? s->opt->max_batch_body : s->opt->max_body;
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
		if (atomic_load(&s->stopping)) {
			rq->early_status = 503;
			snprintf(rq->early_detail, sizeof rq->early_detail, "the server is shutting down");
		} else if (cl && strtoull(cl, NULL, 10) > rq->max_body) {
			rq->early_status = 413;
			snprintf(rq->early_detail, sizeof rq->early_detail,
				 "body larger than %zu bytes", rq->max_body);
		} else if (strcmp(method, "POST") == 0 && cl && strcmp(cl, "0") != 0 && !is_json(type)) {
			rq->early_status = 415;
			snprintf(rq->early_detail, sizeof rq->early_detail,
				 "send the body as Content-Type: application/json");
		}
		/* A refusal is answered before the body is read (no 100
		 * Continue), except a moderately oversized body, which is read
		 * and thrown away first: many clients cannot read a reply while
		 * they are still sending. */
		unsigned long long length = cl ? strtoull(cl, NULL, 10) : 0;
		bool drain = rq->early_status == 413 && length <= DRAIN_MAX;
		if (rq->early_status && !drain)
			return send_problem(rq, rq->early_status, NULL, rq->early_detail);
		return MHD_YES;
	}
	if (*upload_size) {
		rq->drained += *upload_size;
		if (rq->drained > DRAIN_MAX)
			return MHD_NO; /* a body without end: drop the connection */
		if (!rq->early_status) {
			if (rq->len + *upload_size > rq->max_body) {
				rq->early_status = 413;
				snprintf(rq->early_detail, sizeof rq->early_detail,
					 "body larger than %zu bytes", rq->max_body);
				free(rq->body);
				rq->body = NULL;
				rq->len = 0;
			} else {
				if (rq->len + *upload_size > rq->cap) {
					size_t cap = rq->cap ? rq->cap : 4096;
					while (cap < rq->len + *upload_size)
						cap *= 2;
					char *nb = realloc(rq->body, cap);
					if (!nb)
						return MHD_NO;
					rq->body = nb;
					rq->cap = cap;
				}
				memcpy(rq->body + rq->len, upload, *upload_size);
				rq->len += *upload_size;
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->job)
		return send_call(rq, &rq->job->call);
	return dispatch(s, rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct server *s = cls;
	struct request *rq = *con_cls;
	if (!rq)
		return;
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	double secs = (double)(end.tv_sec - rq->start.tv_sec) +
		      (double)(end.tv_nsec - rq->start.tv_nsec) / 1e9;
	const char *route = rq->route ? rq->route->pattern : "(none)";
	api_metrics_request(route, rq->status, secs);
	/* One JSON line per request (log.c batches the writes). */
	char ts[32], line[1024];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *log = json_pack("{s:s, s:s, s:s, s:s, s:i, s:f}", "time", ts, "method", rq->method,
				"route", route, "path", rq->path, "status", rq->status,
				"duration_ms", secs * 1000.0);
	if (rq->authed)
		json_object_set_new(log, "actor", json_sprintf("%s%s%s", rq->who.name,
			rq->who.party[0] ? "@" : "", rq->who.party));
	if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK)
		json_object_set_new(log, "aborted", json_true());
	int n = json_dumpb(log, line, sizeof line - 1, JSON_COMPACT | JSON_PRESERVE_ORDER |
			   JSON_REAL_PRECISION(6));
	json_decref(log);
	if (n > 0 && (size_t)n < sizeof line)
		api_log_line(line, (size_t)n);
	if (rq->job) {
		json_decref(rq->job->call.resp);
		json_decref(rq->job->call.req);
		free(rq->job);
	}
	free(rq->body);
	free(rq);
	*con_cls = NULL;
	atomic_fetch_sub(&s->in_flight, 1);
	(void)conn;
}

/* ---- start and stop ---- */

static void write_port_file(const char *path, unsigned port)
{
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "%u\n", port);
	fclose(f);
	rename(tmp, path);
}

int ct_api_serve(const struct ct_api_options *o)
{
	struct server s = {.opt = o};
	char err[512];
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
	if (inet_pton(AF_INET, o->host, &addr.sin_addr) != 1) {
		fprintf(stderr, "chiptoll serve: --listen: '%s' is not an IPv4 address\n", o->host);
		return 2;
	}
	/* Workers must not take the stop signals: the main thread waits for
	 * them and shuts down in order. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	api_log_start();
	s.writer = api_writer_start(o->db, o, err, sizeof err);
	if (!s.writer) {
		fprintf(stderr, "chiptoll serve: %s\n", err);
		api_log_stop();
		return 5;
	}
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	s.daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, &s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 1),
		MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
		MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(o->max_header + 16384),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, &s,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
		MHD_OPTION_END);
	if (!s.daemon) {
		fprintf(stderr, "chiptoll serve: cannot listen on %s:%u: %s\n", o->host, o->port,
			strerror(errno));
		api_writer_stop(s.writer);
		api_log_stop();
		return 5;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s.daemon, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : o->port;
	if (o->port_file)
		write_port_file(o->port_file, port);
	fprintf(stderr, "chiptoll serve: listening on http://%s:%u (database %s, %u threads)\n",
		o->host, port, o->db, o->threads);

	int sig = 0;
	sigwait(&stop, &sig);
	/* Stop accepting, answer what is in flight, then stop. */
	atomic_store(&s.stopping, true);
	MHD_quiesce_daemon(s.daemon);
	for (int i = 0; i < 200 && atomic_load(&s.in_flight) > 0; i++)
		usleep(50000);
	MHD_stop_daemon(s.daemon);
	api_writer_stop(s.writer);
	api_log_stop();
	fprintf(stderr, "chiptoll serve: stopped (signal %d)\n", sig);
	return 0;
}
