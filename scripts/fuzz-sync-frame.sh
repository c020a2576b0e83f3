#!/usr/bin/env bash
# Fuzzes the sync protocol's frame decoder with libFuzzer (Linux; libFuzzer ships with the
# toolchain). The same approach as scripts/fuzz-change-batch.sh, for fuzz/FuzzSyncFrame.swift.
#
# Usage: scripts/fuzz-sync-frame.sh [seconds=120] [more libFuzzer flags...]
#   PACKAGE_DIR  the package to build (default: this repository)
#   BUILD_DIR    where to build (default: $PACKAGE_DIR/.build-fuzz; first build takes minutes;
#                shared with fuzz-change-batch.sh, so the second script builds nothing new)
#
# How:
#   1. `swift build -c release --target Replication -Xswiftc -sanitize=fuzzer,address` compiles
#      Replication and its dependencies with coverage instrumentation and AddressSanitizer
#      (SwiftPM cannot link a libFuzzer binary itself: libFuzzer brings its own `main`).
#   2. `swiftc -sanitize=fuzzer,address -parse-as-library` compiles fuzz/FuzzSyncFrame.swift
#      against the built modules (the -I and -Xcc module map flags SwiftPM used for
#      Replication are taken from its build manifest) and links it with their object files.
#   3. The fuzzer runs on $BUILD_DIR/corpus-sync-frame, seeded with one small frame of each
#      message type written below. Findings go to $BUILD_DIR/findings-sync-frame/ (crash-*,
#      leak-*, timeout-*, oom-*). Reproduce one with `$BUILD_DIR/fuzz-sync-frame FILE`; after
#      fixing the decoder, add its bytes to `pastCrashers` in
#      Tests/ReplicationTests/Protocol/SyncFrameDecoderTortureTests.swift.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/fuzz-common.sh"
shift || true

build_harness FuzzSyncFrame.swift fuzz-sync-frame

corpus="$build/corpus-sync-frame"
mkdir -p "$corpus" "$build/findings-sync-frame"
# Seeds: one frame of each kind (docs/PROTOCOL.md gives the layouts).
node='\xa8\xd1\xca\x9a\xf0\x73\xe3\xd7\xed\x9f\x8d\x51\xc0\x9e\xa8\x63\xd0\x17\x80\xd3\x63\x82\x65\x83\xe8\xa3\x2e\x47\xb2\x39\x64\xd9'
printf '\x00\x00\x00\x54\x01NXSY\x00\x01'"$node"'\x0aFront desk\x01'"$node"'\x05' >"$corpus/seed-hello"
printf '\x00\x00\x00\x24\x03\x01'"$node"'\xac\x02' >"$corpus/seed-applied"
printf '\x00\x00\x00\x01\x04\x00\x00\x00\x01\x09' >"$corpus/seed-doneSending-goodbye"
printf '\x00\x00\x00\x24\x05\x01'"$node"'\x90\x4e' >"$corpus/seed-wantBlobs"
printf '\x00\x00\x00\x27\x06'"$node"'\x00\x04\x01\x02\x03\x04' >"$corpus/seed-blobChunk"
printf '\x00\x00\x00\x21\x07'"$node" >"$corpus/seed-blobMissing"
printf '\x00\x00\x00\x08\x08\x01x\x04\xc3\xbc!!' >"$corpus/seed-refusal"

echo "== fuzzing for $seconds s"
# The harness limits frames and batch bodies to 1 MiB; -rss_limit_mb leaves room for ASan.
"$build/fuzz-sync-frame" "$corpus" \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=8192 \
    -artifact_prefix="$build/findings-sync-frame/" -print_final_stats=1 "$@"
