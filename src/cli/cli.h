/* The chiptoll command line: shared state and helpers of the cmd_*.c
 * files. Commands parse their flags into a request object, call one
 * service function and print what it returns. */
#ifndef CT_CLI_H
#define CT_CLI_H

#include <stdbool.h>
#include <jansson.h>
#include "chiptoll/service.h"

/* JSON on stdout: compact, in the service's field order, and reals with
 * 15 significant digits so 66.9 prints as 66.9. */
#define CT_CLI_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

struct cli {
	const char *db;
	const char *actor;
	bool json;
	struct ct_ctx ctx;
	bool open;
};

/* A flag: "--end-use" fills request field "end_uses"; value false means a
 * switch with no argument. */
struct flag {
	const char *name;
	const char *field;
};

typedef enum ct_rc (*req_fn)(struct ct_ctx *, json_t *, json_t **, struct ct_err *);
typedef enum ct_rc (*none_fn)(struct ct_ctx *, json_t **, struct ct_err *);
typedef enum ct_rc (*name_fn)(struct ct_ctx *, const char *, json_t **, struct ct_err *);
typedef enum ct_rc (*id_fn)(struct ct_ctx *, int64_t, json_t **, struct ct_err *);

/* Most commands are one service call of a common shape, named in the
 * table; the others have a run function of their own. */
enum command_shape {
	SHAPE_CUSTOM,           /* run does it all */
	SHAPE_REQUEST,          /* flags -> request object -> svc.req */
	SHAPE_NONE,             /* no input -> svc.none */
	SHAPE_NAME,             /* one positional name -> svc.name */
	SHAPE_ID,               /* one positional numeric id -> svc.id */
};

struct command {
	const char *name;       /* "license apply" */
	const char *usage;      /* after the name */
	const char *summary;
	int (*run)(struct cli *cli, const struct command *cmd, int argc, char **argv);
	const struct flag *flags;
	int positionals;        /* exact number of positional arguments */
	enum command_shape shape;
	union {
		req_fn req;
		none_fn none;
		name_fn name;
		id_fn id;
	} svc;
};

/* Runs a command: its own run function or the service call of its shape.
 * Returns the exit code. */
int ct_cli_run(struct cli *cli, const struct command *cmd, int argc, char **argv);

extern const struct command ct_cli_commands[];

/* Parses argv into a request with the command's flags (values as JSON
 * strings) and up to cmd->positionals positional arguments. Prints the
 * problem and returns NULL on bad usage. */
json_t *ct_cli_parse(const struct command *cmd, int argc, char **argv, const char **pos);
/* Opens the database (once). Returns an exit code; 0 ok. */
int ct_cli_open(struct cli *cli);
/* Prints a result (JSON with --json, else a readable form) or an error,
 * and returns the exit code for rc. Steals out. */
int ct_cli_finish(struct cli *cli, enum ct_rc rc, json_t *out, const struct ct_err *err);
/* Prints usage for the command to stdout (help) or stderr (misuse). */
void ct_cli_usage(const struct command *cmd, FILE *to);
/* Human rendering of any response. */
void ct_cli_render(json_t *v, FILE *to);
/* Prints a report table as table, csv or json. */
void ct_cli_render_report(json_t *report, const char *format, FILE *to);
/* Reads a whole file ("-" for stdin) up to max bytes; caller frees. */
char *ct_cli_read_file(const char *path, size_t max, size_t *len, char *err, size_t errlen);
/* Reads serials, one per line ("-" for stdin), into a JSON array. */
json_t *ct_cli_read_serials(const char *path, char *err, size_t errlen);
/* Depth of a JSON value (an object or array counts one level). */
int ct_cli_json_depth(const json_t *v);

/* Fills err for a bad input found by the CLI itself: CT_ENOTFOUND (exit
 * 3) when the last file operation found no such file, else CT_EINVAL. */
enum ct_rc ct_err_set_cli(struct ct_err *err, const char *message);

#endif
