import Semver
import Testing
import CodedError

// MARK: - Range behaviour, case by case

/// Named behaviours of ranges; every expectation here also holds in node-semver 7.6
/// (the exhaustive comparison is `RangeTableTests`).
@Suite("VersionRange")
struct VersionRangeTests {
    // MARK: Desugaring

    @Test(arguments: [
        ("^1.2.3", ">=1.2.3 <2.0.0-0"),
        ("^0.2.3", ">=0.2.3 <0.3.0-0"),
        ("^0.0.3", ">=0.0.3 <0.0.4-0"),
        ("^0.0.x", "<0.1.0-0"),
        ("^0.0", "<0.1.0-0"),
        ("^0.x", "<1.0.0-0"),
        ("^0.1.x", ">=0.1.0 <0.2.0-0"),
        ("^1.2.3-beta.2", ">=1.2.3-beta.2 <2.0.0-0"),
        ("^0.0.3-beta", ">=0.0.3-beta <0.0.4-0"),
    ])
    func caretLocksTheLeftmostNonZeroPart(range: String, normalized: String) throws {
        #expect(try VersionRange(range).description == normalized)
    }

    @Test(arguments: [
        ("~1.2.3", ">=1.2.3 <1.3.0-0"),
        ("~1.2", ">=1.2.0 <1.3.0-0"),
        ("~1", ">=1.0.0 <2.0.0-0"),
        ("~0.0.3", ">=0.0.3 <0.1.0-0"),
        ("~> 1.2.3", ">=1.2.3 <1.3.0-0"),
        ("~>1.2", ">=1.2.0 <1.3.0-0"),
        ("~1.2.3-beta.2", ">=1.2.3-beta.2 <1.3.0-0"),
    ])
    func tildeAllowsPatchLevelChanges(range: String, normalized: String) throws {
        #expect(try VersionRange(range).description == normalized)
    }

    @Test(arguments: [
        ("1.x", ">=1.0.0 <2.0.0-0"),
        ("1.2.*", ">=1.2.0 <1.3.0-0"),
        ("1", ">=1.0.0 <2.0.0-0"),
        ("1.2", ">=1.2.0 <1.3.0-0"),
        (">1.2", ">=1.3.0"),
        ("<=1.x", "<2.0.0-0"),
        ("<1.2", "<1.2.0-0"),
        ("X", ""),
        ("<x", "<0.0.0-0"),
    ])
    func xRangesAndPartialVersionsWiden(range: String, normalized: String) throws {
        #expect(try VersionRange(range).description == normalized)
    }

    @Test(arguments: [
        ("1.2.3 - 2.3.4", ">=1.2.3 <=2.3.4"),
        ("1.2 - 2.3.4", ">=1.2.0 <=2.3.4"),
        ("1.2.3 - 2.3", ">=1.2.3 <2.4.0-0"),
        ("1.2.3 - 2", ">=1.2.3 <3.0.0-0"),
        ("* - 2", "<3.0.0-0"),
    ])
    func hyphenRangesWidenPartialEnds(range: String, normalized: String) throws {
        #expect(try VersionRange(range).description == normalized)
    }

    @Test func includePrereleaseStartsPartialRangesAtTheirFirstPrerelease() throws {
        let range = try VersionRange("^1.2")
        #expect(range.normalized(includePrerelease: true) == ">=1.2.0-0 <2.0.0-0")
        #expect(range.isSatisfied(by: "1.2.0-beta", includePrerelease: true))
        #expect(!range.isSatisfied(by: "1.2.0-beta"))
    }

    @Test func matchAllLowerBoundsAreDropped() throws {
        #expect(try VersionRange(">=0.0.0").description == "")
        #expect(try VersionRange(">=0.0.0-0").description == ">=0.0.0-0")
        #expect(try VersionRange(">=0.0.0-0").normalized(includePrerelease: true) == "")
        #expect(try VersionRange("~0").normalized(includePrerelease: true) == ">=0.0.0 <1.0.0-0")
    }

    @Test func readingsWithAndWithoutPrereleasesCanDifferInValidity() throws {
        // The hyphen's upper end is kept as written (`<=v=2.0.0`, invalid) in the default
        // reading but rebuilt from its parts (`<2.0.1-0`) when prereleases are included.
        #expect(throws: SemverError.self) { try VersionRange("1 - v=2.0.0") }
        let range = try VersionRange("1 - v=2.0.0", includePrerelease: true)
        #expect(range.description == ">=1.0.0-0 <2.0.1-0")
        #expect(range.normalized(includePrerelease: false) == nil)
        #expect(range.isSatisfied(by: "1.5.0", includePrerelease: true))
        #expect(!range.isSatisfied(by: "1.5.0"))
    }

