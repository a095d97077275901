/* Restricted-party list import and listing.
 *
 * An import is one transaction: the new version row, every entry and name,
 * the previous version of the same source superseded (its entries and
 * names deleted, its row kept as history) and one audit event recording
 * the state of both version rows. A version's state carries a digest of
 * its stored entry and name rows, so `audit verify` notices an entry
 * edited, added or deleted behind chiptoll's back without one audit state
 * per entry (an SDN import would otherwise write ~20,000 states).
 *
 * sha256 is of the input bytes: for csl and dpl the file itself (what
 * `sha256sum FILE` prints); for sdn, the SHA-256 of the manifest text
 *   "<hex>  sdn.csv\n<hex>  alt.csv\n<hex>  add.csv\n"
 * (each <hex> the SHA-256 of that file, two spaces), which is what
 * `sha256sum sdn.csv alt.csv add.csv | sha256sum` prints in a directory
 * holding the three: fixed order, and no way to move bytes between files
 * without changing it. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "chiptoll/limits.h"
#include "chiptoll/lists.h"
#include "svc_internal.h"

static void sha256_hex(const char *text, size_t len, char out[static 65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, len);
	sodium_bin2hex(out, 65, h, sizeof h);
}

/* The digest of a version's stored rows: each column length-prefixed, so
 * no text can pose as a column or row boundary. */
static enum ct_rc digest_row(const char *table, const char *const *cols, int ncols, void *arg)
{
	crypto_generichash_state *st = arg;
	char pre[32];
	int n = snprintf(pre, sizeof pre, "%s:%d\n", table, ncols);
	crypto_generichash_update(st, (const unsigned char *)pre, (size_t)n);
	for (int i = 0; i < ncols; i++) {
		size_t len = strlen(cols[i]);
		n = snprintf(pre, sizeof pre, "%zu:", len);
		crypto_generichash_update(st, (const unsigned char *)pre, (size_t)n);
		crypto_generichash_update(st, (const unsigned char *)cols[i], len);
	}
	return CT_OK;
}

static enum ct_rc rows_digest(struct ct_ctx *c, int64_t version_id, char out[static 65])
{
	crypto_generichash_state st;
	unsigned char h[32];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	enum ct_rc rc = ct_store_list_rows_each(c->store, version_id, digest_row, &st);
	crypto_generichash_final(&st, h, sizeof h);
	if (rc == CT_OK)
		sodium_bin2hex(out, 65, h, sizeof h);
	return rc;
}

enum ct_rc ct_snap_list_version(struct ct_ctx *c, const struct ct_list_version_row *v,
				json_t **out)
{
	char digest[65];
	*out = NULL;
	enum ct_rc rc = rows_digest(c, v->id, digest);
	if (rc != CT_OK)
		return rc;
	*out = json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)v->id,
			 "source", v->source, "format", v->format, "entries",
			 (json_int_t)v->entries, "names", (json_int_t)v->names, "sha256",
			 v->sha256, "imported_at", v->imported_at, "actor", v->actor,
			 "rows_digest", digest);
	if (!*out)
		return CT_ENOMEM;
	json_object_set_new(*out, "superseded_by",
			    v->superseded_by ? json_integer(v->superseded_by) : json_null());
	return CT_OK;
}

static json_t *version_view(const struct ct_list_version_row *v)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:s, s:I, s:s, s:s}", "source", v->source, "format",
			 v->format, "entries", (json_int_t)v->entries, "names",
			 (json_int_t)v->names, "sha256", v->sha256, "version", (json_int_t)v->id,
			 "imported_at", v->imported_at, "actor", v->actor);
}

