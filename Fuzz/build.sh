#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/Targets/*.swift) with ASan + libFuzzer coverage.
#
# Package.swift is left alone: every module a target needs is compiled straight from Sources/ with
# swiftc into a static library under $FUZZ_BUILD (default .build-fuzz, never .build), in dependency
# order, and each harness is linked against the libraries it imports. The C shims are compiled with
# clang; OpenSSL, libarchive and libcurl come from the system through Sources/C*/module.modulemap.
# Libraries are rebuilt only when one of their sources (or a library they import) is newer.
#
#   Fuzz/build.sh                 every target
#   Fuzz/build.sh safejson semver just those
#   Fuzz/build.sh --list          the target names
# Environment: FUZZ_BUILD (scratch folder), SWIFTC, CLANG, FUZZ_NICE (default "nice -n 10").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$(mkdir -p "${FUZZ_BUILD:-.build-fuzz}" && cd "${FUZZ_BUILD:-.build-fuzz}" && pwd)"
SWIFTC="${SWIFTC:-swiftc}"
CLANG="${CLANG:-clang}"
NICE="${FUZZ_NICE-nice -n 10}"
MODS="$OUT/modules"
LIBS="$OUT/lib"
BIN="$OUT/bin"
LOGS="$OUT/logs"
mkdir -p "$MODS" "$LIBS" "$BIN" "$LOGS" "$OUT/cmaps/COpenSSLShims" "$OUT/cmaps/CCurlShims"

ALL_TARGETS=(safejson semver packument lockfile npmrc sri sigstore dsse x509 ecdsa tarball publish tuf)

pkg-config --exists openssl libarchive libcurl 2>/dev/null || {
    echo "fuzz build: the OpenSSL, libarchive and libcurl development packages are missing (make deps installs them)" >&2
    exit 1
}
SAN=(-sanitize=fuzzer,address)
SWIFT_FLAGS=(-Onone -g -wmo -parse-as-library -swift-version 6 -enable-testing -suppress-warnings)
SYS_CFLAGS=($(pkg-config --cflags openssl libarchive libcurl))
INCLUDES=(-I "$MODS" -I Sources/COpenSSL -I Sources/CArchive -I Sources/CCurl
          -I "$OUT/cmaps/COpenSSLShims" -I "$OUT/cmaps/CCurlShims")
for f in "${SYS_CFLAGS[@]}"; do INCLUDES+=(-Xcc "$f"); done
SYSLIBS=(-lssl -lcrypto -larchive -lcurl)

# The linker complains about every ASan register thunk; keep the log readable.
quiet() { grep -v "Cannot export local symbol" || true; }

# newer OUTPUT INPUT...: true when OUTPUT is missing or older than any INPUT.
stale() {
    local output="$1"; shift
    [ -e "$output" ] || return 0
    local input
    for input in "$@"; do [ "$input" -nt "$output" ] && return 0; done
    return 1
}

