#!/bin/sh
# with-sanitizer-reports.sh DIR COMMAND...: runs a suite of the sanitizer build (TF_SANITIZE) and fails it on any
# sanitizer report, including those of the programs it starts. A suite starts our own binaries (the stand-ins,
# tfsync) as child processes; they are instrumented too, but what they print on stderr is read by the suite or
# nobody, and a stand-in that a suite stops never gets its exit code looked at. So every instrumented process of
# the suite writes its reports to DIR/report.<pid> (the sanitizers' log_path), and they are printed here after the
# suite ends.
set -u
dir=$1
shift
rm -rf "$dir"
mkdir -p "$dir"
log="log_path=$dir/report"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}$log"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}$log"
LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}$log"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS

"$@"
status=$?

found=0
for report in "$dir"/report.*; do
  [ -e "$report" ] || continue
  found=1
  echo "with-sanitizer-reports: $report:" >&2
  cat "$report" >&2
done
if [ "$found" -eq 1 ]; then
  echo "with-sanitizer-reports: sanitizer findings above (the suite itself exited with $status)" >&2
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
