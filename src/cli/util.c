/* Flag parsing, file reading and output shared by every command. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chiptoll/limits.h"
#include "cli.h"

void ct_cli_usage(const struct command *cmd, FILE *to)
{
	fprintf(to, "usage: chiptoll %s %s\n  %s\n", cmd->name, cmd->usage, cmd->summary);
	fprintf(to, "global options: --db PATH  --json  --actor NAME\n");
}

json_t *ct_cli_parse(const struct command *cmd, int argc, char **argv, const char **pos)
{
	json_t *req = json_object();
	int npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || strcmp(a, "-") == 0) {
			if (npos >= cmd->positionals) {
				fprintf(stderr, "chiptoll %s: unexpected argument '%s'\n", cmd->name, a);
				goto bad;
			}
			pos[npos++] = a;
			continue;
		}
		const struct flag *f = cmd->flags;
		while (f && f->name && strcmp(f->name, a) != 0)
			f++;
		if (!f || !f->name) {
			fprintf(stderr, "chiptoll %s: unknown option '%s'\n", cmd->name, a);
			goto bad;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "chiptoll %s: %s needs a value\n", cmd->name, a);
			goto bad;
		}
		if (json_object_get(req, f->field)) {
			fprintf(stderr, "chiptoll %s: %s given twice\n", cmd->name, a);
			goto bad;
		}
		json_t *v = json_string(argv[++i]);
		if (!v) {
			fprintf(stderr, "chiptoll %s: %s: not valid UTF-8\n", cmd->name, a);
			goto bad;
		}
		json_object_set_new(req, f->field, v);
	}
	if (npos != cmd->positionals) {
		fprintf(stderr, "chiptoll %s: expected %d argument%s\n", cmd->name, cmd->positionals,
			cmd->positionals == 1 ? "" : "s");
		goto bad;
	}
	return req;
bad:
	ct_cli_usage(cmd, stderr);
	json_decref(req);
	return NULL;
}

int ct_cli_open(struct cli *cli)
{
	if (cli->open)
		return 0;
	struct ct_err err = {0};
	enum ct_rc rc = ct_ctx_open(&cli->ctx, cli->db, cli->actor, &err);
	if (rc != CT_OK)
		return ct_cli_finish(cli, rc, NULL, &err);
	cli->open = true;
	return 0;
}

int ct_cli_finish(struct cli *cli, enum ct_rc rc, json_t *out, const struct ct_err *err)
{
	if (rc == CT_OK) {
		if (cli->json) {
			json_dumpf(out, stdout, CT_CLI_JSON_FLAGS);
			fputc('\n', stdout);
		} else {
			ct_cli_render(out, stdout);
		}
	} else if (rc == CT_REJECTED) {
		if (cli->json && out) {
			json_dumpf(out, stdout, CT_CLI_JSON_FLAGS);
			fputc('\n', stdout);
		} else if (out) {
			ct_cli_render(out, stdout);
		}
		if (err->reason)
			fprintf(stderr, "rejected: %s: %s\n", ct_reason_name(err->reason), err->message);
		else
			fprintf(stderr, "chiptoll: %s\n", err->message);
	} else {
		const char *code = err->reason ? ct_reason_name(err->reason) : ct_rc_name(rc);
		if (cli->json) {
			json_t *e = json_pack("{s:s, s:s}", "error", err->message, "code", code);
			if (err->field[0])
				json_object_set_new(e, "field", json_string(err->field));
			json_dumpf(e, stdout, CT_CLI_JSON_FLAGS);
			fputc('\n', stdout);
			json_decref(e);
		}
		fprintf(stderr, "chiptoll: %s: %s\n", code, err->message);
	}
	json_decref(out);
	fflush(stdout);
	return ct_rc_exit_code(rc);
}

char *ct_cli_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n > max) {
			snprintf(err, errlen, "%s is larger than %zu bytes", path, max);
			errno = EFBIG;
			free(buf);
			buf = NULL;
			break;
		}
		if (got == 0) {
			if (ferror(f)) {
				snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
				free(buf);
				buf = NULL;
			}
			break;
		}
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf && !err[0])
		snprintf(err, errlen, "out of memory reading %s", path);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

json_t *ct_cli_read_serials(const char *path, char *err, size_t errlen)
{
	size_t len = 0;
	err[0] = '\0';
	char *text = ct_cli_read_file(path, (size_t)CT_SERIALS_MAX * (CT_SERIAL_MAX + 2), &len,
				      err, errlen);
	if (!text)
		return NULL;
	json_t *a = json_array();
	char *save = NULL;
	for (char *line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		while (*line == ' ' || *line == '\t')
			line++;
		size_t n = strlen(line);
		while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		if (!n)
			continue;
		json_t *s = json_stringn(line, n);
		if (!s) {
			snprintf(err, errlen, "%s: a serial is not valid UTF-8", path);
			json_decref(a);
			a = NULL;
			break;
		}
		json_array_append_new(a, s);
	}
	free(text);
	return a;
}

int ct_cli_json_depth(const json_t *v)
{
	int deepest = 0;
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach((json_t *)v, k, x) {
			int d = ct_cli_json_depth(x);
			deepest = d > deepest ? d : deepest;
		}
		return deepest + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			int d = ct_cli_json_depth(x);
			deepest = d > deepest ? d : deepest;
		}
		return deepest + 1;
	}
	return 0;
}

enum ct_rc ct_err_set_cli(struct ct_err *err, const char *message)
{
	bool missing = errno == ENOENT;
	err->reason = CT_REASON_NONE;
	err->field[0] = '\0';
	snprintf(err->message, sizeof err->message, "%s", message);
	return missing ? CT_ENOTFOUND : CT_EINVAL;
}
