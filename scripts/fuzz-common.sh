# Shared by scripts/fuzz-*.sh (source it, do not run it): builds Replication with libFuzzer and
# AddressSanitizer, and links a harness from fuzz/ against it.
#
# After sourcing: $repo, $package (PACKAGE_DIR, default the repository), $build (BUILD_DIR,
# default $package/.build-fuzz, shared by every harness), $seconds (the first argument,
# default 120; shifted off by the caller with `shift || true`).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$script_dir/.." && pwd)"
package="${PACKAGE_DIR:-$repo}"
build="${BUILD_DIR:-$package/.build-fuzz}"
seconds="${1:-120}"

# build_harness SOURCE OUTPUT [SWIFTC ARGS...]: compiles fuzz/SOURCE into $build/OUTPUT; the
# further arguments go to swiftc as they are (more source files, libraries to link).
build_harness() {
    local source="$1" output="$2"
    shift 2
    echo "== building Replication with -sanitize=fuzzer,address in $build"
    swift build --package-path "$package" --build-path "$build" -c release --target Replication \
        -Xswiftc -sanitize=fuzzer,address
    local bin
    bin="$(swift build --package-path "$package" --build-path "$build" -c release --show-bin-path)"

    # The -Xcc flags (C module maps and include paths) SwiftPM passed when compiling Replication.
    local line
    line="$(grep -F '"-module-name","Replication"' "$build/release.yaml" | head -n 1)"
    local xcc=()
    while IFS= read -r flag; do
        xcc+=(-Xcc "$flag")
    done < <(printf '%s\n' "$line" | grep -o '"-Xcc","[^"]*"' | sed -e 's/^"-Xcc","//' -e 's/"$//')

    local objects=()
    while IFS= read -r object; do
        objects+=("$object")
    done < <(find "$bin" -path '*.build/*' -name '*.o' | sort)

    echo "== linking the harness with ${#objects[@]} objects"
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
        -I "$bin/Modules" "${xcc[@]}" -module-cache-path "$bin/ModuleCache" \
        "$repo/fuzz/$source" "$@" "${objects[@]}" -lz \
        -o "$build/$output"
}
