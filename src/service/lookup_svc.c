/* Plain row lookups for the interfaces, so they never reach past the
 * service layer into the store. */
#include "svc_internal.h"

enum ct_rc ct_svc_license_get(struct ct_ctx *c, int64_t id, struct ct_license_row *out)
{
	return ct_store_license_get(c->store, id, out);
}

enum ct_rc ct_svc_product_get(struct ct_ctx *c, const char *model, struct ct_product *out)
{
	return ct_store_product_get(c->store, model, out);
}

enum ct_rc ct_svc_shipment_get(struct ct_ctx *c, int64_t id, struct ct_shipment_row *out)
{
	return ct_store_shipment_get(c->store, id, out);
}

enum ct_rc ct_svc_idem_get(struct ct_ctx *c, const char *principal, const char *key,
			   struct ct_idem_row *out)
{
	return ct_store_idem_get(c->store, principal, key, out);
}

enum ct_rc ct_svc_idem_put(struct ct_ctx *c, const struct ct_idem_row *row)
{
	char ts[24];
	ct_ctx_timestamp(c, ts);
	return ct_store_idem_add(c->store, row, ts);
}
