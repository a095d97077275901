#!/usr/bin/env bash
# The HTTP load bench: chiptoll serve under wrk, next to its own ceilings.
#
#   bench/http.sh [BUILD_DIR]          (default build; run after make build)
#
# Seeds a database through the CLI (vendor NVIDIA, 16 approved customers, a
# lab with 4 certified H200 batches of 1,000,000 units, US domestic volume
# for the cap, 64 approved licenses of 1,000,000 units), starts
# `chiptoll serve --threads 2` on a free port and measures with wrk, each
# for HTTP_SECONDS (10) at HTTP_CONNS (64) connections over 2 wrk threads:
#   1. GET /healthz                   the server's own ceiling (no auth, no DB)
#   2. GET /v1/licenses/1             authenticated read (vendor token)
#   3. POST /v1/shipments             durable bookings, 8 serials each
# and, in the same run, the one-commit-per-request ceiling (bench/fsync_rate.c:
# write+fdatasync of a 300-byte record, and one SQLite INSERT per transaction
# in WAL with synchronous=FULL, single thread, HTTP_FSYNC_SECONDS (5) each).
# After the load it stops the server (SIGTERM) and checks that the shipments
# in the database match the 201s wrk counted (the difference may only be
# requests still in flight when wrk stopped, at most one per connection)
# and that `chiptoll audit verify` passes.
#
# Environment: HTTP_SECONDS, HTTP_CONNS, HTTP_THREADS (the server's reader
# threads, 2), HTTP_FSYNC_SECONDS, HTTP_KEEP=1
# (keep the temporary directory), BENCH_TMP (its parent), HTTP_PERF=1 (after
# the measured runs, profile the server with perf during a GET load and a
# booking load; reports in BUILD_DIR/bench/http-perf-{get,ship}.txt).
# Exits 0 whatever the figures; only something broken (a build, the setup,
# the server, bookings that do not add up, an audit that fails) fails it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
secs=${HTTP_SECONDS:-10}
conns=${HTTP_CONNS:-64}
fsecs=${HTTP_FSYNC_SECONDS:-5}
n_lic=64 n_cust=16 n_batch=4

die() { echo "bench http: $*" >&2; exit 1; }

[ -x "$build/chiptoll" ] || die "$build/chiptoll not found: run 'make build' first"
if ! command -v wrk >/dev/null; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 ||
			die "cannot install wrk (apt-get install -y wrk)"
	fi
	command -v wrk >/dev/null || die "wrk not found: apt-get install wrk"
fi

bdir=$build/bench
mkdir -p "$bdir"
# shellcheck disable=SC2046
gcc -std=c17 -O2 -g -Wall -Wextra -Werror $(pkg-config --cflags sqlite3) \
	"$root/bench/fsync_rate.c" -o "$bdir/fsync_rate" $(pkg-config --libs sqlite3) ||
	die "cannot build fsync_rate"

tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/chiptoll-http.XXXXXX")
server=
cleanup() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill "$server" 2>/dev/null || true
		wait "$server" 2>/dev/null || true
	fi
	if [ "${HTTP_KEEP:-0}" = 1 ]; then
		echo "bench http: keeping $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
# A private copy of the binary: others may rebuild the tree meanwhile.
cp "$build/chiptoll" "$tmp/chiptoll"
ct=$tmp/chiptoll db=$tmp/http.db

# ---- seed through the CLI (not timed) ----
run() {
	local out
	out=$("$ct" --db "$db" --actor bench-http --json "$@" 2>&1) ||
		die "setup: chiptoll $* failed: $out"
	printf '%s' "$out"
}
t0=$(date +%s)
run init >/dev/null
run party add --role vendor --id NVIDIA --name "NVIDIA Corporation" --country US >/dev/null
run party approve NVIDIA >/dev/null
run party add --role lab --id USLAB1 --name "Federal Compute Verification Lab" --country US >/dev/null
run party approve USLAB1 >/dev/null
for ((c = 1; c <= n_cust; c++)); do
	id=$(printf 'CUST%02d' "$c")
	run party add --role customer --id "$id" --name "Bench Customer $c Co., Ltd." --country CN \
		--end-uses training,inference >/dev/null
	run party approve "$id" >/dev/null
