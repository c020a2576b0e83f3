#!/usr/bin/env bash
# Fuzzes applying peers' batches (`Replica.apply`) with libFuzzer (Linux; libFuzzer ships with
# the toolchain). The same approach as scripts/fuzz-change-batch.sh, for fuzz/FuzzApply.swift.
#
# Usage: scripts/fuzz-apply.sh [seconds=120] [corpus-dir] [more libFuzzer flags...]
#   corpus-dir   where the corpus lives (default: $BUILD_DIR/corpus-apply); seeded with
#                Tests/ReplicationTests/Crashers/apply/* and ok-minimal-batch.bin
#   PACKAGE_DIR  the package to build (default: this repository)
#   BUILD_DIR    where to build (default: $PACKAGE_DIR/.build-fuzz; first build takes minutes;
#                shared with the other fuzz scripts)
#   FUZZ_APPLY_FRESH_EVERY  inputs applied to one replica before it is made anew (default 16)
#
# How:
#   1. `swift build -c release --target Replication -Xswiftc -sanitize=fuzzer,address` compiles
#      Replication and its dependencies (GRDB included) with coverage instrumentation and
#      AddressSanitizer.
#   2. `swiftc -sanitize=fuzzer,address -parse-as-library` compiles fuzz/FuzzApply.swift and
#      Tests/ReplicationTests/Fuzz/HostileBatchGenerator.swift (the generator the replay test
#      shares) against the built modules, and links them with their object files and the
#      system SQLite.
#   3. The fuzzer runs on the corpus; findings go to $BUILD_DIR/findings-apply/ (crash-*,
#      leak-*, timeout-*, oom-*). Reproduce one with `$BUILD_DIR/fuzz-apply FILE` (a fresh
#      replica per process, so a finding that needs an earlier input's state may not
#      reproduce alone; FUZZ_APPLY_FRESH_EVERY=1 makes every input start from an empty one).
#      After fixing the engine, copy the file to Tests/ReplicationTests/Crashers/apply/, where
#      ApplyCrasherReplayTests replays it through the same generator.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fuzz-common.sh"
shift || true
corpus="$build/corpus-apply"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
    corpus="$1"
    shift
fi

build_harness FuzzApply.swift fuzz-apply \
    "$package/Tests/ReplicationTests/Fuzz/HostileBatchGenerator.swift" -lsqlite3

mkdir -p "$corpus" "$build/findings-apply"
cp "$package"/Tests/ReplicationTests/Crashers/apply/* "$corpus/" 2>/dev/null || true
cp "$package"/Tests/ReplicationTests/Crashers/ok-minimal-batch.bin "$corpus/" 2>/dev/null || true
# A few structured seeds: every byte picks one choice of the generator (see its comments).
printf '\x02\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$corpus/seed-one-customer-write"
printf '\x05\x07\x01\x00\x00\x00\x06\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c' \
    >"$corpus/seed-eight-changes"

echo "== fuzzing for $seconds s on $corpus"
# Without allocation stacks ASan costs a third of the time here (every SQLite row allocates);
# set ASAN_OPTIONS to get them back when reproducing a finding.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0}"
# The Swift runtime's backtracer and ASan both catch a fatalError; only ASan's report is needed.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
# One process (no -jobs/-workers): the machine is shared. No leak checks: the replica and
# GRDB's caches live across inputs, so LeakSanitizer would rescan the heap after most of them.
"$build/fuzz-apply" "$corpus" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -max_len=4096 \
    -detect_leaks=0 -artifact_prefix="$build/findings-apply/" -print_final_stats=1 "$@"
