#!/usr/bin/env bash
# make bench: chiptoll's import against a raw SQLite insert of the same rows.
#
#   bench/run.sh [BUILD_DIR]        (default build; the Makefile builds first)
#
# Environment: BENCH_N lines (default 200000), BENCH_SEED, BENCH_KEEP=1 to
# keep the temporary directory, BENCH_TMP to choose its parent.
#
# Generates BENCH_N shipments (bench/gen_shipments.c), sets up a database
# through the CLI (bench/setup.sh, not timed), then times
#   chiptoll --db X import shipments FILE --json
# and bench/raw_insert.c on the same file into a fresh `chiptoll init`
# database, each under /usr/bin/time -v for wall time and peak RSS.
# Exits 0 whatever the figures: only something that broke (a build, the
# setup, an import that fails or miscounts) makes it fail.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
n=${BENCH_N:-200000}
seed=${BENCH_SEED:-1}
group=1000   # src/cli/import.c IMPORT_GROUP; raw_insert.c GROUP

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$build/chiptoll" ] || die "$build/chiptoll not found: run 'make build' first"

# ---- build the bench programs, outside the source tree ----
bdir=$build/bench
mkdir -p "$bdir"
cflags=(-std=c17 -O2 -g -Wall -Wextra -Werror)
gcc "${cflags[@]}" "$root/bench/gen_shipments.c" -o "$bdir/gen_shipments" ||
	die "cannot build gen_shipments"
# shellcheck disable=SC2046
gcc "${cflags[@]}" $(pkg-config --cflags sqlite3 jansson libsodium) \
	"$root/bench/raw_insert.c" -o "$bdir/raw_insert" \
	$(pkg-config --libs sqlite3 jansson libsodium) || die "cannot build raw_insert"

# ---- a timer that reports wall time and peak RSS ----
if [ ! -x /usr/bin/time ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null 2>&1 || true
fi
# timed OUT_PREFIX CMD...: runs CMD, stdout to OUT_PREFIX.out, and writes
# "seconds max_rss_kb cpu_seconds" to OUT_PREFIX.time.
timed() {
	local pre=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$pre.tv" "$@" >"$pre.out" || return $?
		awk -F': ' '
			/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0
				for (i = 1; i <= n; i++) s = s * 60 + p[i] }
			/Maximum resident set size/ { rss = $2 }
			/User time|System time/ { cpu += $2 }
			END { print s, rss, cpu }' "$pre.tv" >"$pre.time"
	else
		python3 - "$pre" "$@" <<'PY'
import resource, subprocess, sys, time
pre, cmd = sys.argv[1], sys.argv[2:]
t = time.monotonic()
with open(pre + ".out", "wb") as out:
    rc = subprocess.call(cmd, stdout=out)
secs = time.monotonic() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
open(pre + ".time", "w").write(f"{secs:.2f} {ru.ru_maxrss} {ru.ru_utime + ru.ru_stime:.2f}\n")
sys.exit(rc)
PY
	fi
}

tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/chiptoll-bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
	echo "bench: keeping $tmp"
else
	trap 'rm -rf "$tmp"' EXIT
fi
# A private copy of the binary: others may rebuild the tree meanwhile.
cp "$build/chiptoll" "$tmp/chiptoll"
ct=$tmp/chiptoll

echo "== generating $n shipments (seed $seed)"
"$bdir/gen_shipments" "$tmp" "$n" "$seed" || die "gen_shipments failed"
read -r _ want_acc want_rej < <(grep '^expect ' "$tmp/plan.txt")
echo "   $(du -h "$tmp/shipments.jsonl" | cut -f1) of JSON Lines; expected $want_acc accepted, $want_rej rejected"

echo "== setting up the database through the CLI (not timed)"
"$root/bench/setup.sh" "$ct" "$tmp/chiptoll.db" "$tmp/plan.txt" 2>&1 | sed 's/^/   /' ||
	die "setup failed"
[ -f "$tmp/chiptoll.db" ] || die "setup did not create the database"
"$ct" --db "$tmp/raw.db" init >/dev/null || die "chiptoll init of the raw database failed"
sync

echo "== chiptoll import (every rule checked)"
timed "$tmp/ct" "$ct" --db "$tmp/chiptoll.db" import shipments "$tmp/shipments.jsonl" --json ||
	die "chiptoll import failed (exit $?): $(head -c 2000 "$tmp/ct.out")"
sync
echo "== raw SQLite insert (prepared statements, no rules)"
timed "$tmp/raw" "$bdir/raw_insert" "$tmp/raw.db" "$tmp/shipments.jsonl" ||
	die "raw_insert failed (exit $?)"

status=0
python3 - "$tmp" "$n" "$want_acc" "$want_rej" "$group" <<'PY' || status=$?
import json, os, subprocess, sys
tmp, n, want_acc, want_rej, group = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ct = json.load(open(f"{tmp}/ct.out"))
raw = json.load(open(f"{tmp}/raw.out"))
def timing(p):
    s, rss, cpu = open(f"{tmp}/{p}.time").read().split()
    return float(s), int(rss) / 1024.0, float(cpu)
ct_s, ct_rss, ct_cpu = timing("ct")
raw_s, raw_rss, raw_cpu = timing("raw")
rejected = sum(ct["rejected"].values())
errors = len(ct["errors"])
ok = ct["accepted"] + rejected + errors == ct["lines"] == n
ct_rate, raw_rate = n / ct_s, raw["shipments"] / raw_s

print()
print("import summary:", json.dumps({k: ct[k] for k in ("lines", "accepted", "rejected")}),
      "errors:", errors)
print(f"check: accepted + rejected == lines: {ct['accepted']} + {rejected} == {ct['lines']}:",
      "ok" if ok and errors == 0 else "FAILED")
print(f"check: as generated ({want_acc} accepted, {want_rej} rejected):",
      "ok" if (ct["accepted"], rejected) == (want_acc, want_rej) else "DIFFERENT")
print()
print(f"{'path':<26}{'shipments':>10}{'seconds':>10}{'shipments/s':>13}{'peak RSS MB':>13}{'CPU s':>8}")
print(f"{'chiptoll import (rules)':<26}{n:>10}{ct_s:>10.2f}{ct_rate:>13.0f}{ct_rss:>13.1f}{ct_cpu:>8.2f}")
print(f"{'raw SQLite insert':<26}{raw['shipments']:>10}{raw_s:>10.2f}{raw_rate:>13.0f}{raw_rss:>13.1f}{raw_cpu:>8.2f}")
ratio = ct_rate / raw_rate
print()
print(f"ratio chiptoll/raw: {ratio:.1%}   (target >= 50%: {'met' if ratio >= 0.5 else 'NOT met'})")
print(f"CPU-time ratio raw/chiptoll (user+sys, less sensitive to other load): {raw_cpu / ct_cpu:.1%}")
print(f"chiptoll peak RSS: {ct_rss:.1f} MB   (target < 100 MB: {'met' if ct_rss < 100 else 'NOT met'})")
print(f"(raw_insert's own clock: {raw['seconds']:.2f} s; {group} lines per transaction in both;"
      f" WAL, synchronous=FULL)")
print()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
print(f"machine: nproc {nproc}, CPU {cpu}, load average {open('/proc/loadavg').read().split()[0:3]}")
print(mem)
sys.exit(0 if ok and errors == 0 else 3)
PY
[ $status -eq 0 ] || die "the import's summary does not add up (see above)"
exit 0
