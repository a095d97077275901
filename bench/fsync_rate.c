/* The ceiling of a server that commits each request on its own: how many
 * durable commits per second one thread gets on this disk, measured two
 * ways, each for about SECONDS:
 *
 *   1. write(2) of a ~300-byte record then fdatasync(2), appended to a file;
 *   2. SQLite: one INSERT of a ~300-byte row per transaction, WAL,
 *      synchronous=FULL (the PRAGMAs of src/store/store.c).
 *
 *   fsync_rate DIR [SECONDS]      prints "fdatasync_per_s N" and
 *                                 "sqlite_commit_per_s N", one a line.
 *
 * Without group commit, every durable booking costs at least one such
 * commit, serialized on the single writer: this is the rate to beat. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double raw_rate(const char *dir, double secs)
{
	char path[4096], rec[300];
	snprintf(path, sizeof path, "%s/fsync_rate.log", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	memset(rec, 'x', sizeof rec);
	rec[sizeof rec - 1] = '\n';
	long n = 0;
	double t0 = now(), t;
	do {
		if (write(fd, rec, sizeof rec) != (ssize_t)sizeof rec || fdatasync(fd) != 0) {
			perror("write/fdatasync");
			close(fd);
			return -1;
		}
		n++;
	} while ((t = now() - t0) < secs);
	close(fd);
	unlink(path);
	return (double)n / t;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite: %s: %s\n", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static double sqlite_rate(const char *dir, double secs)
{
	char path[4096], rec[300];
	snprintf(path, sizeof path, "%s/fsync_rate.db", dir);
	unlink(path);
	sqlite3 *db = NULL;
	sqlite3_stmt *ins = NULL;
	double rate = -1;
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    exec(db, "PRAGMA journal_mode=WAL") || exec(db, "PRAGMA synchronous=FULL") ||
	    exec(db, "PRAGMA cache_size=-16000") ||
	    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)") ||
	    sqlite3_prepare_v2(db, "INSERT INTO t (body) VALUES (?)", -1, &ins, NULL) != SQLITE_OK)
		goto done;
	memset(rec, 'x', sizeof rec - 1);
	rec[sizeof rec - 1] = '\0';
	long n = 0;
	double t0 = now(), t;
	do {
		if (exec(db, "BEGIN IMMEDIATE"))
			goto done;
		sqlite3_bind_text(ins, 1, rec, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "sqlite insert: %s\n", sqlite3_errmsg(db));
			goto done;
		}
		sqlite3_reset(ins);
		if (exec(db, "COMMIT"))
			goto done;
		n++;
	} while ((t = now() - t0) < secs);
	rate = (double)n / t;
done:
	sqlite3_finalize(ins);
	sqlite3_close(db);
	char side[4200];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return rate;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fsync_rate DIR [SECONDS]\n");
		return 2;
	}
	double secs = argc == 3 ? atof(argv[2]) : 5.0;
	if (secs <= 0)
		secs = 5.0;
	double raw = raw_rate(argv[1], secs);
	double lite = sqlite_rate(argv[1], secs);
	if (raw < 0 || lite < 0)
		return 1;
	printf("fdatasync_per_s %.0f\nsqlite_commit_per_s %.0f\n", raw, lite);
	return 0;
}