# C shims: module maps SwiftPM would generate, objects with ASan + coverage.
cshim() {
    local name="$1"
    local header="$ROOT/Sources/$name/include/$name.h"
    printf 'module %s {\n    header "%s"\n    export *\n}\n' "$name" "$header" > "$OUT/cmaps/$name/module.modulemap.new"
    cmp -s "$OUT/cmaps/$name/module.modulemap.new" "$OUT/cmaps/$name/module.modulemap" 2>/dev/null \
        && rm "$OUT/cmaps/$name/module.modulemap.new" \
        || mv "$OUT/cmaps/$name/module.modulemap.new" "$OUT/cmaps/$name/module.modulemap"
    local sources=("Sources/$name"/*.c) objects=() source
    if stale "$LIBS/lib$name.a" "${sources[@]}" "$header"; then
        echo "fuzz build: C $name"
        for source in "${sources[@]}"; do
            local object="$LIBS/$name-$(basename "$source" .c).o"
            $NICE "$CLANG" -g -O1 -fsanitize=address,fuzzer-no-link "${SYS_CFLAGS[@]}" -I "Sources/$name/include" \
                -c "$source" -o "$object"
            objects+=("$object")
        done
        rm -f "$LIBS/lib$name.a"
        ar rcs "$LIBS/lib$name.a" "${objects[@]}"
    fi
}

# module NAME "DEP..." FILE...: a Swift module as a static library plus its .swiftmodule.
module() {
    local name="$1" deps="$2"; shift 2
    local inputs=("$@") dep
    for dep in $deps; do inputs+=("$LIBS/lib$dep.a"); done
    if stale "$LIBS/lib$name.a" "${inputs[@]}" "$ROOT/Fuzz/build.sh"; then
        echo "fuzz build: module $name"
        rm -f "$LIBS/lib$name.a"
        if ! $NICE "$SWIFTC" "${SAN[@]}" "${SWIFT_FLAGS[@]}" "${INCLUDES[@]}" -module-name "$name" \
            -emit-module -emit-module-path "$MODS/$name.swiftmodule" \
            -emit-library -static -o "$LIBS/lib$name.a" "$@" >"$LOGS/$name.log" 2>&1; then
            quiet < "$LOGS/$name.log" | head -40 >&2
            echo "fuzz build: module $name failed (full log: $LOGS/$name.log)" >&2
            return 1
        fi
    fi
}

# The modules, each built at most once, dependencies first.
declare -A BUILT=()
need() {
    local name
    for name in "$@"; do
        [ -n "${BUILT[$name]:-}" ] && continue
        case "$name" in
        COpenSSLShims|CCurlShims) cshim "$name" ;;
        CodedError)     module CodedError "" Sources/CodedError/*.swift ;;
        Hex)            module Hex "" Sources/Hex/*.swift ;;
        DurableFile)    module DurableFile "" Sources/DurableFile/*.swift ;;
        SafeJSON)       module SafeJSON "" Sources/SafeJSON/*.swift ;;
        Semver)         need CodedError; module Semver "CodedError" Sources/Semver/*.swift ;;
        OpenSSLCrypto)  need COpenSSLShims; module OpenSSLCrypto "COpenSSLShims" Sources/OpenSSLCrypto/*.swift ;;
        Integrity)      need OpenSSLCrypto Hex; module Integrity "OpenSSLCrypto Hex" Sources/Integrity/*.swift ;;
        NpmModel)       need SafeJSON Semver Integrity CodedError Hex
                        module NpmModel "SafeJSON Semver Integrity CodedError Hex" Sources/NpmModel/*.swift ;;
        CurlTransport)  need CCurlShims CodedError; module CurlTransport "CCurlShims CodedError" Sources/CurlTransport/*.swift ;;
        RegistryClient) need NpmModel CurlTransport OpenSSLCrypto CodedError
                        module RegistryClient "NpmModel CurlTransport OpenSSLCrypto CodedError" Sources/RegistryClient/*.swift ;;
        SigstoreModels) need SafeJSON; module SigstoreModels "SafeJSON" Sources/SigstoreModels/*.swift ;;
        SigstoreVerify) need SigstoreModels OpenSSLCrypto CodedError Hex
                        module SigstoreVerify "SigstoreModels OpenSSLCrypto CodedError Hex" Sources/SigstoreVerify/*.swift ;;
        LibArchive)     module LibArchive "" Sources/LibArchive/*.swift ;;
        Tarball)        need LibArchive Integrity CodedError DurableFile
                        module Tarball "LibArchive Integrity CodedError DurableFile" Sources/Tarball/*.swift ;;
        TUF)            need CurlTransport OpenSSLCrypto SafeJSON CodedError Hex DurableFile
                        module TUF "CurlTransport OpenSSLCrypto SafeJSON CodedError Hex DurableFile" $(find Sources/TUF -name '*.swift' | sort) ;;
        # FixtureRegistry's publish-body parser without Hummingbird: the files PublishRequest needs, with
        # swift-crypto's three hash functions provided over OpenSSL by Fuzz/Support/CryptoShim.swift.
        Crypto)         need OpenSSLCrypto; module Crypto "OpenSSLCrypto" Fuzz/Support/CryptoShim.swift ;;
        *) echo "fuzz build: unknown module $name" >&2; false ;;
        esac || return 1
        BUILT[$name]=1
    done
}

# target NAME "MODULES (dependents before dependencies)" [EXTRA SOURCES...]
target() {
    local name="$1" mods="$2"; shift 2
    need $mods
    local harness="Fuzz/Targets/$name.swift" libs=() inputs=("$@") mod
    for mod in $mods; do libs+=(-l"$mod"); inputs+=("$LIBS/lib$mod.a"); done
    if stale "$BIN/fuzz-$name" "$harness" "${inputs[@]}" Fuzz/Support/Harness.swift; then
        echo "fuzz build: target $name"
        if ! $NICE "$SWIFTC" "${SAN[@]}" "${SWIFT_FLAGS[@]}" "${INCLUDES[@]}" -module-name "Fuzz_$name" \
            "$harness" Fuzz/Support/Harness.swift "$@" -L "$LIBS" "${libs[@]}" "${SYSLIBS[@]}" \
            -o "$BIN/fuzz-$name" >"$LOGS/fuzz-$name.log" 2>&1; then
            quiet < "$LOGS/fuzz-$name.log" | head -40 >&2
            echo "fuzz build: target $name failed (full log: $LOGS/fuzz-$name.log)" >&2
            return 1
        fi
    fi
}

build_target() {
    case "$1" in
    safejson)  target safejson "SafeJSON" ;;
    semver)    target semver "Semver CodedError" ;;
    packument) target packument "NpmModel Integrity Hex OpenSSLCrypto COpenSSLShims Semver SafeJSON CodedError" ;;
    lockfile)  target lockfile "NpmModel Integrity Hex OpenSSLCrypto COpenSSLShims Semver SafeJSON CodedError" ;;
    npmrc)     target npmrc "RegistryClient NpmModel Integrity Hex CurlTransport CCurlShims OpenSSLCrypto COpenSSLShims Semver SafeJSON CodedError" ;;
    sri)       target sri "Integrity Hex OpenSSLCrypto COpenSSLShims" ;;
    sigstore)  target sigstore "SigstoreVerify SigstoreModels OpenSSLCrypto COpenSSLShims SafeJSON CodedError Hex" ;;
    dsse)      target dsse "SigstoreModels SafeJSON" ;;
    x509)      target x509 "OpenSSLCrypto COpenSSLShims" ;;
    ecdsa)     target ecdsa "OpenSSLCrypto COpenSSLShims" ;;
    tarball)   target tarball "Tarball LibArchive Integrity Hex OpenSSLCrypto COpenSSLShims CodedError DurableFile" ;;
    publish)   target publish "Crypto OpenSSLCrypto COpenSSLShims Semver SafeJSON CodedError Hex" \
                   Sources/FixtureRegistry/PublishRequest.swift Sources/FixtureRegistry/PackageName.swift \
                   Sources/FixtureRegistry/RegistryError.swift Sources/FixtureRegistry/RegistryLimits.swift \
                   Sources/FixtureRegistry/TarballDigest.swift ;;
    tuf)       [ -d Sources/TUF ] || { echo "fuzz build: Sources/TUF does not exist; no tuf target" >&2; return 1; }
               target tuf "TUF CurlTransport CCurlShims OpenSSLCrypto COpenSSLShims SafeJSON CodedError Hex DurableFile" ;;
    *) echo "fuzz build: unknown target $1 (known: ${ALL_TARGETS[*]})" >&2; return 1 ;;
    esac
}

if [ "${1:-}" = "--list" ]; then echo "${ALL_TARGETS[*]}"; exit 0; fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
failed=()
for t in "${targets[@]}"; do
    build_target "$t" || failed+=("$t")
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz build: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "fuzz build: ${#targets[@]} target(s) in $BIN"
