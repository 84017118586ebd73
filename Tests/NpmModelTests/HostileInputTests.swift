import Foundation
import NpmModel
import Testing
import CodedError
import SafeJSON

/// Numbers and names from registries and lockfiles are hostile input: checked, never trapping.
@Suite struct HostileNumberTests {
    @Test(arguments: [("1e300", "1e+300"), ("-1", "-1"), ("2.5", "2.5"), ("9300000000000000000", "9.3e+18"), ("\"3\"", "\"3\"")])
    func lockfileVersionOutOfRangeIsAClearError(raw: String, shown: String) {
        let data = Data(#"{"name":"x","lockfileVersion":\#(raw),"packages":{}}"#.utf8)
        #expect { try Lockfile(data: data, file: "package-lock.json") } throws: { error in
            let text = "\(error)"
            return (error as? NpmModelError)?.code == .unsupportedLockfile
                && text.contains("package-lock.json") && text.contains("lockfileVersion") && text.contains(shown)
        }
    }

    @Test func lockfileVersionBeyondDoubleRangeIsAnErrorNotInfinity() {
        let data = Data(#"{"lockfileVersion":1e400,"packages":{}}"#.utf8)
        #expect(throws: NpmModelError.self) { try Lockfile(data: data, file: "package-lock.json") }
    }

    @Test(arguments: [("unpackedSize", "-1"), ("unpackedSize", "1e300"), ("fileCount", "1.5"), ("fileCount", "-1e300")])
    func distCountsMustBeNonNegativeIntegers(field: String, raw: String) throws {
        let text = #"{"name":"x","version":"1.0.0","dist":{"tarball":"http://r/x.tgz","\#(field)":\#(raw)}}"#
        let json = try JSONValue.parse(Data(text.utf8))
        #expect { try Manifest(json: json, context: "packument x") } throws: { error in
            let message = "\(error)"
            return message.contains("x@1.0.0") && message.contains("dist.\(field)") && message.contains("non-negative integer")
        }
        let packument = try Packument(json: ["name": "x", "versions": ["1.0.0": json]], requestedName: "x")
        #expect(packument.versions.isEmpty)
        #expect(packument.skippedVersions["1.0.0"]?.contains("dist.\(field)") == true)
    }

    @Test func validDistCountsAreRead() throws {
        let json: JSONValue = ["name": "x", "version": "1.0.0", "dist": ["tarball": "http://r/x.tgz", "fileCount": 3, "unpackedSize": 1024]]
        let manifest = try Manifest(json: json, context: "packument x")
        #expect(manifest.dist.fileCount == 3 && manifest.dist.unpackedSize == 1024)
    }

    /// npm-pick-manifest tests `deprecated` for truthiness: `true` deprecates, `""` and `false` do not.
    @Test func deprecatedIsReadAsJavaScriptTruthiness() throws {
        func deprecated(_ value: JSONValue) throws -> Bool {
            try Manifest(json: ["name": "x", "version": "1.0.0", "dist": ["tarball": "http://r/x.tgz"], "deprecated": value],
                         context: "packument x").isDeprecated
        }
        #expect(try deprecated(true) && deprecated("use y") && deprecated(1))
        #expect(try !deprecated(false) && !deprecated("") && !deprecated(.null) && !deprecated(0))
    }

    @Test func bundledDependenciesAreReadInEverySpelling() throws {
        func bundled(_ extra: [String: JSONValue]) throws -> Set<String> {
            var json: [String: JSONValue] = ["name": "x", "version": "1.0.0", "dist": ["tarball": "http://r/x.tgz"],
                                             "dependencies": ["a": "1", "b": "2"]]
            json.merge(extra) { $1 }
            return try Manifest(json: .object(json), context: "packument x").bundledDependencies
        }
        #expect(try bundled([:]).isEmpty)
        #expect(try bundled(["bundleDependencies": ["a"]]) == ["a"])
        #expect(try bundled(["bundledDependencies": ["b"], "bundleDependencies": false]) == ["b"])
        #expect(try bundled(["bundleDependencies": true]) == ["a", "b"])
    }
}

@Suite struct HostileNameTests {
    @Test(arguments: ["@s/..", "@s/.", "@s/.hidden", "..", ".", "@s/../x", "@s", "@s/", "a b", "a\u{1B}[2J", "node_modules",
                      String(repeating: "a", count: 256)])
    func refusesNamesThatCouldEscapeNodeModules(name: String) {
        #expect(throws: NpmModelError.self) { try PackageName(name) }
        #expect(!Lockfile.isValidInstallPath("node_modules/\(name)"))
        #expect(Lockfile.packageName(atPath: "node_modules/a/node_modules/\(name)") == nil)
    }

    @Test func refusesTraversingNamesInDependencyMapsAndLockfilePaths() throws {
        #expect(throws: NpmModelError.self) { try PackageSpec(parsing: "@s/..@1.0.0") }
        #expect(!Lockfile.isValidInstallPath("node_modules/a/node_modules/@s/.."))
        #expect(!Lockfile.isValidInstallPath("node_modules/@s/./node_modules/b"))
    }

