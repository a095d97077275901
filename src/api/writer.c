/* The writer: every write request goes through one thread and one
 * connection. It takes whatever requests are waiting, runs each in a
 * savepoint of one transaction, commits once, and only then answers them
 * all: many clients share each fsync (group commit), and a 2xx is only
 * ever sent for a write that is on disk. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

struct api_writer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct api_job *head, *tail;
	bool stopping;
	pthread_t thread;
	struct ct_ctx ctx;
};

/* The generic Idempotency-Key: a create's key and request hash are kept
 * with its response, in the same transaction as the create. */
static void request_hash(const struct api_job *job, char out[static 65])
{
	char *body = json_dumps(job->call.req, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	const char *parts[] = {job->route->method, job->route->pattern,
			       job->call.param ? job->call.param : "",
			       job->call.action ? job->call.action : "", body ? body : ""};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, 65, h, sizeof h);
	free(body);
}

static void run_with_key(struct api_writer *w, struct api_job *job)
{
	struct api_call *call = &job->call;
	struct ct_err err = {0};
	struct ct_idem_row prior = {0};
	char hash[65];
	request_hash(job, hash);
	if (ct_tx_begin(&w->ctx, &err) != CT_OK) {
		api_problem(call, 500, NULL, err.message);
		return;
	}
	enum ct_rc rc = ct_svc_idem_get(&w->ctx, job->idem_principal, job->idem_key, &prior);
	if (rc == CT_OK) {
		if (strcmp(prior.request_hash, hash) == 0) {
			call->status = prior.status;
			call->resp = json_loads(prior.response, 0, NULL);
			call->problem = prior.status >= 400;
		} else {
			api_problem(call, 409, "idempotency_conflict",
				    "this Idempotency-Key was used with a different request: use a "
				    "new key for a new request");
		}
		free(prior.response);
		ct_tx_commit(&w->ctx, &err);
		return;
	}
	if (rc != CT_ENOTFOUND) {
		ct_tx_rollback(&w->ctx);
		api_problem(call, 500, NULL, ct_store_errmsg(w->ctx.store));
		return;
	}
	job->route->fn(call);
	if (call->status < 500) {
		struct ct_idem_row row = {.status = call->status};
		snprintf(row.key, sizeof row.key, "%s", job->idem_key);
		snprintf(row.principal, sizeof row.principal, "%s", job->idem_principal);
		snprintf(row.route, sizeof row.route, "%s %s", job->route->method, job->route->pattern);
		memcpy(row.request_hash, hash, sizeof hash);
		row.response = json_dumps(call->resp, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = row.response ? ct_svc_idem_put(&w->ctx, &row) : CT_ENOMEM;
		free(row.response);
		if (rc != CT_OK) {
			ct_tx_rollback(&w->ctx);
			json_decref(call->resp);
			call->resp = NULL;
			api_problem(call, 500, NULL, "could not record the Idempotency-Key");
			return;
		}
	}
	if (ct_tx_commit(&w->ctx, &err) != CT_OK) {
		json_decref(call->resp);
		call->resp = NULL;
		api_problem(call, 500, NULL, err.message);
	}
}

static void run_job(struct api_writer *w, struct api_job *job)
{
	job->call.ctx = &w->ctx;
	snprintf(w->ctx.actor, sizeof w->ctx.actor, "%s%s%s", job->call.who->name,
		 job->call.who->party[0] ? "@" : "", job->call.who->party);
	if (job->idem_key[0])
		run_with_key(w, job);
	else
		job->route->fn(&job->call);
}

static void fail_all(struct api_job *jobs, const char *why)
{
	for (struct api_job *j = jobs; j; j = j->next) {
		json_decref(j->call.resp);
		j->call.resp = NULL;
		api_problem(&j->call, 503, NULL, why);
	}
}

static void *writer_main(void *arg)
{
	struct api_writer *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		struct api_job *jobs = w->head;
		w->head = w->tail = NULL;
		bool stop = w->stopping && !jobs;
		pthread_mutex_unlock(&w->mu);
		if (stop)
			break;
		struct ct_err err = {0};
		if (ct_ctx_refresh_policy(&w->ctx, &err) != CT_OK ||
		    ct_tx_begin(&w->ctx, &err) != CT_OK) {
			fail_all(jobs, err.message);
		} else {
			for (struct api_job *j = jobs; j; j = j->next)
				run_job(w, j);
			if (ct_tx_commit(&w->ctx, &err) != CT_OK) {
				/* Nothing of the group is on disk: say so to each. */
				fail_all(jobs, "the write could not be committed; retry with the same "
					       "Idempotency-Key");
				ct_ctx_refresh_policy(&w->ctx, &err);
			}
		}
		for (struct api_job *j = jobs, *next; j; j = next) {
			next = j->next;
			j->done(j, j->done_arg);
		}
	}
	return NULL;
}

struct api_writer *api_writer_start(const char *db, const struct ct_api_options *o,
				    char *errbuf, size_t errlen)
{
	struct api_writer *w = calloc(1, sizeof *w);
	struct ct_err err = {0};
	if (!w) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	if (ct_ctx_open(&w->ctx, db, "api", &err) != CT_OK) {
		snprintf(errbuf, errlen, "%s", err.message);
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(errbuf, errlen, "cannot start the writer thread");
		ct_ctx_close(&w->ctx);
		free(w);
		return NULL;
	}
	return w;
}

bool api_writer_submit(struct api_writer *w, struct api_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&w->mu);
	bool ok = !w->stopping;
	if (ok) {
		if (w->tail)
			w->tail->next = job;
		else
			w->head = job;
		w->tail = job;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return ok;
}

void api_writer_stop(struct api_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	ct_ctx_close(&w->ctx);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	free(w);
}
