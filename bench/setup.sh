#!/usr/bin/env bash
# Creates the database state the benchmark's import needs, through the
# CLI only, from the plan gen_shipments wrote:
#
#   bench/setup.sh CHIPTOLL DB PLAN
#
# vendors NVIDIA and AMD, the customers (CN) and a US lab, all approved;
# the licenses applied for from 2026-01-20 and approved; one lab
# certificate per batch; US domestic volumes large enough for the 50% cap.
# Not timed by the bench.
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: bench/setup.sh CHIPTOLL DB PLAN" >&2
	exit 2
fi
ct=$1 db=$2 plan=$3

run() {
	local out
	if ! out=$("$ct" --db "$db" --actor bench-setup --json "$@" 2>&1); then
		echo "bench setup: chiptoll $* failed: $out" >&2
		exit 1
	fi
	printf '%s' "$out"
}

party() { # ROLE ID NAME [ARGS]
	local role=$1 id=$2 name=$3
	shift 3
	run party add --role "$role" --id "$id" --name "$name" "$@" >/dev/null
	run party approve "$id" >/dev/null
}

run init >/dev/null
n_lic=0 n_cert=0
while read -r kind a rest; do
	read -r b c d e _ <<<"$rest"
	case $kind in
	vendor)   party vendor "$a" "$rest" --country US ;;
	lab)      party lab "$a" "$rest" --country US ;;
	customer) party customer "$a" "$rest" --country CN --end-uses training,inference ;;
	license)
		# a=expected id, b=vendor, c=customer, d=product, e=units
		out=$(run license apply --vendor "$b" --customer "$c" --product "$d" --units "$e" \
			--end-use training --from 2026-01-20)
		case $out in
		*"\"license\":$a,"*"\"status\":\"pending\""*) ;;
		*) echo "bench setup: license $a: unexpected answer: $out" >&2; exit 1 ;;
		esac
		run license approve "$a" >/dev/null
		n_lic=$((n_lic + 1)) ;;
	cert)
		run lab certify --lab "$a" --product "$b" --batch "$c" --units "$d" \
			--date 2026-01-20 >/dev/null
		n_cert=$((n_cert + 1)) ;;
	domestic)
		run domestic record --vendor "$a" --product "$b" --units "$c" --date 2026-01-15 \
			>/dev/null ;;
	expect) ;;
	*) echo "bench setup: unknown plan line: $kind" >&2; exit 1 ;;
	esac
done <"$plan"
echo "setup: $n_lic licenses, $n_cert lab certificates in $db"
