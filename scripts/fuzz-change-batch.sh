#!/usr/bin/env bash
# Fuzzes the change batch decoder with libFuzzer (Linux; libFuzzer ships with the toolchain).
#
# Usage: scripts/fuzz-change-batch.sh [seconds=120] [more libFuzzer flags...]
#   PACKAGE_DIR  the package to build (default: this repository)
#   BUILD_DIR    where to build (default: $PACKAGE_DIR/.build-fuzz; first build takes minutes)
#
# How:
#   1. `swift build -c release --target Replication -Xswiftc -sanitize=fuzzer,address` compiles
#      Replication and its dependencies with coverage instrumentation and AddressSanitizer
#      (SwiftPM cannot link a libFuzzer binary itself: libFuzzer brings its own `main`).
#   2. `swiftc -sanitize=fuzzer,address -parse-as-library` compiles fuzz/FuzzChangeBatch.swift
#      against the built modules (the -I and -Xcc module map flags SwiftPM used for
#      Replication are taken from its build manifest) and links it with their object files.
#   3. The fuzzer runs on $BUILD_DIR/corpus, seeded with Tests/ReplicationTests/Crashers.
#      Findings are written to $BUILD_DIR/findings/ (crash-*, leak-*, timeout-*, oom-*).
#      Reproduce one with `$BUILD_DIR/fuzz-change-batch FILE`; after fixing the decoder, add
#      the file to Tests/ReplicationTests/Crashers/ named by the error code it now throws.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fuzz-common.sh"
shift || true

build_harness FuzzChangeBatch.swift fuzz-change-batch

mkdir -p "$build/corpus" "$build/findings"
cp "$package"/Tests/ReplicationTests/Crashers/*.bin "$build/corpus/" 2>/dev/null || true

echo "== fuzzing for $seconds s"
# The harness limits bodies to 1 MiB; -rss_limit_mb leaves room for ASan on top.
"$build/fuzz-change-batch" "$build/corpus" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$build/findings/" -print_final_stats=1 "$@"
