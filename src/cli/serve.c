/* chiptoll serve: parses the server's options and runs it. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "api/api.h"
#include "cli.h"

/* A positive whole number within max, or false. */
static bool number(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end = NULL;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 12)
		return false;
	*out = strtoull(s, &end, 10);
	return *out > 0 && *out <= max;
}

/* chiptoll routes: the API's route table, for the spec test and for
 * people; the same table the server dispatches on. */
int ct_cli_routes(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	json_decref(req);
	json_t *routes = json_array();
	for (const struct route *r = ct_api_routes; r->method; r++) {
		json_t *roles = json_array();
		for (int i = 0; i < CT_AR_COUNT; i++)
			if (r->roles & (1u << i))
				json_array_append_new(roles, json_string(ct_access_role_name(i)));
		json_array_append_new(routes, json_pack("{s:s, s:s, s:s, s:o}", "method", r->method,
			"path", r->pattern, "access", r->kind == ROUTE_OPEN ? "open"
			: r->kind == ROUTE_WRITE ? "write" : "read", "roles", roles));
	}
	struct ct_err err = {0};
	return ct_cli_finish(cli, CT_OK, json_pack("{s:o}", "routes", routes), &err);
}

int ct_cli_serve(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
	const char *pos[1];
	json_t *req = ct_cli_parse(cmd, argc, argv, pos);
	if (!req)
		return 2;
	struct ct_api_options o;
	ct_api_default_options(&o);
	o.db = cli->db;
	static char host[64];
	int code = 0;
	const char *listen = json_string_value(json_object_get(req, "listen"));
	if (listen) {
		const char *colon = strrchr(listen, ':');
		unsigned long long port = 0;
		if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host ||
		    !(strcmp(colon + 1, "0") == 0 || number(colon + 1, 65535, &port))) {
			fprintf(stderr, "chiptoll serve: --listen must be HOST:PORT, e.g. "
					"127.0.0.1:8080 (port 0 picks a free one)\n");
			code = 2;
			goto done;
		}
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
		o.host = host;
		o.port = (unsigned)port;
	}
	static const struct {
		const char *field;
		unsigned long long max;
	} limits[] = {{"threads", 256}, {"max_body", 1ull << 30}, {"max_batch", 100000},
		      {"timeout", 3600}, {"max_connections", 100000}, {"max_header", 1u << 20},
		      {"max_elements", 10000000}, {"max_batch_body", 1ull << 31},
		      {"max_depth", 1000}};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		const char *v = json_string_value(json_object_get(req, limits[i].field));
		unsigned long long n;
		if (!v)
			continue;
		if (!number(v, limits[i].max, &n)) {
			fprintf(stderr, "chiptoll serve: --%s must be a whole number from 1 to %llu\n",
				limits[i].field, limits[i].max);
			code = 2;
			goto done;
		}
		switch (i) {
		case 0: o.threads = (unsigned)n; break;
		case 1: o.max_body = (size_t)n; break;
		case 2: o.max_batch = (size_t)n; break;
		case 3: o.timeout_s = (unsigned)n; break;
		case 4: o.max_connections = (unsigned)n; break;
		case 5: o.max_header = (size_t)n; break;
		case 6: o.max_elements = (size_t)n; break;
		case 7: o.max_batch_body = (size_t)n; break;
		case 8: o.max_depth = (unsigned)n; break;
		}
	}
	o.port_file = json_string_value(json_object_get(req, "port_file"));
	if ((code = ct_cli_open(cli)) != 0)
		goto done;
	/* The server opens its own connections, one per thread. */
	ct_ctx_close(&cli->ctx);
	cli->open = false;
	code = ct_api_serve(&o);
done:
	json_decref(req);
	return code;
}
