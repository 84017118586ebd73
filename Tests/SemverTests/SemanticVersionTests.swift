import Semver
import Testing

// MARK: - Parsing and ordering versions

@Suite("SemanticVersion")
struct SemanticVersionTests {
    // MARK: Parsing

    @Test func strictParseAcceptsWhitespaceAndOneLeadingV() throws {
        let version = try #require(SemanticVersion(" v1.2.3-beta.1+exp.sha.5 "))
        #expect((version.major, version.minor, version.patch) == (1, 2, 3))
        #expect(version.prerelease == [.alphanumeric("beta"), .numeric(1)])
        #expect(version.build == ["exp", "sha", "5"])
        #expect(version.description == "1.2.3-beta.1")
        #expect(version.descriptionWithBuild == "1.2.3-beta.1+exp.sha.5")
        #expect(version.isPrerelease)
    }

    @Test func strictParseRejectsWhatNodeRejects() {
        for text in ["=1.2.3", "vv1.2.3", "01.2.3", "1.2.3-01", "1.2", "1.2.3.4", "1.2.3beta", "1.2.3-", "1.2.3+", "", "x.2.3"] {
            #expect(SemanticVersion(text) == nil, "\(show(text))")
        }
    }

    @Test func looseParseAcceptsPrefixesLeadingZerosAndHyphenlessPrereleases() {
        #expect(SemanticVersion("=v 01.02.03", loose: true)?.description == "1.2.3")
        #expect(SemanticVersion("1.2.3beta", loose: true)?.description == "1.2.3-beta")
        #expect(SemanticVersion("1.2.3-01", loose: true)?.prerelease == [.numeric(1)])
        // A lone trailing hyphen becomes the prerelease "-", as in node.
        #expect(SemanticVersion("1.2.3-", loose: true)?.description == "1.2.3--")
    }

    @Test func partsAboveMaxSafeIntegerAreRejected() {
        #expect(SemanticVersion("9007199254740991.0.0")?.major == 9_007_199_254_740_991)
        #expect(SemanticVersion("9007199254740992.0.0") == nil)
        #expect(throws: SemverError.self) { try SemanticVersion.parse("0.9007199254740992.0") }
    }

    @Test func textLongerThan256CharactersIsRejected() {
        let build = String(repeating: "b.", count: 125) + "b" // 251 characters of short identifiers
        #expect(SemanticVersion("1.2.3+" + build) == nil)
        #expect(SemanticVersion("1.2.3+" + build.dropFirst(2))?.build.count == 125)
        let error = #expect(throws: SemverError.self) { try SemanticVersion.parse("1.2.3+" + build) }
        #expect(error?.code == .invalidVersion)
    }

    @Test func descriptionRoundTripsThroughLosslessStringConvertible() throws {
        let version = try #require(SemanticVersion("1.0.0-rc.1"))
        #expect(SemanticVersion(version.description) == version)
    }

    @Test func everyTableVersionParsesLikeNode() throws {
        let table = try SemverTable.load()
        var mismatches = Mismatches()
        for entry in table.versions {
            mismatches.check(Semver.valid(entry.text), entry.strict, "valid(\(show(entry.text)))")
            mismatches.check(Semver.valid(entry.text, loose: true), entry.loose, "valid(\(show(entry.text)), loose)")
            guard let parts = entry.parts, let version = SemanticVersion(entry.text) else { continue }
            mismatches.check([version.major, version.minor, version.patch], [parts.major, parts.minor, parts.patch], "parts of \(show(entry.text))")
            mismatches.check(version.prerelease.map(\.description), parts.prerelease, "prerelease of \(show(entry.text))")
            mismatches.check(version.prerelease.map { if case .numeric = $0 { true } else { false } }, parts.numeric,
                             "numeric prerelease identifiers of \(show(entry.text))")
            mismatches.check(version.build, parts.build, "build of \(show(entry.text))")
        }
        mismatches.report("parsed versions")
        #expect(mismatches.checked >= 150)
    }

    // MARK: Ordering

    @Test func precedenceFollowsSemver2() throws {
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                       "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
        let versions = try ordered.map { try #require(SemanticVersion($0)) }
        #expect(versions.shuffled().sorted() == versions)
        #expect(zip(versions, versions.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func buildMetadataDoesNotAffectPrecedenceOrHashing() throws {
        let a = try #require(SemanticVersion("1.0.0+a"))
        let b = try #require(SemanticVersion("1.0.0+b"))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(Semver.compare(a, b) == 0)
    }

    @Test func numericIdentifiersSortBeforeAlphanumericOnes() throws {
        let numeric = try #require(SemanticVersion("1.0.0-999"))
        let text = try #require(SemanticVersion("1.0.0-0a"))
        #expect(numeric < text)
    }

    @Test func compareMatchesNodeForEveryTablePair() throws {
        let table = try SemverTable.load()
        let versions = table.ordering.versions.map { SemanticVersion($0) }
        var mismatches = Mismatches()
        for (i, row) in table.ordering.matrix.enumerated() {
            for (j, symbol) in row.enumerated() {
                guard let a = versions[i], let b = versions[j] else {
                    mismatches.check("unparsable", "parsable", "\(table.ordering.versions[i]) or \(table.ordering.versions[j])")
                    continue
                }
                let expected = symbol == "<" ? -1 : (symbol == "=" ? 0 : 1)
                mismatches.check(Semver.compare(a, b), expected, "compare(\(a.descriptionWithBuild), \(b.descriptionWithBuild))")
                if expected == 0 {
                    mismatches.check(a.hashValue, b.hashValue, "hash of equal \(a.descriptionWithBuild), \(b.descriptionWithBuild)")
                }
            }
        }
        mismatches.report("comparisons")
        #expect(mismatches.checked >= 1_900)
    }
}
