/* chiptoll: the command-line program. Global options first, then the
 * command (one or two words), then its own flags. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

static void print_help(FILE *to)
{
	fprintf(to, "chiptoll: licensing, fees and audit for advanced AI chip exports\n\n"
		    "usage: chiptoll [--db PATH] [--json] [--actor NAME] COMMAND [ARGS]\n\n"
		    "commands:\n");
	for (const struct command *c = ct_cli_commands; c->name; c++)
		fprintf(to, "  %-18s %s\n", c->name, c->summary);
	fprintf(to, "\nEvery command takes --help. --db defaults to $CHIPTOLL_DB, else "
		    "./chiptoll.db;\n--actor to $CHIPTOLL_ACTOR, else the login name.\n"
		    "Exit codes: 0 ok, 1 rejected by a rule, 2 bad usage or input, 3 not found,\n"
		    "4 conflict, 5 storage or internal failure.\n");
}

static const char *login_name(void)
{
	const char *env = getenv("CHIPTOLL_ACTOR");
	if (env && *env)
		return env;
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return pw->pw_name;
	env = getenv("USER");
	return env && *env ? env : "unknown";
}

static const struct command *find_command(int argc, char **argv, int *words)
{
	for (const struct command *c = ct_cli_commands; c->name; c++) {
		const char *space = strchr(c->name, ' ');
		if (space) {
			size_t n = (size_t)(space - c->name);
			if (argc >= 2 && strlen(argv[0]) == n && strncmp(argv[0], c->name, n) == 0 &&
			    strcmp(argv[1], space + 1) == 0) {
				*words = 2;
				return c;
			}
		} else if (argc >= 1 && strcmp(argv[0], c->name) == 0) {
			*words = 1;
			return c;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	const char *env_db = getenv("CHIPTOLL_DB");
	cli.db = env_db && *env_db ? env_db : "./chiptoll.db";
	cli.actor = login_name();
	/* Global options may stand anywhere; take them out of argv. */
	int n = 0;
	bool help = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			cli.json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			help = true;
		} else if (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--actor") == 0) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				fprintf(stderr, "chiptoll: %s needs a value\n", argv[i]);
				return 2;
			}
			if (strcmp(argv[i], "--db") == 0)
				cli.db = argv[++i];
			else
				cli.actor = argv[++i];
		} else {
			argv[n++] = argv[i];
		}
	}
	if (n == 0 || strcmp(argv[0], "help") == 0) {
		int words = 0;
		const struct command *c = n >= 2 ? find_command(n - 1, argv + 1, &words) : NULL;
		if (c)
			ct_cli_usage(c, stdout);
		else
			print_help(n == 0 && !help ? stderr : stdout);
		return n == 0 && !help ? 2 : 0;
	}
	if (strlen(cli.actor) >= CT_NAME_MAX) {
		fprintf(stderr, "chiptoll: --actor longer than %d bytes\n", CT_NAME_MAX - 1);
		return 2;
	}
	int words = 0;
	const struct command *cmd = find_command(n, argv, &words);
	if (!cmd) {
		fprintf(stderr, "chiptoll: unknown command '%s%s%s'; see 'chiptoll help'\n", argv[0],
			n > 1 ? " " : "", n > 1 ? argv[1] : "");
		return 2;
	}
	if (help) {
		ct_cli_usage(cmd, stdout);
		return 0;
	}
	int code = ct_cli_run(&cli, cmd, n - words, argv + words);
	if (cli.open)
		ct_ctx_close(&cli.ctx);
	return code;
}
