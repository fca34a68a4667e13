#!/bin/sh
# Times resolving nf-core/sarek's nextflow.config with all its (local)
# includes: nf-preflight (median of N runs) and the shared Groovy oracle (one
# run, JVM start included, since that is what using it costs), in one run.
#
# usage: bench/resolve-vs-oracle.sh [NF_PREFLIGHT] [N]
#   NF_PREFLIGHT  the binary (default: build/nf-preflight)
#   N             runs of nf-preflight (default 21)
# Needs $NFP_SHARED (default: ../shared next to the repo) with corpus/ and
# oracle/, and Debian's groovy.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
nfp=${1:-$here/build/nf-preflight}
n=${2:-21}
shared=${NFP_SHARED:-$here/../shared}
cfg=$shared/corpus/nf-core__sarek/nextflow.config
oracle=$shared/oracle/nfconfig-oracle.groovy
[ -x "$nfp" ] || { echo "no nf-preflight binary at $nfp" >&2; exit 2; }
[ -f "$cfg" ] || { echo "no sarek config at $cfg" >&2; exit 2; }
command -v groovy >/dev/null || { echo "groovy is not installed (apt-get install groovy)" >&2; exit 2; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")"); export JAVA_HOME
fi
now_ns() { date +%s%N; }

times=""
i=0
while [ "$i" -lt "$n" ]; do
  t0=$(now_ns)
  "$nfp" config --format canonical --syntax v1 --clean-env "$cfg" >/dev/null 2>&1 || true
  t1=$(now_ns)
  times="$times $(( (t1 - t0) / 1000 ))"
  i=$((i + 1))
done
ours_us=$(printf '%s\n' $times | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
keys=$("$nfp" config --format canonical --syntax v1 --clean-env "$cfg" 2>/dev/null | wc -l)

t0=$(now_ns)
okeys=$(groovy "$oracle" -clean-env "$cfg" 2>/dev/null | grep -vc '^#' || true)
t1=$(now_ns)
oracle_us=$(( (t1 - t0) / 1000 ))

echo "config: nf-core/sarek nextflow.config with its local includes ($keys keys ours, $okeys keys oracle)"
awk -v o="$ours_us" -v g="$oracle_us" -v n="$n" 'BEGIN {
  printf "nf-preflight: %8.1f ms (median of %d runs)\n", o / 1000, n
  printf "oracle:       %8.1f ms (one run, JVM start included)\n", g / 1000
  printf "ratio:        %8.1fx (oracle time / nf-preflight time)\n", g / (o > 0 ? o : 1)
}'
