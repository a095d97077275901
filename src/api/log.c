/* The request log: one JSON line per request on stderr. Lines gather in
 * one buffer and go out in one write(2) when it fills or every 100 ms,
 * so a busy server does not pay a system call per request, and lines
 * from several threads never interleave. */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "api.h"

#define LOG_BUF (64 * 1024)

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char buf[LOG_BUF];
static size_t used;
static pthread_t flusher;
static atomic_bool running;

static void flush_locked(void)
{
	size_t off = 0;
	while (off < used) {
		ssize_t n = write(2, buf + off, used - off);
		if (n <= 0)
			break; /* stderr is gone: drop rather than block the server */
		off += (size_t)n;
	}
	used = 0;
}

void api_log_line(const char *line, size_t len)
{
	pthread_mutex_lock(&mu);
	if (used + len + 1 > sizeof buf)
		flush_locked();
	if (len + 1 <= sizeof buf) {
		memcpy(buf + used, line, len);
		buf[used + len] = '\n';
		used += len + 1;
	}
	pthread_mutex_unlock(&mu);
}

static void *flush_loop(void *arg)
{
	(void)arg;
	struct timespec tick = {0, 100 * 1000 * 1000};
	while (atomic_load(&running)) {
		nanosleep(&tick, NULL);
		pthread_mutex_lock(&mu);
		flush_locked();
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

void api_log_start(void)
{
	atomic_store(&running, true);
	pthread_create(&flusher, NULL, flush_loop, NULL);
}

void api_log_stop(void)
{
	atomic_store(&running, false);
	pthread_join(flusher, NULL);
	pthread_mutex_lock(&mu);
	flush_locked();
	pthread_mutex_unlock(&mu);
}