done
for ((b = 1; b <= n_batch; b++)); do
	run lab certify --lab USLAB1 --product H200 --batch "BENCH-B$b" --units 1000000 >/dev/null
done
run domestic record --vendor NVIDIA --product H200 --units 100000000 >/dev/null
for ((l = 1; l <= n_lic; l++)); do
	cust=$(printf 'CUST%02d' $(((l - 1) % n_cust + 1)))
	out=$(run license apply --vendor NVIDIA --customer "$cust" --product H200 --units 1000000 \
		--end-use training)
	case $out in
	*"\"license\":$l,"*"\"status\":\"pending\""*) ;;
	*) die "setup: license $l: unexpected answer: $out" ;;
	esac
	run license approve "$l" >/dev/null
done
token_of() { python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
vtoken=$(run token create --role vendor --party NVIDIA --name bench-vendor | token_of)
echo "setup: $n_lic licenses of 1,000,000 units, $n_batch certified batches, in $(($(date +%s) - t0)) s"

# ---- the server ----
"$ct" --db "$db" serve --listen 127.0.0.1:0 --threads ${HTTP_THREADS:-2} --port-file "$tmp/port" \
	2>"$tmp/serve.log" &
server=$!
for _ in $(seq 1 100); do
	[ -s "$tmp/port" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.05
done
[ -s "$tmp/port" ] || die "the server did not start: $(tail -5 "$tmp/serve.log")"
url=http://127.0.0.1:$(cat "$tmp/port")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $vtoken" "$url/v1/licenses/1")
[ "$code" = 200 ] || die "GET /v1/licenses/1 answers $code, not 200"

# wrk_run NAME [wrk args...]: output in $tmp/NAME.wrk
wrk_run() {
	local name=$1
	shift
	wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s --latency "$@" >"$tmp/$name.wrk" 2>"$tmp/$name.err" ||
		die "wrk $name failed: $(cat "$tmp/$name.err")"
}
# figures NAME: "req/s p50_ms p99_ms"
figures() {
	awk '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
			return v
		}
		/Requests\/sec:/ { rps = $2 }
		$1 == "50%" { p50 = ms($2) }
		$1 == "99%" { p99 = ms($2) }
		END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' "$tmp/$1.wrk"
}
status_count() { # NAME STATUS
	awk -v s="$2" '$1 == "status" && $2 == s { n += $3 } END { print n + 0 }' "$tmp/$1.wrk"
}
non_2xx() { # NAME
	awk '$1 == "status" && ($2 < 200 || $2 > 299) { n += $3 } END { print n + 0 }' "$tmp/$1.wrk"
}

# A short warm-up so every pool thread has opened its connection.
wrk -t2 -c"$conns" -d2s -H "Authorization: Bearer $vtoken" "$url/v1/licenses/1" >/dev/null 2>&1 || true

echo "load: $conns connections, 2 wrk threads, ${secs} s each, server --threads ${HTTP_THREADS:-2}"
wrk_run healthz "$url/healthz"
CT_TOKEN=$vtoken CT_PATH=/v1/licenses/1 wrk_run get -s "$root/bench/http_get.lua" "$url"
run_tag=h$$
CT_TOKEN=$vtoken CT_LICENSES=$n_lic CT_BATCHES=$n_batch CT_RUN=$run_tag \
	wrk_run ship -s "$root/bench/http_ship.lua" "$url"

# ---- the one-commit-per-request ceiling, on the same disk ----
"$bdir/fsync_rate" "$tmp" "$fsecs" >"$tmp/fsync.out" || die "fsync_rate failed"
fsync_raw=$(awk '$1 == "fdatasync_per_s" { print $2 }' "$tmp/fsync.out")
fsync_lite=$(awk '$1 == "sqlite_commit_per_s" { print $2 }' "$tmp/fsync.out")

# ---- optional profile (after the measured runs, so perf does not skew them) ----
if [ "${HTTP_PERF:-0}" = 1 ] && command -v perf >/dev/null; then
	for phase in get ship; do
		perf record -F 999 -g -p "$server" -o "$tmp/perf-$phase.data" -- sleep "$secs" \
			>/dev/null 2>&1 &
		perf_pid=$!
		if [ $phase = get ]; then
			CT_TOKEN=$vtoken CT_PATH=/v1/licenses/1 wrk_run perf-get -s "$root/bench/http_get.lua" "$url"
		else
			CT_TOKEN=$vtoken CT_LICENSES=$n_lic CT_BATCHES=$n_batch CT_RUN=${run_tag}p \
				wrk_run perf-ship -s "$root/bench/http_ship.lua" "$url"
		fi
		wait "$perf_pid" || true
		perf report -i "$tmp/perf-$phase.data" --no-children --stdio --sort dso,symbol \
			>"$bdir/http-perf-$phase.txt" 2>/dev/null || true
		perf report -i "$tmp/perf-$phase.data" --no-children --stdio --sort comm \
			>"$bdir/http-perf-$phase-threads.txt" 2>/dev/null || true
		echo "profile: $bdir/http-perf-$phase.txt"
	done
fi

# ---- stop, then check the bookings and the audit ----
kill -TERM "$server"
wait "$server" || die "the server exited non-zero on SIGTERM: $(tail -5 "$tmp/serve.log")"
server=
ok201=$(( $(status_count ship 201) + $(status_count perf-ship 201 2>/dev/null || echo 0) ))
bad_ship=$(( $(non_2xx ship) + $(non_2xx perf-ship 2>/dev/null || echo 0) ))
booked=$("$ct" --db "$db" --json report fees |
	python3 -c 'import json,sys; print(sum(r[2] for r in json.load(sys.stdin)["rows"]))')
audit_ok=yes
"$ct" --db "$db" audit verify >"$tmp/verify.out" 2>&1 || audit_ok=no

read -r h_rps h_p50 h_p99 < <(figures healthz)
read -r g_rps g_p50 g_p99 < <(figures get)
read -r s_rps s_p50 s_p99 < <(figures ship)
g_bad=$(non_2xx get)

echo
printf '| %-44s | %10s | %9s | %9s |\n' "load (${conns} connections)" "req/s" "p50 ms" "p99 ms"
printf '|%s|%s|%s|%s|\n' "----------------------------------------------" "------------" "-----------" "-----------"
printf '| %-44s | %10s | %9s | %9s |\n' "GET /healthz (ceiling)" "$h_rps" "$h_p50" "$h_p99"
printf '| %-44s | %10s | %9s | %9s |\n' "GET /v1/licenses/1 (bearer token)" "$g_rps" "$g_p50" "$g_p99"
printf '| %-44s | %10s | %9s | %9s |\n' "POST /v1/shipments (8 serials, durable)" "$s_rps" "$s_p50" "$s_p99"
printf '| %-44s | %10s | %9s | %9s |\n' "one write+fdatasync per request (1 thread)" "$fsync_raw" "" ""
printf '| %-44s | %10s | %9s | %9s |\n' "one SQLite commit per request (WAL, FULL)" "$fsync_lite" "" ""
echo
ceiling=$fsync_lite
[ "$fsync_raw" -gt "$ceiling" ] && ceiling=$fsync_raw
awk -v g="$g_rps" -v s="$s_rps" -v c="$ceiling" 'BEGIN {
	printf "targets: authenticated GETs %d/s (target >= 30000: %s); ", g, (g >= 30000 ? "met" : "MISSED")
	printf "bookings %d/s (target >= 10000: %s); ", s, (s >= 10000 ? "met" : "MISSED")
	printf "bookings / one-commit-per-request ceiling %d/s = %.1fx (target >= 2x: %s)\n", c, s / c, (s >= 2 * c ? "met" : "MISSED")
}'
echo "GET non-2xx answers: $g_bad; booking non-201 answers: $bad_ship"
diff=$((booked - ok201))
echo "bookings: $ok201 answered 201, $booked shipments in the database (difference $diff: requests in flight when wrk stopped); audit verify: $audit_ok"
fail=0
[ "$audit_ok" = yes ] || { echo "bench http: audit verify failed: $(cat "$tmp/verify.out")" >&2; fail=1; }
if [ "$diff" -lt 0 ] || [ "$diff" -gt $((2 * conns)) ]; then
	echo "bench http: $ok201 bookings acknowledged but $booked in the database" >&2
	fail=1
fi
[ "$bad_ship" -eq 0 ] || echo "bench http: warning: $bad_ship bookings were not 201 (see $tmp/ship.err)" >&2
[ "$g_bad" -eq 0 ] || echo "bench http: warning: $g_bad GETs were not 2xx" >&2
exit $fail
