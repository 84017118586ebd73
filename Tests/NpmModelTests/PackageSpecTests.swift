@testable import NpmModel
import Testing
import CodedError

@Suite struct PackageSpecTests {
    @Test(arguments: [
        ("@mochi/example", "@mochi/example", "*"),
        ("@mochi/example@^1.2.0", "@mochi/example", "^1.2.0"),
        ("left-pad@next", "left-pad", "next"),
        ("left-pad@1.2.3", "left-pad", "1.2.3"),
        ("left-pad@", "left-pad", "*"),
        ("a@>=1.0.0 <2", "a", ">=1.0.0 <2"),
    ])
    func parsesRegistrySpecs(argument: String, name: String, raw: String) throws {
        let spec = try PackageSpec(parsing: argument)
        #expect(spec.name.value == name)
        #expect(spec.rawSpec == raw)
    }

    @Test func classifiesVersionRangeAndTagLikeNpmPackageArg() throws {
        let name = try PackageName("x")
        #expect(try PackageSpec(name: name, rawSpec: "1.2.3").kind == .version("1.2.3"))
        #expect(try PackageSpec(name: name, rawSpec: "^1.2").kind == .range("^1.2"))
        #expect(try PackageSpec(name: name, rawSpec: "latest").kind == .tag("latest"))
        #expect(try PackageSpec(name: name, rawSpec: "*").kind == .range("*"))
    }

    @Test(arguments: [
        "git+https://github.com/a/b.git", "github:a/b", "a/b", "file:../x", "./local", "/abs/path",
        "https://example.com/x.tgz", "x@npm:y@1", "pkg.tgz", "x@git+ssh://git@github.com/a/b.git",
    ])
    func refusesNonRegistrySpecsAsUnsupported(argument: String) {
        #expect { try PackageSpec(parsing: argument) } throws: { error in
            (error as? NpmModelError)?.code == .unsupportedSpec && "\(error)".contains("not supported")
        }
    }

    /// Found by a differential test against npm-package-arg: JavaScript's trim keeps U+200B, so
    /// npm refuses these specs (EINVALIDTAGNAME) where a Foundation trim made them ranges.
    @Test(arguments: ["\u{200B}1.0.4", "\u{200B}^1.0", "^1.0.0 <1.0.5\u{200B}"])
    func aZeroWidthSpaceIsPartOfTheSpecAsInJavaScript(_ raw: String) throws {
        let spec = try? PackageSpec(name: PackageName("zw"), rawSpec: raw)
        switch spec?.kind {
        case .version(let text)?, .range(let text)?, .tag(let text)?: #expect(text.unicodeScalars.contains("\u{200B}"), "\(text)")
        case nil: break
        }
    }

    /// npm-package-arg tries `isGit` on the whole argument before splitting it at `@`.
    @Test(arguments: ["gg@1.x :y", "gg@^1.0.0 a.b:c", "gg@1.x gh.com:u"])
    func argumentsNpmReadsAsGitURLsAreRefused(_ argument: String) {
        #expect(PackageSpec.isGitShorthand(argument))
        #expect(throws: NpmModelError.self) { try PackageSpec(parsing: argument) }
    }

    /// npm-package-arg does not trim an argument: a name with white space around it is invalid.
    @Test(arguments: ["\u{A0}eng@1", "\u{FEFF}eng", " eng@1", "eng @1"])
    func whiteSpaceAroundTheNameIsNotTrimmed(_ argument: String) {
        #expect(throws: NpmModelError.self) { try PackageSpec(parsing: argument) }
    }

    @Test(arguments: ["gg@1.2.3", "@s/gg@^1.0.0", "gg@latest", "gg"])
    func ordinaryArgumentsAreNotGitURLs(_ argument: String) throws {
        #expect(!PackageSpec.isGitShorthand(argument))
        _ = try PackageSpec(parsing: argument)
    }

    @Test func refusesSpecThatIsNeitherRangeNorTag() throws {
        #expect { try PackageSpec(name: PackageName("x"), rawSpec: "not a tag!") } throws: { error in
            (error as? NpmModelError)?.code == .invalidSpec
        }
    }
}

@Suite struct PackageNameTests {
    @Test(arguments: ["left-pad", "@mochi/example", "JSONStream", "a.b_c-d", "@s/n~x"])
    func acceptsNamesNpmInstalls(name: String) throws {
        #expect(try PackageName(name).value == name)
    }

    @Test(arguments: ["", ".hidden", "_under", " space", "node_modules", "FAVICON.ICO", "a/b", "@/x", "@s/", "with space", "ü", "@s/a/b"])
    func rejectsInvalidNames(name: String) {
        #expect(throws: NpmModelError.self) { try PackageName(name) }
    }

    @Test func escapesScopedNamesForTheRegistry() throws {
        let name = try PackageName("@mochi/example")
        #expect(name.escapedForRegistry == "@mochi%2fexample")
        #expect(name.scope == "@mochi")
        #expect(name.unscoped == "example")
    }
}
