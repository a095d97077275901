/* Every chiptoll command: its flags, its usage line and the service call
 * it makes. Flags map one-to-one onto request fields, the same names the
 * HTTP API takes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chiptoll/limits.h"
#include "cli.h"

#ifndef CT_DATA_DIR
#define CT_DATA_DIR "data"
#endif

/* Parses the command line and opens the database: 0, or the exit code
 * to stop with. On 0, *req holds the flags (caller frees). */
static int begin(struct cli *cli, const struct command *cmd, int argc, char **argv,
		 const char **pos, json_t **req)
{
	*req = ct_cli_parse(cmd, argc, argv, pos);
	if (!*req)
		return 2;
	int code = ct_cli_open(cli);
	if (code) {
		json_decref(*req);
		*req = NULL;
	}
	return code;
}

static bool parse_id(const char *s, int64_t *id)
{
	char *end = NULL;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return false;
	*id = strtoll(s, &end, 10);
	return *id > 0;
}

static int bad_id(const struct command *cmd, const char *s)
{
	fprintf(stderr, "chiptoll %s: '%s' is not an id (a positive whole number)\n", cmd->name, s);
	return 2;
}

/* ---- init and policy ---- */

static char *data_file(const char *name, char *path, size_t size)
{
	const char *dir = getenv("CHIPTOLL_DATA");
	snprintf(path, size, "%s/%s", dir && *dir ? dir : CT_DATA_DIR, name);
	return path;
}

