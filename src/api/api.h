/* chiptoll serve: the HTTP JSON API. Interfaces only parse, call a
 * service and render; every operation is the same service function the
 * CLI calls. */
#ifndef CT_API_H
#define CT_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "chiptoll/access.h"
#include "chiptoll/service.h"

struct ct_api_options {
	const char *db;
	const char *host;          /* "127.0.0.1" */
	unsigned port;             /* 8080; 0 picks a free port */
	unsigned threads;          /* worker threads for reads */
	size_t max_body;           /* bytes, default 1 MiB */
	size_t max_batch_body;     /* bytes for a batch of shipments, default 32 MiB */
	size_t max_elements;       /* JSON values in one body */
	unsigned max_depth;        /* JSON nesting in one body */
	size_t max_batch;          /* shipments in one batch request */
	unsigned timeout_s;        /* idle connection timeout */
	unsigned max_connections;
	size_t max_header;         /* bytes of request line and headers */
	const char *port_file;     /* if set, the bound port is written there */
};

void ct_api_default_options(struct ct_api_options *o);
/* Serves until SIGTERM or SIGINT; returns the process exit code. */
int ct_api_serve(const struct ct_api_options *o);

/* ---- shared by the api files ---- */

enum route_kind { ROUTE_READ, ROUTE_WRITE, ROUTE_OPEN };

/* One call of a route: what the handler gets and fills. */
struct api_call {
	struct ct_ctx *ctx;            /* the reader's or the writer's */
	const struct ct_principal *who;
	json_t *req;                   /* body (writes) or query arguments (reads) */
	const char *param;             /* the {id} of the path, or NULL */
	const char *action;            /* the {action} of the path, or NULL */
	const struct ct_api_options *opt;
	/* result */
	int status;
	json_t *resp;                  /* JSON body, or a problem (see api_problem) */
	char *resp_text;               /* or the body as JSON text already (owned) */
	bool problem;
};

typedef void (*route_fn)(struct api_call *call);

struct route {
	const char *method;
	const char *pattern;           /* "/v1/licenses/{id}/{action}" */
	enum route_kind kind;
	unsigned roles;                /* bit per ct_access_role */
	route_fn fn;
	bool own_key;                  /* takes Idempotency-Key as the body's "key" */
	bool policy;                   /* reads judge by the policy in force */
};

extern const struct route ct_api_routes[];

/* Matches method and path; NULL when none. *param and *action get the
 * path's {id} and {action}, copied into the buffers. *path_known says
 * whether the path exists under another method (405). */
const struct route *ct_api_match(const char *method, const char *path,
				 char param[static 128], char action[static 32], bool *path_known);

/* Sets a problem response (RFC 9457). code is a reason code or NULL. */
void api_problem(struct api_call *call, int status, const char *code, const char *detail);
/* Maps a service result onto the call: 2xx with the object, or a problem.
 * Takes *out (a pointer, so the call may set it in the same expression:
 * argument evaluation order is unspecified) and sets it NULL. */
void api_result(struct api_call *call, enum ct_rc rc, json_t **out, const struct ct_err *err,
		int ok_status);

/* ---- the writer: one thread, one connection, group commit ---- */
struct api_writer;
struct api_job {
	struct api_call call;
	const struct route *route;
	char idem_key[CT_KEY_MAX];     /* generic Idempotency-Key, "" none */
	char idem_principal[CT_NAME_MAX + CT_ID_MAX];
	char route_name[CT_NAME_MAX];
	void (*done)(struct api_job *job, void *arg);
	void *done_arg;
	struct api_job *next;
};
struct api_writer *api_writer_start(const char *db, const struct ct_api_options *o,
				    char *err, size_t errlen);
/* Queues a job; job->done runs on the writer thread after the commit. */
bool api_writer_submit(struct api_writer *w, struct api_job *job);
/* Finishes what is queued, then stops. */
void api_writer_stop(struct api_writer *w);

/* ---- the request log (log.c) ---- */
void api_log_start(void);
void api_log_line(const char *line, size_t len);   /* without the newline */
void api_log_stop(void);                            /* flushes */

/* ---- metrics ---- */
void api_metrics_request(const char *route, int status, double seconds);
void api_metrics_booking(const json_t *result);
char *api_metrics_text(void);          /* Prometheus text; caller frees */

#endif
