#!/usr/bin/env bash
# The spec and the server agree: docs/openapi.yaml lists exactly the routes
# of `chiptoll routes --json`, with the same x-roles, and a running server
# answers every spec route (anything but a "no such route" 404 or a 405).
#
#   tests/spec/check_routes.sh PATH/TO/chiptoll
#
# Needs bash, python3 (standard library only) and curl. The spec is read by
# a small line parser of the `paths:` section (path keys at 2 spaces,
# methods at 4, `x-roles: [..]` flow lists at 6), enough for this file.
# Last line: "N passed, N failed"; exit 1 if any failed.
set -uo pipefail

if [ $# -ne 1 ]; then
	echo "usage: tests/spec/check_routes.sh PATH/TO/chiptoll" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
ct=$1
case $ct in /*) ;; *) ct=$PWD/$ct ;; esac
spec=${SPEC:-$root/docs/openapi.yaml}
[ -x "$ct" ] || { echo "check_routes: $ct is not executable" >&2; echo "0 passed, 1 failed"; exit 1; }
[ -r "$spec" ] || { echo "check_routes: cannot read $spec" >&2; echo "0 passed, 1 failed"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chiptoll-spec.XXXXXX")
server=
cleanup() {
	if [ -n "$server" ]; then
		kill "$server" 2>/dev/null
		wait "$server" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

fail_early() { echo "check_routes: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

"$ct" routes --json >"$tmp/routes.json" 2>"$tmp/routes.err" ||
	fail_early "chiptoll routes --json failed: $(cat "$tmp/routes.err")"

# ---- a fresh database, a regulator token, a server on a free port ----
db=$tmp/spec.db
"$ct" --db "$db" init >/dev/null 2>"$tmp/init.err" || fail_early "init failed: $(cat "$tmp/init.err")"
"$ct" --db "$db" --json token create --role regulator --name spec-check >"$tmp/token.json" \
	2>"$tmp/token.err" || fail_early "token create failed: $(cat "$tmp/token.err")"
"$ct" --db "$db" serve --listen 127.0.0.1:0 --port-file "$tmp/port" --threads 2 \
	2>"$tmp/serve.log" &
server=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/port" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.05
done
[ -s "$tmp/port" ] || fail_early "the server did not start: $(tail -5 "$tmp/serve.log")"

python3 - "$spec" "$tmp/routes.json" "$tmp/token.json" "$(cat "$tmp/port")" >"$tmp/out" <<'PY'
import json, re, sys, urllib.request, urllib.error

spec_path, routes_path, token_path, port = sys.argv[1:5]
METHODS = ("get", "post", "put", "patch", "delete", "head", "options")

def parse_paths(text):
    """(METHOD, path) -> roles list or None, from the `paths:` section."""
    ops, path, method, in_paths = {}, None, None, False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith(" "):          # a top-level key
            in_paths = line.rstrip() == "paths:"
            path = method = None
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (\S[^:]*):\s*$", line)
        if m:
            path, method = m.group(1).strip("'\""), None
            continue
        m = re.match(r"^    (\w+):\s*$", line)
        if m and path:
            method = m.group(1) if m.group(1) in METHODS else None
            if method:
                key = (method.upper(), path)
                if key in ops:
                    raise SystemExit(f"spec line {n}: {key} twice")
                ops[key] = None
            continue
        m = re.match(r"^      x-roles:\s*\[(.*)\]\s*$", line)
        if m and path and method:
            ops[(method.upper(), path)] = [r.strip().strip("'\"") for r in m.group(1).split(",") if r.strip()]
    return ops

passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)

spec = parse_paths(open(spec_path, encoding="utf-8").read())
table = {(r["method"], r["path"]): r["roles"] for r in json.load(open(routes_path))["routes"]}
token = json.load(open(token_path))["token"]

check(len(spec) > 0, "the spec lists no operations under paths:")
for key in sorted(set(table) - set(spec)):
    check(False, f"{key[0]} {key[1]}: served but not in docs/openapi.yaml")
for key in sorted(set(spec) - set(table)):
    check(False, f"{key[0]} {key[1]}: in docs/openapi.yaml but not served")
for key in sorted(set(spec) & set(table)):
    check(True, "")
    roles = spec[key]
    check(roles is not None and sorted(roles) == sorted(table[key]),
          f"{key[0]} {key[1]}: x-roles {roles} but the route table has {table[key]}")

# Every spec route, requested with dummy ids, must reach a handler.
base = f"http://127.0.0.1:{port}"
for method, path in sorted(spec):
    url = base + path.replace("{id}", "1").replace("{action}", "approve")
    data = b"{}" if method in ("POST", "PUT", "PATCH") else None
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            status, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, body = e.code, e.read()
    except Exception as e:
        check(False, f"{method} {path}: request failed: {e}")
        continue
    detail = ""
    try:
        detail = json.loads(body).get("detail", "")
    except Exception:
        pass
    check(not (status == 404 and detail == "no such route") and status != 405,
          f"{method} {path}: the server answers {status} {detail!r} to {method} {url}")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
rc=$?
cat "$tmp/out"
# A crash of the checker itself must not pass for a result.
if ! tail -n 1 "$tmp/out" | grep -Eq '^[0-9]+ passed, [0-9]+ failed$'; then
	echo "check_routes: the checker stopped early (exit $rc)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
exit $rc
