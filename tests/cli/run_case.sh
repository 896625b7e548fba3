#!/usr/bin/env bash
# Runs one golden case of the `ordertrail` command.
#
#   run_case.sh BIN_DIRS CASE_DIR DATA_DIR
#
# CASE_DIR/cmd is a bash snippet run in DATA_DIR with BIN_DIRS (':'-separated:
# the ordertrail under test, the test generator) first on PATH, stdin from
# /dev/null, in a scratch $TMPDIR. Its stdout, stderr and exit code must equal
# CASE_DIR/stdout, CASE_DIR/stderr and CASE_DIR/exit. Run-dependent numbers
# (elapsed seconds, orders/s, the OS tz database version, how far a sweep got
# before a closed pipe) are normalised first.
# ORDERTRAIL_UPDATE_GOLDEN=1 writes the files instead (review them by hand).
set -u
bin_dirs=$1
case_dir=$2
data_dir=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

unset NO_COLOR
export TERM=dumb LC_ALL=C.UTF-8 TMPDIR="$scratch" PATH="$bin_dirs:$PATH"
(cd "$data_dir" && bash -c "$(cat "$case_dir/cmd")" </dev/null >"$scratch/stdout.raw" 2>"$scratch/stderr.raw")
echo $? >"$scratch/exit"

normalise() {
  sed -E -e 's/[0-9]+\.[0-9]{3} s, [0-9]+ orders\/s/T s, R orders\/s/' \
         -e 's/stopped after [0-9]+ lines/stopped after N lines/' \
         -e 's/OS tz database \(version [^)]*\)/OS tz database (version V)/' \
         -e 's/"tzdb_version":"[^"]*"/"tzdb_version":"V"/' "$1"
}
normalise "$scratch/stdout.raw" >"$scratch/stdout"
normalise "$scratch/stderr.raw" >"$scratch/stderr"

if [ "${ORDERTRAIL_UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$scratch/stdout" "$scratch/stderr" "$scratch/exit" "$case_dir/"
  exit 0
fi
status=0
for f in exit stdout stderr; do
  if ! diff -u --label "expected $f" --label "actual $f" "$case_dir/$f" "$scratch/$f"; then
    status=1
  fi
done
exit $status