    @Test func whitespaceAroundOperatorsAndUnionsIsNormalised() throws {
        #expect(try VersionRange(" >=  1.2.3\t<2 ||1.0.0 ").description == ">=1.2.3 <2.0.0-0||1.0.0")
        #expect(try VersionRange("^ 1.2.3").comparatorSets == [[">=1.2.3", "<2.0.0-0"]])
    }

    // MARK: Matching

    @Test func prereleaseOnlyMatchesSameTuple() throws {
        let range = try VersionRange(">1.2.3-alpha.3")
        #expect(range.isSatisfied(by: "1.2.3-alpha.7"))
        #expect(range.isSatisfied(by: "3.4.5"))
        #expect(!range.isSatisfied(by: "3.4.5-alpha.9"))
        #expect(range.isSatisfied(by: "3.4.5-alpha.9", includePrerelease: true))
    }

    @Test func prereleaseOfTheCaretBaseSatisfiesButNotOfLaterVersions() throws {
        let range = try VersionRange("^1.2.3-pr.1")
        #expect(range.isSatisfied(by: "1.2.3-pr.2"))
        #expect(!range.isSatisfied(by: "1.2.4-alpha.notready"))
        #expect(!range.isSatisfied(by: "2.0.0-0"))
    }

    @Test func starAndEmptyRangeMatchEveryReleaseButNoPrerelease() {
        for range in ["*", "", "x", ">=0.0.0"] {
            #expect(Semver.satisfies("0.0.0", range), "\(show(range))")
            #expect(Semver.satisfies("99.1.0", range), "\(show(range))")
            #expect(!Semver.satisfies("1.0.0-rc.1", range), "\(show(range))")
            #expect(Semver.satisfies("1.0.0-rc.1", range, includePrerelease: true), "\(show(range))")
        }
    }

    @Test func unionMatchesAnyAlternative() {
        #expect(Semver.satisfies("2.5.0", "^1.0.0 || ^2.0.0"))
        #expect(!Semver.satisfies("3.0.0", "^1.0.0 || ^2.0.0"))
        #expect(Semver.satisfies("1.2.3-beta.2", "1.2.3-beta.2 || 2.0.0"))
    }

    @Test func buildMetadataIsIgnoredWhenMatching() {
        #expect(Semver.satisfies("1.2.3+build.5", "1.2.3"))
        #expect(Semver.satisfies("1.2.3", "=1.2.3+other"))
    }

    // MARK: Invalid input

    @Test func invalidRangesThrowNamingTheOffendingText() {
        for text in ["1.2.3.4", ">=1.2.3 foo", "**", "> = 1.2.3", "^9007199254740991", "1.2.3 ||| 2"] {
            let error = #expect(throws: SemverError.self, "\(show(text))") { try VersionRange(text) }
            #expect(error?.description.isEmpty == false)
        }
        let error = #expect(throws: SemverError.self) { try VersionRange(">=1.2.3 foo") }
        #expect(error?.code == .invalidComparator)
        #expect(error?.input == "foo")
        #expect(error?.description.contains(">=1.2.3 foo") == true)
    }

    @Test func invalidInputMakesSatisfiesFalseAndLookupsNil() {
        #expect(!Semver.satisfies("1.2.3", "not a range"))
        #expect(!Semver.satisfies("not a version", "*"))
        #expect(Semver.validRange("not a range") == nil)
        #expect(Semver.maxSatisfying(["1.2.3"], "not a range") == nil)
    }

    @Test func looseModeDropsComparatorsItCannotRead() throws {
        #expect(throws: SemverError.self) { try VersionRange(">=1.0.0 junk") }
        #expect(try VersionRange(">=1.0.0 junk", loose: true).description == ">=1.0.0")
        #expect(Semver.satisfies("1.2.3beta", "~1.2.3-beta", loose: true))
    }

    @Test func maxSatisfyingReturnsTheHighestMatchAsWritten() {
        #expect(Semver.maxSatisfying(["1.2.3", "v1.2.4", "1.3.0", "2.0.0"], "~1.2") == "v1.2.4")
        #expect(Semver.maxSatisfying(["1.2.3", "1.2.3+build"], "1.2.x") == "1.2.3")
        #expect(Semver.minSatisfying(["1.2.3", "1.2.4", "1.3.0"], "^1.2.4") == "1.2.4")
        #expect(Semver.maxSatisfying(["2.0.0-beta"], "^2.0.0-alpha") == "2.0.0-beta")
        #expect(Semver.maxSatisfying([], "*") == nil)
    }

    @Test func validRangeSpellsAnyAsStar() {
        #expect(Semver.validRange("") == "*")
        #expect(Semver.validRange("x || 1.2.3") == "*")
        #expect(Semver.validRange("1.2.3 || 2") == "1.2.3||>=2.0.0 <3.0.0-0")
    }
}
