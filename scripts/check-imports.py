#!/usr/bin/env python3
"""The manifest tells the truth: each target's declared dependencies equal the modules its files import.

Parses Package.swift's `.target` / `.executableTarget` / `.testTarget` calls (name, path,
dependencies: target names and `.product(name:)` names) and every `import` line of the target's
Swift files. Toolchain modules (Foundation, Glibc, Testing, ...) are ignored. Exits 1 naming
target and module for every module imported but not declared, or declared but never imported,
and for every file of a consumer module (the manifest's `consumerModules`) or of the consumer's
executables that imports the full Foundation rather than FoundationEssentials.

Usage: scripts/check-imports.py [package-root]
"""
import os
import re
import sys

TOOLCHAIN = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "FoundationInternationalization",
    "Glibc", "Musl", "Darwin", "Android", "WinSDK", "ucrt", "CRT", "Dispatch", "Synchronization",
    "Testing", "XCTest", "FoundationXML", "_Concurrency", "Observation", "RegexBuilder", "os", "Swift", "_StringProcessing",
}
TARGET_CALL = re.compile(r'\.(target|executableTarget|testTarget)\(\s*name:\s*"([^"]+)"')
IMPORT = re.compile(
    r'^\s*(?:@[\w]+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?'
    r'import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_]\w*)')


def call_text(source, start):
    """The text of the call whose '(' follows `start`, up to its matching ')'."""
    open_at = source.index("(", start)
    depth = 0
    for i in range(open_at, len(source)):
        if source[i] in "([":
            depth += 1
        elif source[i] in ")]":
            depth -= 1
            if depth == 0:
                return source[open_at:i + 1]
    raise ValueError("unbalanced call at offset %d" % start)


def declared_dependencies(call):
    """Target names and product names in the call's `dependencies: [...]`."""
    at = call.find("dependencies:")
    if at < 0:
        return set()
    deps = bracket_text(call, call.index("[", at))
    products = set(re.findall(r'\.product\(\s*name:\s*"([^"]+)"', deps))
    without_products = re.sub(r'\.product\([^)]*\)', "", deps)
    targets = set(re.findall(r'"([^"]+)"', without_products))
    return products | targets


def bracket_text(text, open_at):
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return text[open_at:i + 1]
    raise ValueError("unbalanced [ at offset %d" % open_at)


def targets(manifest):
    """(name, kind, folder, declared) for every Swift target call in the manifest."""
    source = re.sub(r'//[^\n]*', "", manifest)
    for match in TARGET_CALL.finditer(source):
        kind, name = match.group(1), match.group(2)
        call = call_text(source, match.start())
        path = re.search(r'\bpath:\s*"([^"]+)"', call)
        folder = path.group(1) if path else ("Tests/" if kind == "testTarget" else "Sources/") + name
        yield name, kind, folder, declared_dependencies(call)


def imported_modules(folder):
    modules = set()
    for root, _, files in os.walk(folder):
        for file in files:
            if not file.endswith(".swift"):
                continue
            with open(os.path.join(root, file), encoding="utf-8") as handle:
                modules |= imports_in(handle.read())
    return modules


def imports_in(text):
    """Modules named by import lines outside block comments and multi-line string literals."""
    text = re.sub(r'/\*.*?\*/', "", text, flags=re.S)
    text = re.sub(r'#*"""(.*?)"""#*', "", text, flags=re.S)
    found = (IMPORT.match(line) for line in text.splitlines())
    return {m.group(1) for m in found if m and m.group(1) not in TOOLCHAIN}


# The full Foundation brings FoundationInternationalization and ICU with it (issue 15).
FULL_FOUNDATION = {"Foundation", "FoundationNetworking", "FoundationInternationalization", "FoundationXML"}
ESSENTIALS_ONLY_EXECUTABLES = {"VerifyInstallCLI", "VerifyBench"}


def consumer_modules(manifest):
    """The names in the manifest's `let consumerModules: Set<String> = [...]`."""
    match = re.search(r'let consumerModules:[^=]*=\s*\[(.*?)\]', manifest, flags=re.S)
    return set(re.findall(r'"([^"]+)"', match.group(1))) if match else set()


def full_foundation_files(folder):
    """Files under `folder` that import the full Foundation."""
    for root, _, files in os.walk(folder):
        for file in sorted(files):
            if file.endswith(".swift"):
                with open(os.path.join(root, file), encoding="utf-8") as handle:
                    text = re.sub(r'/\*.*?\*/', "", handle.read(), flags=re.S)
                found = (IMPORT.match(line) for line in text.splitlines())
                if any(m and m.group(1) in FULL_FOUNDATION for m in found):
                    yield os.path.join(root, file)


def has_swift(folder):
    return any(f.endswith(".swift") for _, _, files in os.walk(folder) for f in files)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    with open(os.path.join(root, "Package.swift"), encoding="utf-8") as handle:
        manifest = handle.read()
    problems = []
    found = list(targets(manifest))
    # A test may declare an executable only so that it is built before the test runs it.
    executables = {name for name, kind, _, _ in found if kind == "executableTarget"}
    for name, kind, folder, declared in found:
        folder = os.path.join(root, folder)
        if not has_swift(folder):
            continue
        imported = imported_modules(folder)
        for module in sorted(imported - declared):
            problems.append("%s imports %s but does not declare it in Package.swift" % (name, module))
        for module in sorted(declared - imported - (executables if kind == "testTarget" else set())):
            problems.append("%s declares %s in Package.swift but never imports it" % (name, module))
        if name in consumer_modules(manifest) | ESSENTIALS_ONLY_EXECUTABLES:
            for path in full_foundation_files(folder):
                problems.append("%s imports the full Foundation in %s (use FoundationEssentials)" % (name, os.path.relpath(path, root)))
    for problem in problems:
        print("check-imports: " + problem, file=sys.stderr)
    if problems:
        print("check-imports: %d mismatch(es)" % len(problems), file=sys.stderr)
        return 1
    print("check-imports: every target's dependencies equal its imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
