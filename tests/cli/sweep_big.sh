#!/usr/bin/env bash
# A big sweep must account for every input line:
#   sweep_big.sh BIN_DIRS N K
# generates N orders with every K-th line malformed, sweeps them from stdin
# with 2 threads, and checks that output lines + rejects = N, that the rejects
# are exactly lines K, 2K, ..., that output and rejects are each in input
# order and together cover lines 1..N once, that the exit code is 1 (rejects)
# and that the summary on stderr says the same.
set -euo pipefail
export PATH="$1:$PATH"
n=$2
k=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
  echo "sweep_big: $*" >&2
  exit 1
}

ordertrail_gen_orders "$n" --bad-every "$k" >"$dir/in.ndjson"
[ "$(wc -l <"$dir/in.ndjson")" -eq "$n" ] || fail "generator wrote the wrong number of lines"

set +e
ordertrail sweep - --now 2025-04-01T00:00:00Z --threads 2 -o "$dir/out.ndjson" --rejects "$dir/rej.ndjson" \
  <"$dir/in.ndjson" 2>"$dir/err"
code=$?
set -e
cat "$dir/err" >&2
[ "$code" -eq 1 ] || fail "exit code $code, expected 1 (some lines rejected)"

ok=$(wc -l <"$dir/out.ndjson")
rejected=$(wc -l <"$dir/rej.ndjson")
[ $((ok + rejected)) -eq "$n" ] || fail "$ok results + $rejected rejects != $n lines"
[ "$rejected" -eq $((n / k)) ] || fail "$rejected rejects, expected $((n / k))"

sed -E 's/^\{"line":([0-9]+),.*$/\1/' "$dir/out.ndjson" >"$dir/out.lines"
sed -E 's/^\{"line":([0-9]+),"error":\{"code":"[a-z_]+".*$/\1/' "$dir/rej.ndjson" >"$dir/rej.lines"
awk -v k="$k" '$1 % k != 0 { print "reject on line " $1 " is not a malformed line"; exit 1 }' "$dir/rej.lines" >&2
for f in out rej; do
  awk 'NR > 1 && $1 <= prev { print "line " $1 " after " prev ": not in input order"; exit 1 } { prev = $1 }' \
    "$dir/$f.lines" >&2
done
sort -n "$dir/out.lines" "$dir/rej.lines" | awk 'NR != $1 { print "line " NR " missing or twice"; exit 1 }' >&2
grep -q "$n lines read, $ok ok, $rejected rejected" "$dir/err" || fail "the summary does not match the counts"
echo "sweep_big: $n lines = $ok results + $rejected rejects, in input order"