static int cmd_init(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	char pdef[1024], cdef[1024], msg[512] = "";
	const char *ppath = json_string_value(json_object_get(req, "policy"));
	const char *cpath = json_string_value(json_object_get(req, "catalog"));
	if (!ppath)
		ppath = data_file("policy/chiptoll-policy-2026-01-15.json", pdef, sizeof pdef);
	if (!cpath)
		cpath = data_file("products.csv", cdef, sizeof cdef);
	size_t plen = 0, clen = 0;
	char *ptext = ct_cli_read_file(ppath, CT_POLICY_FILE_MAX, &plen, msg, sizeof msg);
	char *ctext = ptext ? ct_cli_read_file(cpath, 16u << 20, &clen, msg, sizeof msg) : NULL;
	json_decref(req);
	struct ct_err err = {0};
	enum ct_rc rc;
	json_t *out = NULL;
	if (!ptext || !ctext) {
		rc = ct_err_set_cli(&err, msg);
	} else {
		rc = ct_ctx_create(&cli->ctx, cli->db, cli->actor, ptext, plen, ctext, clen, &err);
		if (rc == CT_OK) {
			cli->open = true;
			json_t *products = NULL;
			struct ct_err e2 = {0};
			if (ct_svc_product_list(&cli->ctx, &products, &e2) == CT_OK)
				out = json_pack("{s:s, s:s, s:I}", "database", cli->db, "policy",
						cli->ctx.policy_version, "products",
						(json_int_t)json_array_size(json_object_get(products,
											 "products")));
			json_decref(products);
		}
	}
	free(ptext);
	free(ctext);
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_policy_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	json_decref(req);
	int code = ct_cli_open(cli);
	if (code)
		return code;
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_policy_show(&cli->ctx, &out, &err);
	if (rc == CT_OK && !cli->json) {
		/* The document itself is the most readable form. */
		json_dumpf(json_object_get(out, "policy"), stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(out);
		return 0;
	}
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_policy_load(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	json_decref(req);
	int code = ct_cli_open(cli);
	if (code)
		return code;
	char msg[512] = "";
	size_t len = 0;
	struct ct_err err = {0};
	json_t *out = NULL;
	enum ct_rc rc;
	char *text = ct_cli_read_file(pos[0], CT_POLICY_FILE_MAX, &len, msg, sizeof msg);
	rc = text ? ct_svc_policy_load(&cli->ctx, text, len, &out, &err) : ct_err_set_cli(&err, msg);
	free(text);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- products ---- */

static int cmd_product_list(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	json_decref(req);
	enum ct_rc rc = ct_svc_product_list(&cli->ctx, &out, &err);
	if (rc == CT_OK && !cli->json) {
		/* The full rows are wide; a list shows what tells products apart. */
		json_t *slim = json_array(), *p;
		size_t i;
		json_array_foreach(json_object_get(out, "products"), i, p)
			json_array_append_new(slim, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}",
				"model", json_object_get(p, "model"), "vendor", json_object_get(p, "vendor"),
				"tpp", json_object_get(p, "tpp"), "bw_gbs", json_object_get(p, "bw_gbs"),
				"eccn", json_object_get(p, "eccn"), "us_available",
				json_object_get(p, "us_available")));
		json_decref(out);
		out = json_pack("{s:o}", "products", slim);
	}
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_product_classify(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	/* MODEL is optional: classify either a catalog product or figures. */
	const struct command one = {.name = cmd->name, .usage = cmd->usage,
				    .summary = cmd->summary, .flags = cmd->flags, .positionals = 1};
	bool has_model = false;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			i++;
			continue;
		}
		has_model = true;
	}
	const char *pos[1] = {NULL};
	json_t *req = ct_cli_parse(has_model ? &one : cmd, argc, argv, pos);
	if (!req)
		return 2;
	if (pos[0])
		json_object_set_new(req, "model", json_string(pos[0]));
	int code = ct_cli_open(cli);
	if (code) {
		json_decref(req);
		return code;
	}
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_product_classify(&cli->ctx, req, &out, &err);
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_product_compare(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[2];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	json_decref(req);
	enum ct_rc rc = ct_svc_product_compare(&cli->ctx, pos[0], pos[1], &out, &err);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- parties ---- */

static int cmd_party_act(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	const char *action = strchr(cmd->name, ' ') + 1;
	char reason[CT_TEXT_MAX + 1];
	snprintf(reason, sizeof reason, "%s",
		 json_string_value(json_object_get(req, "reason")) ?
		 json_string_value(json_object_get(req, "reason")) : "");
	json_decref(req);
	int code = ct_cli_open(cli);
	if (code)
		return code;
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_party_act(&cli->ctx, pos[0], action, reason, &out, &err);
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_party_list(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	enum ct_rc rc = ct_svc_party_list(&cli->ctx, json_string_value(json_object_get(req, "role")),
					  &out, &err);
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- licenses ---- */

static int cmd_license_act(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	int64_t id;
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	if (!parse_id(pos[0], &id)) {
		json_decref(req);
		return bad_id(cmd, pos[0]);
	}
	int code = ct_cli_open(cli);
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = CT_OK;
	if (!code)
		rc = ct_svc_license_act(&cli->ctx, id, strchr(cmd->name, ' ') + 1, req, &out, &err);
	json_decref(req);
	return code ? code : ct_cli_finish(cli, rc, out, &err);
}

/* ---- evidence ---- */

/* ---- shipments ---- */

static int cmd_ship(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	json_t *path = json_object_get(req, "serials");
	if (path) {
		char msg[512] = "";
		json_t *serials = ct_cli_read_serials(json_string_value(path), msg, sizeof msg);
		if (!serials) {
			int missing = errno == ENOENT;
			fprintf(stderr, "chiptoll ship: --serials: %s\n", msg);
			json_decref(req);
			return missing ? 3 : 2;
		}
		json_object_set_new(req, "serials", serials);
	}
	int code = ct_cli_open(cli);
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = CT_OK;
	if (!code)
		rc = ct_svc_ship(&cli->ctx, req, &out, &err);
	json_decref(req);
	return code ? code : ct_cli_finish(cli, rc, out, &err);
}

int ct_cli_import_shipments(struct cli *cli, const struct command *cmd, int argc, char **argv);
int ct_cli_serve(struct cli *cli, const struct command *cmd, int argc, char **argv);
int ct_cli_routes(struct cli *cli, const struct command *cmd, int argc, char **argv);

/* ---- ledger ---- */

static int cmd_ledger_balance(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	enum ct_rc rc = ct_svc_ledger_balance(&cli->ctx,
					      json_string_value(json_object_get(req, "vendor")),
					      &out, &err);
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- suspensions ---- */

static int cmd_suspend(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	enum ct_rc rc = ct_svc_suspend(&cli->ctx, json_string_value(json_object_get(req, "scope")),
				       json_string_value(json_object_get(req, "reason")), &out, &err);
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- reports and audit ---- */

static int cmd_report(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	const char *format = json_string_value(json_object_get(req, "format"));
	char fmt[8];
	snprintf(fmt, sizeof fmt, "%s", format ? format : (cli->json ? "json" : "table"));
	json_decref(req);
	if (strcmp(fmt, "table") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
		fprintf(stderr, "chiptoll report: --format must be table, json or csv\n");
		return 2;
	}
	int code = ct_cli_open(cli);
	if (code)
		return code;
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_report(&cli->ctx, pos[0], &out, &err);
	if (rc != CT_OK)
		return ct_cli_finish(cli, rc, out, &err);
	ct_cli_render_report(out, fmt, stdout);
	json_decref(out);
	return 0;
}

static int cmd_audit_verify(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	enum ct_rc rc = ct_svc_audit_verify_anchor(&cli->ctx,
						   json_string_value(json_object_get(req, "anchor")),
						   &out, &err);
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

static int cmd_audit_log(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	int64_t limit = 20;
	json_t *l = json_object_get(req, "limit");
	if (l && !parse_id(json_string_value(l), &limit)) {
		fprintf(stderr, "chiptoll audit log: --limit must be a positive whole number\n");
		json_decref(req);
		return 2;
	}
	json_decref(req);
	int code = ct_cli_open(cli);
	if (code)
		return code;
	json_t *out = NULL;
	struct ct_err err = {0};
	enum ct_rc rc = ct_svc_audit_log(&cli->ctx, limit, &out, &err);
	if (rc == CT_OK && !cli->json) {
		json_t *e;
		size_t i;
		json_array_foreach(json_object_get(out, "events"), i, e) {
			char *payload = json_dumps(json_object_get(e, "payload"), JSON_COMPACT);
			printf("%6lld  %s  %-20s %-18s %.100s\n",
			       (long long)json_integer_value(json_object_get(e, "seq")),
			       json_string_value(json_object_get(e, "ts")),
			       json_string_value(json_object_get(e, "actor")),
			       json_string_value(json_object_get(e, "action")), payload ? payload : "");
			free(payload);
		}
		json_decref(out);
		return 0;
	}
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- API tokens ---- */

/* ---- restricted-party lists ---- */

/* OFAC publishes sdn.csv, alt.csv and add.csv; copies are often kept
 * prefixed (ofac_sdn.csv): either name is accepted in DIR. */
static void sdn_path(const char *dir, const char *name, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	if (access(path, F_OK) != 0) {
		char alt[1024];
		snprintf(alt, sizeof alt, "%s/ofac_%s", dir, name);
		if (access(alt, F_OK) == 0)
			snprintf(path, size, "%s", alt);
	}
}

/* The default source of a CSL import: the file's base name without its
 * extension, lowercased, other characters as '_' ("entity_list_cn_ai").
 * A CSL file may hold several lists, and two Entity List extracts must
 * not replace each other unless --source says they should. */
static void csl_default_source(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = 0;
	for (const char *p = base; *p && *p != '.' && n + 1 < size && n < CT_LIST_SOURCE_MAX - 1; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		out[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '_';
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "csl");
}

static int cmd_lists_import(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = NULL, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	const char *format = json_string_value(json_object_get(req, "format"));
	const char *source = json_string_value(json_object_get(req, "source"));
	char paths[3][1024], src[CT_LIST_SOURCE_MAX], msg[512] = "";
	struct ct_list_text files[3] = {{0}};
	size_t n = 0;
	enum ct_rc rc = CT_OK;
	if (!format) {
		rc = ct_err_set_cli(&err, "--format: required (sdn, csl or dpl)");
		goto done;
	}
	if (strcmp(format, "sdn") == 0) {
		static const char *const names[] = {"sdn.csv", "alt.csv", "add.csv"};
		for (n = 0; n < 3; n++)
			sdn_path(pos[0], names[n], paths[n], sizeof paths[n]);
	} else {
		snprintf(paths[0], sizeof paths[0], "%s", pos[0]);
		n = 1;
		if (!source && strcmp(format, "csl") == 0) {
			csl_default_source(pos[0], src, sizeof src);
			source = src;
		}
	}
	for (size_t i = 0; i < n; i++) {
		errno = 0;
		files[i].name = paths[i];
		files[i].text = ct_cli_read_file(paths[i], CT_LIST_FILE_MAX, &files[i].len, msg,
						 sizeof msg);
		if (!files[i].text) {
			rc = ct_err_set_cli(&err, msg);
			goto done;
		}
	}
	rc = ct_svc_lists_import(&cli->ctx, format, source, files, n, &out, &err);
	if (rc == CT_OK && !cli->json) {
		printf("imported %s (%s): %lld entries, %lld names, version %lld%s\nsha256 %s\n",
		       json_string_value(json_object_get(out, "source")), format,
		       (long long)json_integer_value(json_object_get(out, "entries")),
		       (long long)json_integer_value(json_object_get(out, "names")),
		       (long long)json_integer_value(json_object_get(out, "version")),
		       json_is_integer(json_object_get(out, "replaced")) ? " (replaces the previous)"
									  : "",
		       json_string_value(json_object_get(out, "sha256")));
		json_decref(out);
		code = 0;
		goto out;
	}
done:
	code = ct_cli_finish(cli, rc, out, &err);
out:
	for (size_t i = 0; i < 3; i++)
		free((char *)files[i].text);
	json_decref(req);
	return code;
}

static int cmd_lists_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req, *out = NULL;
	struct ct_err err = {0};
	int code = begin(cli, cmd, argc, argv, pos, &req);
	if (code)
		return code;
	json_decref(req);
	enum ct_rc rc = ct_svc_lists_show(&cli->ctx, &out, &err);
	if (rc == CT_OK && !cli->json) {
		json_t *l;
		size_t i;
		if (!json_array_size(json_object_get(out, "lists")))
			printf("no lists imported: run 'chiptoll lists import'\n");
		json_array_foreach(json_object_get(out, "lists"), i, l)
			printf("%-24s %-4s %7lld entries  version %-4lld %s  sha256 %.16s…\n",
			       json_string_value(json_object_get(l, "source")),
			       json_string_value(json_object_get(l, "format")),
			       (long long)json_integer_value(json_object_get(l, "entries")),
			       (long long)json_integer_value(json_object_get(l, "version")),
			       json_string_value(json_object_get(l, "imported_at")),
			       json_string_value(json_object_get(l, "sha256")));
		json_decref(out);
		return 0;
	}
	return ct_cli_finish(cli, rc, out, &err);
}

/* The common shapes: parse the flags and the one positional argument (an
 * id is checked before the database is opened), call the service named in
 * the table, print what it returns. */
int ct_cli_run(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	if (cmd->shape == SHAPE_CUSTOM)
		return cmd->run(cli, cmd, argc, argv);
	const char *pos[1] = {NULL};
	int64_t id = 0;
	json_t *req = ct_cli_parse(cmd, argc, argv, pos), *out = NULL;
	struct ct_err err = {0};
	if (!req)
		return 2;
	if (cmd->shape == SHAPE_ID && !parse_id(pos[0], &id)) {
		json_decref(req);
		return bad_id(cmd, pos[0]);
	}
	int code = ct_cli_open(cli);
	if (code) {
		json_decref(req);
		return code;
	}
	enum ct_rc rc = CT_EINVAL;
	switch (cmd->shape) {
	case SHAPE_REQUEST:
		rc = cmd->svc.req(&cli->ctx, req, &out, &err);
		break;
	case SHAPE_NONE:
		rc = cmd->svc.none(&cli->ctx, &out, &err);
		break;
	case SHAPE_NAME:
		rc = cmd->svc.name(&cli->ctx, pos[0], &out, &err);
		break;
	case SHAPE_ID:
		rc = cmd->svc.id(&cli->ctx, id, &out, &err);
		break;
	case SHAPE_CUSTOM:
		break;
	}
	json_decref(req);
	return ct_cli_finish(cli, rc, out, &err);
}

/* ---- the table ---- */

static const struct flag no_flags[] = {{NULL, NULL}};
static const struct flag init_flags[] = {{"--policy", "policy"}, {"--catalog", "catalog"},
					 {NULL, NULL}};
#define SPEC_FLAGS \
	{"--fp64", "fp64"}, {"--fp32", "fp32"}, {"--tf32", "tf32"}, {"--fp16", "fp16"}, \
	{"--bf16", "bf16"}, {"--fp8", "fp8"}, {"--int8", "int8"}, {"--fp6", "fp6"}, \
	{"--fp4", "fp4"}, {"--bw-gbs", "bw_gbs"}, {"--mem-gb", "mem_gb"}, \
	{"--die-mm2", "die_mm2"}, {"--datacenter", "datacenter"}, \
	{"--us-available", "us_available"}
static const struct flag product_add_flags[] = {{"--vendor", "vendor"}, {"--model", "model"},
	{"--name", "name"}, {"--source", "source"}, SPEC_FLAGS, {NULL, NULL}};
static const struct flag classify_flags[] = {{"--date", "date"}, SPEC_FLAGS, {NULL, NULL}};
static const struct flag party_add_flags[] = {{"--role", "role"}, {"--id", "id"},
	{"--name", "name"}, {"--name-zh", "name_zh"}, {"--country", "country"},
	{"--hq-country", "hq_country"}, {"--parent", "parent"}, {"--end-uses", "end_uses"},
	{"--end-use", "end_uses"}, {NULL, NULL}};
static const struct flag reason_flags[] = {{"--reason", "reason"}, {NULL, NULL}};
static const struct flag role_flags[] = {{"--role", "role"}, {NULL, NULL}};
static const struct flag apply_flags[] = {{"--vendor", "vendor"}, {"--customer", "customer"},
	{"--product", "product"}, {"--units", "units"}, {"--end-use", "end_uses"},
	{"--end-uses", "end_uses"}, {"--from", "from"}, {"--until", "until"},
	{"--export-from", "export_from"}, {NULL, NULL}};
static const struct flag approve_flags[] = {{"--units", "units"}, {NULL, NULL}};
static const struct flag license_list_flags[] = {{"--vendor", "vendor"},
	{"--customer", "customer"}, {"--status", "status"}, {"--limit", "limit"},
	{"--offset", "offset"}, {NULL, NULL}};
static const struct flag certify_flags[] = {{"--lab", "lab"}, {"--product", "product"},
	{"--batch", "batch"}, {"--units", "units"}, {"--date", "date"}, {NULL, NULL}};
static const struct flag domestic_flags[] = {{"--vendor", "vendor"}, {"--product", "product"},
	{"--units", "units"}, {"--date", "date"}, {NULL, NULL}};
static const struct flag ship_flags[] = {{"--license", "license"}, {"--units", "units"},
	{"--unit-value", "unit_value"}, {"--batch", "batch"}, {"--date", "date"},
	{"--serials", "serials"}, {"--key", "key"}, {NULL, NULL}};
static const struct flag vendor_flags[] = {{"--vendor", "vendor"}, {NULL, NULL}};
static const struct flag statement_flags[] = {{"--vendor", "vendor"}, {"--from", "from"},
	{"--until", "until"}, {NULL, NULL}};
static const struct flag remit_flags[] = {{"--vendor", "vendor"}, {"--amount", "amount"},
	{"--ref", "ref"}, {"--key", "key"}, {"--date", "date"}, {NULL, NULL}};
static const struct flag suspend_flags[] = {{"--scope", "scope"}, {"--reason", "reason"},
	{NULL, NULL}};
static const struct flag report_flags[] = {{"--format", "format"}, {NULL, NULL}};
static const struct flag anchor_flags[] = {{"--anchor", "anchor"}, {NULL, NULL}};
static const struct flag token_flags[] = {{"--role", "role"}, {"--party", "party"},
	{"--name", "name"}, {NULL, NULL}};
static const struct flag serve_flags[] = {{"--listen", "listen"}, {"--threads", "threads"},
	{"--max-body", "max_body"}, {"--max-batch", "max_batch"}, {"--timeout", "timeout"},
	{"--max-connections", "max_connections"}, {"--max-header", "max_header"},
	{"--max-elements", "max_elements"}, {"--max-batch-body", "max_batch_body"},
	{"--max-depth", "max_depth"},
	{"--port-file", "port_file"}, {NULL, NULL}};
static const struct flag limit_flags[] = {{"--limit", "limit"}, {NULL, NULL}};
static const struct flag lists_import_flags[] = {{"--format", "format"}, {"--source", "source"},
	{NULL, NULL}};

const struct command ct_cli_commands[] = {
	{"init", "[--policy FILE] [--catalog FILE]",
	 "create the database with the bundled policy and product catalog (exit 4 if it exists)",
	 cmd_init, init_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"policy show", "", "print the policy version in force, with its citations",
	 cmd_policy_show, no_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"policy load", "FILE", "validate and load a new policy version", cmd_policy_load,
	 no_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"product list", "", "list the catalog with TPP and 3A090 class", cmd_product_list,
	 no_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"product show", "MODEL", "a product's figures, classification and program eligibility",
	 NULL, no_flags, 1, SHAPE_NAME, {.name = ct_svc_product_show}},
	{"product add",
	 "--vendor V --model M [--name N] [--fp64 X --fp32 X --tf32 X --fp16 X --bf16 X --fp8 X "
	 "--int8 X --fp6 X --fp4 X] [--bw-gbs X] [--mem-gb X] [--die-mm2 X] [--datacenter yes|no] "
	 "[--us-available YYYY-MM-DD]",
	 "register a product (dense TFLOPS/TOPS)", NULL, product_add_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_product_add}},
	{"product classify", "MODEL [--date D] | --fp8 X ... [spec flags as for add]",
	 "TPP, performance density, ECCN 3A090 class and program eligibility",
	 cmd_product_classify, classify_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"product compare", "A B", "like-for-like ratios of two products (dense figures)",
	 cmd_product_compare, no_flags, 2, SHAPE_CUSTOM, {NULL}},
	{"party add",
	 "--role vendor|customer|lab --id ID --name NAME [--name-zh NAME] --country CC "
	 "[--hq-country CC] [--parent ID] [--end-uses training,inference,research,cloud,military]",
	 "register a vendor, customer or lab (status pending)", NULL, party_add_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_party_add}},
	{"party approve", "ID", "approve a pending party", cmd_party_act, no_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"party reinstate", "ID", "reinstate a suspended party", cmd_party_act, no_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"party suspend", "ID --reason TEXT", "suspend a party", cmd_party_act, reason_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"party revoke", "ID --reason TEXT", "revoke a party for good", cmd_party_act,
	 reason_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"party show", "ID", "show a party", NULL, no_flags, 1,
	 SHAPE_NAME, {.name = ct_svc_party_show}},
	{"party list", "[--role R]", "list parties", cmd_party_list, role_flags, 0,
	 SHAPE_CUSTOM, {NULL}},
	{"license apply",
	 "--vendor V --customer C --product MODEL --units N --end-use E[,E] [--from D] "
	 "[--until D] [--export-from CC]",
	 "apply for a license: automatic checks, then pending or denied (exit 1)",
	 NULL, apply_flags, 0, SHAPE_REQUEST, {.req = ct_svc_license_apply}},
	{"license approve", "ID [--units N]", "approve a pending license", cmd_license_act,
	 approve_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"license deny", "ID --reason TEXT", "deny a pending license", cmd_license_act,
	 reason_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"license suspend", "ID --reason TEXT", "suspend an approved license", cmd_license_act,
	 reason_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"license revoke", "ID --reason TEXT", "revoke a license", cmd_license_act, reason_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"license reinstate", "ID", "reinstate a suspended license", cmd_license_act, no_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"license show", "ID", "show a license", NULL, no_flags, 1,
	 SHAPE_ID, {.id = ct_svc_license_show}},
	{"license list", "[--vendor V] [--customer C] [--status S] [--limit N] [--offset N]",
	 "list licenses", NULL, license_list_flags, 0, SHAPE_REQUEST, {.req = ct_svc_license_list}},
	{"lab certify", "--lab L --product MODEL --batch B --units N [--date D]",
	 "file a lab's performance-verification certificate for a batch", NULL, certify_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_lab_certify}},
	{"domestic record", "--vendor V --product MODEL --units N [--date D]",
	 "record US end-use shipments (the volume cap's denominator)", NULL, domestic_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_domestic_record}},
	{"ship",
	 "--license ID --units N --unit-value USD --batch B [--date D] [--serials FILE|-] "
	 "[--key KEY]",
	 "book an export shipment with its fee, or get the rule that rejects it (exit 1)",
	 cmd_ship, ship_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"shipment show", "ID", "show a booked shipment with serials and postings",
	 NULL, no_flags, 1, SHAPE_ID, {.id = ct_svc_shipment_show}},
	{"import shipments", "FILE|-",
	 "book JSON Lines of shipments (fields of ship), each on its own", ct_cli_import_shipments,
	 no_flags, 1, SHAPE_CUSTOM, {NULL}},
	{"ledger balance", "[--vendor V]", "fees accrued, remitted and outstanding",
	 cmd_ledger_balance, vendor_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"ledger statement", "--vendor V [--from D] [--until D]",
	 "a vendor's fee statement with running balance", NULL, statement_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_ledger_statement}},
	{"ledger remit", "--vendor V --amount USD --ref REF [--key KEY] [--date D]",
	 "record a remittance that settles fees", NULL, remit_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_ledger_remit}},
	{"suspend", "--scope all|vendor:ID|customer:ID|product:MODEL|program:ID --reason TEXT",
	 "suspend bookings in a scope at once (prints its id)", cmd_suspend, suspend_flags, 0,
	 SHAPE_CUSTOM, {NULL}},
	{"resume", "SUSPENSION_ID", "lift a suspension", NULL, no_flags, 1,
	 SHAPE_ID, {.id = ct_svc_resume}},
	{"suspension list", "", "list suspensions", NULL, no_flags, 0,
	 SHAPE_NONE, {.none = ct_svc_suspension_list}},
	{"report", "fees|caps|licenses [--format table|json|csv]",
	 "fees by vendor and program; cap use per product; licenses", cmd_report, report_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"audit verify", "[--anchor SEQ:HASH]",
	 "check the hash chain and every audited row, and an anchor recorded earlier (exit 1 "
	 "if broken)", cmd_audit_verify, anchor_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"audit head", "", "the last event's sequence number and hash: an anchor to keep outside "
	 "the database", NULL, no_flags, 0, SHAPE_NONE, {.none = ct_svc_audit_head}},
	{"audit log", "[--limit N]", "the latest audit events", cmd_audit_log, limit_flags, 0,
	 SHAPE_CUSTOM, {NULL}},
	{"serve",
	 "[--listen HOST:PORT] [--threads N] [--max-body BYTES] [--max-batch N] [--timeout S] "
	 "[--max-connections N] [--max-header BYTES] [--max-elements N] [--max-depth N] "
	 "[--max-batch-body BYTES] "
	 "[--port-file FILE]",
	 "serve the HTTP JSON API (default 127.0.0.1:8080) until SIGTERM or SIGINT",
	 ct_cli_serve, serve_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"routes", "", "list the HTTP API's routes with the roles allowed on each", ct_cli_routes,
	 no_flags, 0, SHAPE_CUSTOM, {NULL}},
	{"token create", "--role regulator|auditor|vendor|customer|lab [--party ID] [--name TEXT]",
	 "create an API token; it is printed once, only its hash is kept", NULL, token_flags, 0,
	 SHAPE_REQUEST, {.req = ct_svc_token_create}},
	{"token list", "", "list API tokens (never the tokens themselves)", NULL, no_flags, 0,
	 SHAPE_NONE, {.none = ct_svc_token_list}},
	{"token revoke", "ID", "revoke an API token for good", NULL, no_flags, 1,
	 SHAPE_ID, {.id = ct_svc_token_revoke}},
	{"lists import", "--format sdn DIR | --format csl FILE [--source NAME] | --format dpl FILE",
	 "import a restricted-party list version, replacing the source's previous one (exit 2 "
	 "and the line if malformed)", cmd_lists_import, lists_import_flags, 1,
	 SHAPE_CUSTOM, {NULL}},
	{"lists show", "", "the current version of each imported list", cmd_lists_show, no_flags, 0,
	 SHAPE_CUSTOM, {NULL}},
	{NULL, NULL, NULL, NULL, NULL, 0, SHAPE_CUSTOM, {NULL}},
};
