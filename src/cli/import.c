/* chiptoll import shipments FILE: JSON Lines, booked in groups that share
 * one transaction (and so one fsync), each line accepted or rejected on
 * its own. A malformed line is reported and the rest go on. Memory stays
 * bounded by the group size, whatever the file size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chiptoll/limits.h"
#include "cli.h"

#define IMPORT_GROUP 1000

struct import {
	struct cli *cli;
	json_t *reqs[IMPORT_GROUP];
	long lines[IMPORT_GROUP];
	size_t n;
	long accepted, total;
	json_t *rejected;       /* code -> count */
	json_t *errors;         /* [{"line", "message"}] */
	bool progress;
	long size, done_bytes;
};

static void add_error(struct import *im, long line, const char *message)
{
	if (json_array_size(im->errors) < 1000)
		json_array_append_new(im->errors, json_pack("{s:i, s:s}", "line", (int)line,
							    "message", message));
}

static void count_reject(struct import *im, const char *code)
{
	json_t *n = json_object_get(im->rejected, code);
	json_object_set_new(im->rejected, code, json_integer(n ? json_integer_value(n) + 1 : 1));
}

static int flush_group(struct import *im, struct ct_err *err)
{
	json_t *results[IMPORT_GROUP];
	enum ct_rc rc = ct_svc_ship_batch(&im->cli->ctx, im->reqs, im->n, results, err);
	if (rc != CT_OK)
		return ct_rc_exit_code(rc);
	for (size_t i = 0; i < im->n; i++) {
		json_t *r = results[i];
		if (json_object_get(r, "shipment"))
			im->accepted++;
		else if (json_object_get(r, "rejected"))
			count_reject(im, json_string_value(json_object_get(r, "reason")));
		else
			add_error(im, im->lines[i], json_string_value(json_object_get(r, "error")));
		json_decref(r);
		json_decref(im->reqs[i]);
	}
	im->n = 0;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "line"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "line"));
	return (x > y) - (x < y);
}

/* Malformed lines are reported as they are read, bad fields when their
 * group is booked: put the report back in line order. */
static void sort_errors(json_t *errors)
{
	size_t n = json_array_size(errors);
	json_t **items = malloc((n ? n : 1) * sizeof *items);
	if (!items)
		return;
	for (size_t i = 0; i < n; i++)
		items[i] = json_incref(json_array_get(errors, i));
	qsort(items, n, sizeof *items, by_line);
	json_array_clear(errors);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(errors, items[i]);
	free(items);
}

static void show_progress(const struct import *im)
{
	if (!im->progress || im->size <= 0)
		return;
	int pct = (int)(100.0 * (double)im->done_bytes / (double)im->size);
	int bar = pct / 4;
	fprintf(stderr, "\r[%-25.*s] %3d%%  %ld lines", bar, "#########################", pct,
		im->total);
}

int ct_cli_import_shipments(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	json_decref(req);
	int code = ct_cli_open(cli);
	if (code)
		return code;
	FILE *f = strcmp(pos[0], "-") == 0 ? stdin : fopen(pos[0], "rb");
	struct ct_err err = {0};
	if (!f) {
		char msg[512];
		bool missing = errno == ENOENT;
		snprintf(msg, sizeof msg, "cannot open %s: %s", pos[0], strerror(errno));
		enum ct_rc rc = ct_err_set_cli(&err, msg);
		return ct_cli_finish(cli, missing ? CT_ENOTFOUND : rc, NULL, &err);
	}
	struct import im = {.cli = cli, .rejected = json_object(), .errors = json_array(),
			    .progress = isatty(2)};
	if (f != stdin && fseek(f, 0, SEEK_END) == 0) {
		im.size = ftell(f);
		rewind(f);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		im.done_bytes += len;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		im.total++;
		if ((size_t)len > CT_LINE_MAX) {
			add_error(&im, lineno, "line longer than the 4 MiB limit");
			continue;
		}
		json_error_t jerr;
		json_t *obj = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
		if (!obj || !json_is_object(obj)) {
			char msg[300];
			snprintf(msg, sizeof msg, "not a JSON object: %s", obj ? "wrong type" : jerr.text);
			add_error(&im, lineno, msg);
			json_decref(obj);
			continue;
		}
		if (ct_cli_json_depth(obj) > CT_JSON_DEPTH_MAX) {
			add_error(&im, lineno, "JSON nested too deeply");
			json_decref(obj);
			continue;
		}
		im.reqs[im.n] = obj;
		im.lines[im.n++] = lineno;
		if (im.n == IMPORT_GROUP) {
			if ((code = flush_group(&im, &err)) != 0)
				goto failed;
			show_progress(&im);
		}
	}
	if (im.n && (code = flush_group(&im, &err)) != 0)
		goto failed;
	show_progress(&im);
	if (im.progress)
		fputc('\n', stderr);
	free(line);
	if (f != stdin)
		fclose(f);
	sort_errors(im.errors);
	json_t *out = json_pack("{s:I, s:O, s:O}", "accepted", (json_int_t)im.accepted, "rejected",
				im.rejected, "errors", im.errors);
	json_object_set_new(out, "lines", json_integer(im.total));
	json_decref(im.rejected);
	json_decref(im.errors);
	return ct_cli_finish(cli, CT_OK, out, &err);
failed:
	for (size_t i = 0; i < im.n; i++)
		json_decref(im.reqs[i]);
	free(line);
	if (f != stdin)
		fclose(f);
	json_decref(im.rejected);
	json_decref(im.errors);
	fprintf(stderr, "chiptoll import: stopped at line %ld; %ld shipments before this group were "
		"committed\n", lineno, im.accepted);
	return ct_cli_finish(cli, CT_EIO, NULL, &err);
}