/* Source names appear in commands and keys: keep them plain. */
static bool source_ok(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && n < CT_LIST_SOURCE_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

struct import {
	struct ct_ctx *c;
	int64_t version_id, entries, names;
	struct ct_err *err;
};

static enum ct_rc store_entry(const struct ct_list_entry *e, void *arg)
{
	struct import *im = arg;
	enum ct_rc rc = ct_store_list_entry_add(im->c->store, im->version_id, e);
	if (rc != CT_OK)
		return ct_err_store(im->c, im->err, rc);
	im->entries++;
	im->names += (int64_t)e->n_names;
	return CT_OK;
}

enum ct_rc ct_svc_lists_import(struct ct_ctx *c, const char *format, const char *source,
			       const struct ct_list_text *files, size_t n_files, json_t **out,
			       struct ct_err *err)
{
	enum ct_list_format f;
	struct ct_list_version_row v = {0};
	struct ct_list_error perr = {{0}};
	*out = NULL;
	if (!ct_list_format_parse(format, &f))
		return ct_err_set(err, CT_EINVAL, "format", "format: must be sdn, csl or dpl");
	if (n_files != (f == CT_LIST_SDN ? 3u : 1u))
		return ct_err_set(err, CT_EINVAL, "files",
				  "files: %s takes %s", format,
				  f == CT_LIST_SDN ? "sdn.csv, alt.csv and add.csv" : "one file");
	if (!source || !*source)
		source = ct_list_format_name(f);
	if (!source_ok(source))
		return ct_err_set(err, CT_EINVAL, "source",
				  "source: 1 to %d characters of a-z, 0-9, '_', '.' and '-'",
				  CT_LIST_SOURCE_MAX - 1);
	for (size_t i = 0; i < n_files; i++)
		if (files[i].len > CT_LIST_FILE_MAX)
			return ct_err_set(err, CT_EINVAL, "files", "%s is larger than %u bytes",
					  files[i].name, CT_LIST_FILE_MAX);
	snprintf(v.source, sizeof v.source, "%s", source);
	snprintf(v.format, sizeof v.format, "%s", ct_list_format_name(f));
	if (f == CT_LIST_SDN) {
		static const char *const names[] = {"sdn.csv", "alt.csv", "add.csv"};
		char manifest[3 * (8 + 65 + 1) + 1];
		size_t len = 0;
		for (size_t i = 0; i < 3; i++) {
			char hex[65];
			sha256_hex(files[i].text, files[i].len, hex);
			len += (size_t)snprintf(manifest + len, sizeof manifest - len, "%s  %s\n", hex,
						names[i]);
		}
		sha256_hex(manifest, len, v.sha256);
	} else {
		sha256_hex(files[0].text, files[0].len, v.sha256);
	}
	ct_ctx_timestamp(c, v.imported_at);
	snprintf(v.actor, sizeof v.actor, "%s", c->actor);

	int64_t replaced = 0;
	struct import im = {.c = c, .err = err};
	enum ct_rc rc = ct_tx_begin(c, err);
	if (rc != CT_OK)
		return rc;
	if ((rc = ct_store_list_version_add(c->store, &v, &replaced)) != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	im.version_id = v.id;
	rc = f == CT_LIST_SDN ? ct_lists_parse_sdn(&files[0], &files[1], &files[2], store_entry,
						   &im, &perr)
	     : f == CT_LIST_CSL ? ct_lists_parse_csl(&files[0], store_entry, &im, &perr)
				: ct_lists_parse_dpl(&files[0], store_entry, &im, &perr);
	if (rc == CT_EINVAL || rc == CT_ENOMEM) {
		/* A parser error (a store error has already filled err). */
		if (!err->message[0])
			ct_err_set(err, rc, "file", "%s", perr.message);
		goto fail;
	}
	if (rc != CT_OK)
		goto fail;
	v.entries = im.entries;
	v.names = im.names;
	if ((rc = ct_store_list_version_set_counts(c->store, v.id, v.entries, v.names)) != CT_OK) {
		ct_err_store(c, err, rc);
		goto fail;
	}
	json_t *payload = json_object(), *state = NULL;
	char key[96];
	if ((rc = ct_snap_list_version(c, &v, &state)) != CT_OK) {
		json_decref(payload);
		ct_err_store(c, err, rc);
		goto fail;
	}
	snprintf(key, sizeof key, "list_version/%lld", (long long)v.id);
	ct_audit_state(payload, key, state);
	if (replaced) {
		struct ct_list_version_row old;
		if ((rc = ct_store_list_version_get(c->store, replaced, &old)) != CT_OK ||
		    (rc = ct_snap_list_version(c, &old, &state)) != CT_OK) {
			json_decref(payload);
			ct_err_store(c, err, rc);
			goto fail;
		}
		snprintf(key, sizeof key, "list_version/%lld", (long long)replaced);
		ct_audit_state(payload, key, state);
	}
	if ((rc = ct_audit_append(c, "lists.import", payload, err)) != CT_OK)
		goto fail;
	if ((rc = ct_tx_commit(c, err)) != CT_OK)
		return rc;
	*out = version_view(&v);
	json_object_set_new(*out, "replaced", replaced ? json_integer(replaced) : json_null());
	return CT_OK;
fail:
	ct_tx_rollback(c);
	return rc;
}

static enum ct_rc show_version(const struct ct_list_version_row *v, void *arg)
{
	json_array_append_new(arg, version_view(v));
	return CT_OK;
}

enum ct_rc ct_svc_lists_show(struct ct_ctx *c, json_t **out, struct ct_err *err)
{
	json_t *items = json_array();
	enum ct_rc rc = ct_store_list_version_each(c->store, true, show_version, items);
	*out = NULL;
	if (rc != CT_OK) {
		json_decref(items);
		return ct_err_store(c, err, rc);
	}
	*out = json_pack("{s:o}", "lists", items);
	return CT_OK;
}
