#!/usr/bin/env bash
# The demo scenario of `make run`: a fresh database, the bundled policy and
# catalog, and a season of the regime through the CLI. Each step states
# the exit code it expects, so the demo fails loudly if the rules change.
# Usage: scripts/demo.sh PATH/TO/chiptoll [DB]
set -euo pipefail
bin=${1:-build/chiptoll}
db=${2:-demo.db}
rm -f "$db" "$db-wal" "$db-shm"
export CHIPTOLL_DB=$db

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# run EXPECTED_EXIT ACTOR chiptoll-args...
run() {
	local want=$1 actor=$2
	shift 2
	printf '$ chiptoll %s\n' "$*"
	local rc=0
	"$bin" --actor "$actor" "$@" || rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "demo: expected exit $want from 'chiptoll $*', got $rc" >&2
		exit 1
	fi
}
quiet() { "$bin" --actor "$1" "${@:2}" >/dev/null; }

serials() { # serials PREFIX FROM COUNT > file
	local i
	for ((i = $2; i < $2 + $3; i++)); do printf '%s-%08d\n' "$1" "$i"; done
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

step "A fresh database with policy 2026-01-15 and the product catalog"
run 0 bis-admin init

step "Restricted-party lists: OFAC SDN, BIS Denied Persons, a CSL sample, the BIS Entity List"
lists=$(cd "$(dirname "$0")/.." && pwd)/data/lists
# quiet: one line per list, its source and entry count
import_list() { "$bin" --actor bis-admin --json lists import "$@" |
	sed -n 's/.*"source":"\([^"]*\)".*"entries":\([0-9]*\).*/  \1: \2 entries/p'; }
import_list --format sdn "$lists"
import_list --format dpl "$lists/bis_dpl.txt"
import_list --format csl "$lists/csl_2019_sample.csv"
import_list --format csl "$lists/bis_entity_list_2026.csv"
import_list --format csl "$lists/entity_list_cn_ai.csv"
run 0 bis-admin product classify H200
run 0 bis-admin product compare H200 H20

step "Vendors, a qualified US lab, and customers (one located in Singapore, HQ in China; one declaring military use)"
quiet bis-admin party add --role vendor --id NVIDIA --name "NVIDIA Corporation" --country US
quiet bis-admin party add --role vendor --id AMD --name "Advanced Micro Devices, Inc." --country US
quiet bis-admin party add --role vendor --id Intel --name "Intel Corporation" --country US
quiet bis-admin party add --role lab --id svtl --name "Silicon Valley Test Laboratories LLC" --country US
quiet bis-admin party add --role customer --id alibaba-cloud --name "Alibaba Cloud Computing Co., Ltd." \
	--name-zh "阿里云计算有限公司" --country CN --end-uses training,inference,cloud
quiet bis-admin party add --role customer --id volcano-engine --name "Beijing Volcano Engine Technology Co., Ltd." \
	--name-zh "北京火山引擎科技有限公司" --country CN --end-uses training,inference
quiet bis-admin party add --role customer --id tencent-cloud --name "Tencent Cloud Computing (Beijing) Co., Ltd." \
	--name-zh "腾讯云计算（北京）有限责任公司" --country CN --end-uses inference,cloud
quiet bis-admin party add --role customer --id sinopac-compute --name "Sino-Pacific Compute Pte. Ltd." \
	--country SG --hq-country CN --end-uses training
quiet bis-admin party add --role customer --id northern-institute --name "Northern Computing Institute" \
	--country CN --end-uses research,military
for p in NVIDIA AMD Intel svtl alibaba-cloud volcano-engine tencent-cloud sinopac-compute; do
	quiet bis-licensing party approve "$p"
done
run 0 bis-licensing party list --role customer

step "US domestic volumes (the cap's denominator) and lab certificates"
run 0 nvidia-compliance domestic record --vendor NVIDIA --product H200 --units 40000 --date 2026-02-01
run 0 amd-compliance domestic record --vendor AMD --product MI325X --units 1600 --date 2026-02-01
run 0 svtl-lab lab certify --lab svtl --product H200 --batch NV-2026-03-A --units 2000 --date 2026-03-01
run 0 svtl-lab lab certify --lab svtl --product MI325X --batch AMD-2026-03-01 --units 1000 --date 2026-03-01

step "License applications: automatic checks, then a licensing officer decides"
run 0 nvidia-compliance license apply --vendor NVIDIA --customer alibaba-cloud --product H200 --units 5000 \
	--end-use training,inference --from 2026-02-15
run 0 nvidia-compliance license apply --vendor NVIDIA --customer volcano-engine --product H200 --units 3000 \
	--end-use training --from 2026-02-15
run 0 amd-compliance license apply --vendor AMD --customer tencent-cloud --product MI325X --units 2000 \
	--end-use inference --from 2026-02-15
run 1 nvidia-compliance license apply --vendor NVIDIA --customer sinopac-compute --product H200 --units 500 \
	--end-use training --from 2026-02-15
run 1 nvidia-compliance license apply --vendor NVIDIA --customer northern-institute --product H200 --units 200 \
	--end-use military --from 2026-02-15
run 1 nvidia-compliance license apply --vendor NVIDIA --customer alibaba-cloud --product B200 --units 100 \
	--end-use training --from 2026-02-15
run 1 nvidia-compliance license apply --vendor NVIDIA --customer volcano-engine --product H20 --units 1000 \
	--end-use inference --from 2026-02-15
run 0 nvidia-compliance license apply --vendor NVIDIA --customer volcano-engine --product H20 --units 1000 \
	--end-use inference --from 2025-09-01 --until 2026-01-14
run 0 amd-compliance license apply --vendor AMD --customer alibaba-cloud --product MI325X --units 800 \
	--end-use training --from 2026-02-15
run 0 bis-licensing license approve 1 --units 4000
run 0 bis-licensing license approve 2
run 0 bis-licensing license approve 3
run 0 bis-licensing license approve 8
run 0 bis-licensing license deny 9 --reason "End-use statement incomplete; reapply with data-center addresses"
run 0 bis-licensing license list

step "Export shipments: booked with the fee, or rejected with the rule"
serials NV-H200 1 800 >"$tmp/lot1.txt"
run 0 nvidia-compliance ship --license 1 --units 800 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-05 --serials "$tmp/lot1.txt" --key nv-2026-0001
echo "(the network drops; the vendor's system retries with the same key)"
run 0 nvidia-compliance ship --license 1 --units 800 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-05 --serials "$tmp/lot1.txt" --key nv-2026-0001
serials AMD-MI325X 1 500 >"$tmp/lot2.txt"
run 0 amd-compliance ship --license 3 --units 500 --unit-value 21500.00 --batch AMD-2026-03-01 \
	--date 2026-03-06 --serials "$tmp/lot2.txt"
run 0 nvidia-compliance ship --license 8 --units 96 --unit-value 12000.00 --batch NV-H20-2025-10 \
	--date 2025-10-02
run 1 amd-compliance ship --license 3 --units 400 --unit-value 21500.00 --batch AMD-2026-03-01 \
	--date 2026-03-07
run 1 nvidia-compliance ship --license 2 --units 64 --unit-value 27000.00 --batch NV-2026-04-UNTESTED \
	--date 2026-04-02
serials NV-H200 793 8 >"$tmp/lot3.txt"
run 1 nvidia-compliance ship --license 2 --units 8 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-09 --serials "$tmp/lot3.txt"
run 1 nvidia-compliance ship --license 9 --units 8 --unit-value 21000.00 --batch AMD-2026-03-01 \
	--date 2026-03-09
run 1 nvidia-compliance ship --license 1 --units 3300 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-10

step "Commerce suspends supply to one customer, then lifts it"
run 0 bis-licensing suspend --scope customer:volcano-engine --reason "Credible report of diversion under review"
serials NV-H200 2001 8 >"$tmp/lot4.txt"
run 1 nvidia-compliance ship --license 2 --units 8 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-12 --serials "$tmp/lot4.txt"
run 0 bis-licensing resume 1
run 0 nvidia-compliance ship --license 2 --units 8 --unit-value 27000.00 --batch NV-2026-03-A \
	--date 2026-03-12 --serials "$tmp/lot4.txt"

step "The fee is remitted"
run 0 nvidia-compliance ledger remit --vendor NVIDIA --amount 3000000.00 --ref "FEDWIRE 20260401-0042" --date 2026-04-01
run 1 amd-compliance ledger remit --vendor AMD --amount 99999999.00 --ref "typo" --date 2026-04-01
run 0 nvidia-compliance ledger statement --vendor NVIDIA

step "Reports: fees, caps, licenses"
run 0 bis-licensing report fees
run 0 bis-licensing report caps
run 0 bis-licensing report licenses

step "The audit trail verifies"
run 0 auditor audit verify
run 0 auditor audit log --limit 5

step "API tokens (each printed once; only a hash is stored)"
token() { "$bin" --actor bis-admin --json token create "$@" |
	sed -n 's/.*"token":"\([^"]*\)".*/\1/p'; }
regulator=$(token --role regulator --name licensing-officer)
auditor=$(token --role auditor --name gao-auditor)
nvidia=$(token --role vendor --party NVIDIA --name nvidia-compliance)
printf 'regulator  %s\nauditor    %s\nvendor     %s (NVIDIA)\n' "$regulator" "$auditor" "$nvidia"
printf '\nDemo database: %s (try: %s --db %s report fees)\n' "$db" "$bin" "$db"

if [ -n "${CHIPTOLL_SERVE:-}" ]; then
	step "Serving the API on http://$CHIPTOLL_SERVE (Ctrl-C stops it)"
	echo "try: curl -H 'Authorization: Bearer $regulator' http://$CHIPTOLL_SERVE/v1/reports/fees"
	exec "$bin" serve --listen "$CHIPTOLL_SERVE"
fi