    /// Install paths are read segment by segment: `@evil/node_modules` is a package name, so the
    /// path below it is that package's nested `node_modules` (found by an attack: splitting on the
    /// text `/node_modules/` linked a nested package's bin to its parent's file).
    @Test func aScopedPackageNamedNodeModulesIsReadAsAName() {
        let path = "node_modules/@evil/node_modules/node_modules/dep"
        #expect(Lockfile.installPathNames(path) == ["@evil/node_modules", "dep"])
        #expect(Lockfile.isValidInstallPath(path))
        #expect(Lockfile.packageName(atPath: path) == "dep")
        #expect(Lockfile.packageName(atPath: "node_modules/@evil/node_modules") == "@evil/node_modules")
        #expect(Lockfile.installPath(["@evil/node_modules", "dep"]) == path)
        for bad in ["node_modules/a//node_modules/b", "node_modules/@s", "node_modules/a/", "node_modules/a/x/b", "x/node_modules/a", ""] {
            #expect(Lockfile.installPathNames(bad) == nil, "\(bad)")
        }
    }

    @Test func legacyNamesAreReadButNotValidForNewPackages() throws {
        for legacy in ["JSONStream", "crazy!", "@npm-zors/money!time.js", String(repeating: "a", count: 215)] {
            #expect(try PackageName(legacy).value == legacy)
            #expect(PackageName.newPackageProblem(in: legacy) != nil, "\(legacy)")
        }
        for fresh in ["left-pad", "@mochi/example", "example.com", "under_score", "@s/_x", "@./x"] {
            #expect(PackageName.newPackageProblem(in: fresh) == nil, "\(fresh)")
        }
    }
}

@Suite struct TerminalTextTests {
    @Test func escapesControlAndBidiCharactersOnly() {
        #expect(TerminalText.escaped("left-pad@1.0.0 ü") == "left-pad@1.0.0 ü")
        #expect(TerminalText.escaped("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(TerminalText.escaped("line\nnext\r\t") == "line\\u{A}next\\u{D}\\u{9}")
        #expect(TerminalText.escaped("\u{7F}\u{9B}31m\u{202E}") == "\\u{7F}\\u{9B}31m\\u{202E}")
        #expect(TerminalText.jsonEscaped("{\n  \"a\": \"x\u{9B}y\u{202E}ü\"\n}") == "{\n  \"a\": \"x\\u009by\\u202eü\"\n}")
        #expect(!TerminalText.escaped("\u{0}\u{7}\u{1B}\u{85}").unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
    }

    /// Found by review: a password in a registry URL was printed in the summary, the JSON report
    /// and error messages.
    @Test func passwordsInURLsArePrintedAsStars() {
        #expect(TerminalText.escaped("registry: http://u:SECRETPW@127.0.0.1:9/a/ and https://TOKEN@h.test/x")
                == "registry: http://u:***@127.0.0.1:9/a/ and https://***@h.test/x")
        #expect(TerminalText.jsonEscaped(#"{"registry":"http://u:p@h/","name":"@scope/x"}"#) == #"{"registry":"http://u:***@h/","name":"@scope/x"}"#)
        #expect(TerminalText.escaped("left-pad@1.0.0 from https://h.test/@s/x") == "left-pad@1.0.0 from https://h.test/@s/x")
        // Found by a re-attack: passwords holding quotes or brackets, JSON-escaped quotes, one slash.
        #expect(TerminalText.redactingCredentials("at http://alice:pa'ss<x>@127.0.0.1:9/ and http:/bob:pw@h/")
                == "at http://alice:***@127.0.0.1:9/ and http:/bob:***@h/")
        #expect(TerminalText.redactingCredentials(#"{"r":"http://a:p\"q@h","n":"@s/x"}"#) == #"{"r":"http://a:***@h","n":"@s/x"}"#)
        #expect(TerminalText.redactingCredentials(#"{"r":"http://h.test","n":"@s/x"}"#) == #"{"r":"http://h.test","n":"@s/x"}"#)
    }

    /// Found by review: each escape copied the whole text, so an error quoting a 4 MB lockfile of
    /// short lines took 30 s.
    @Test func aLongTextOfShortLinesIsEscapedInOnePass() {
        let text = String(repeating: "# comment line\n", count: 200_000)
        let clock = ContinuousClock()
        let start = clock.now
        let escaped = TerminalText.escaped(text)
        #expect(clock.now - start < .seconds(10))  // a net, not a measure: well under a second
        #expect(escaped.utf8.count == text.utf8.count + 200_000 * 4)  // "\n" becomes "\u{A}"
    }
}

/// A packument's size in memory is bounded whatever its bytes: versions, reasons kept for malformed
/// ones, and values (found by review: millions of malformed versions kept a reason each, 80x the bytes).
@Suite struct PackumentBoundsTests {
    func packument(_ versions: String) -> Data {
        Data(#"{"name":"p","versions":{"1.0.0":{"name":"p","version":"1.0.0","dist":{"tarball":"http://r/p.tgz"}},\#(versions)}}"#.utf8)
    }

    @Test func reasonsForMalformedVersionsAreCappedAndCounted() throws {
        let malformed = (0..<100).map { #""bad\#($0)":0"# }.joined(separator: ",")
        let document = try Packument(data: packument(malformed), requestedName: "p")
        #expect(document.versions.count == 1)
        #expect(document.skippedVersions.count == Packument.maxSkippedReasons + 1)
        #expect(document.skippedVersions["…"] == "and 84 more malformed versions")
    }

    @Test func tooManyVersionsOrValuesAreRefused() {
        let many = (0..<Packument.maxVersions).map { #""v\#($0)":0"# }.joined(separator: ",")
        #expect(throws: NpmModelError.self) { try Packument(data: packument(many), requestedName: "p") }
        let values = "\"x\":[" + Array(repeating: "0", count: Packument.maxValues).joined(separator: ",") + "]"
        #expect(throws: NpmModelError.self) { try Packument(data: packument(values), requestedName: "p") }
    }
}
