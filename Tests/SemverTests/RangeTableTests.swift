import Semver
import Testing

// MARK: - Ranges against the node table

@Suite("Ranges match node-semver")
struct RangeTableTests {
    let table: SemverTable

    init() throws { table = try SemverTable.load() }

    @Test func validRangeMatchesNodeForEveryCuratedRange() {
        var mismatches = Mismatches()
        for entry in table.ranges {
            checkValidRange(entry, &mismatches)
        }
        mismatches.report("validRange results")
    }

    @Test func satisfiesMatchesNodeForEveryCuratedPair() {
        var mismatches = Mismatches()
        for entry in table.ranges {
            checkSatisfies(entry, versions: table.rangeVersions, &mismatches)
        }
        mismatches.report("satisfies results")
    }

    @Test func versionRangeAgreesWithSatisfiesForEveryCuratedPair() {
        var mismatches = Mismatches()
        for entry in table.ranges {
            for mode in SemverTable.Mode.allCases {
                let range = try? VersionRange(entry.range, loose: mode.loose, includePrerelease: mode.includePrerelease)
                mismatches.check(range?.normalized(includePrerelease: mode.includePrerelease) ?? "<invalid>",
                                 entry.valid[mode].map { $0 == "*" ? "" : $0 } ?? "<invalid>",
                                 "VersionRange(\(show(entry.range))) [\(mode)]")
                for (index, version) in table.rangeVersions.enumerated() {
                    let expected = Array(entry.satisfies[mode])[index] == "1"
                    let actual = range?.isSatisfied(by: version, includePrerelease: mode.includePrerelease) ?? false
                    mismatches.check(actual, expected, "\(show(version)) in VersionRange(\(show(entry.range))) [\(mode)]")
                }
            }
        }
        mismatches.report("VersionRange results")
    }

    @Test func fuzzedRangeTextsMatchNode() {
        var mismatches = Mismatches()
        for entry in table.fuzz.cases {
            checkValidRange(entry, &mismatches)
            // Parse once per mode here (the curated pairs exercise `Semver.satisfies` itself).
            for mode in SemverTable.Mode.allCases {
                let range = try? VersionRange(entry.range, loose: mode.loose, includePrerelease: mode.includePrerelease)
                let expected = Array(entry.satisfies[mode])
                for (index, version) in table.fuzz.versions.enumerated() {
                    let actual = range?.isSatisfied(by: version, includePrerelease: mode.includePrerelease) ?? false
                    mismatches.check(actual, expected[index] == "1", "satisfies(\(show(version)), \(show(entry.range))) [\(mode)]")
                }
            }
        }
        mismatches.report("fuzzed range results")
    }

    @Test func maxAndMinSatisfyingMatchNode() {
        var mismatches = Mismatches()
        for entry in table.maxSatisfying {
            let (loose, includePrerelease) = (entry.mode.loose, entry.mode.includePrerelease)
            let what = "\(entry.versions) in \(show(entry.range)) [\(entry.mode)]"
            mismatches.check(Semver.maxSatisfying(entry.versions, entry.range, includePrerelease: includePrerelease, loose: loose),
                             entry.max, "maxSatisfying \(what)")
            mismatches.check(Semver.minSatisfying(entry.versions, entry.range, includePrerelease: includePrerelease, loose: loose),
                             entry.min, "minSatisfying \(what)")
        }
        mismatches.report("max/minSatisfying results")
    }

    @Test func tableIsLargeAndFromTheExpectedTools() {
        #expect(table.ranges.count >= 250)
        #expect(table.fuzz.cases.count >= 1000)
        #expect(table.ranges.count * table.rangeVersions.count >= 10_000)
        #expect(!table.semver.isEmpty && !table.npmPickManifest.isEmpty)
    }

    // MARK: Helpers

    private func checkValidRange(_ entry: SemverTable.RangeCase, _ mismatches: inout Mismatches) {
        for mode in SemverTable.Mode.allCases {
            mismatches.check(Semver.validRange(entry.range, includePrerelease: mode.includePrerelease, loose: mode.loose),
                             entry.valid[mode], "validRange(\(show(entry.range))) [\(mode)]")
        }
    }

    private func checkSatisfies(_ entry: SemverTable.RangeCase, versions: [String], _ mismatches: inout Mismatches) {
        for mode in SemverTable.Mode.allCases {
            let expected = Array(entry.satisfies[mode])
            for (index, version) in versions.enumerated() {
                mismatches.check(Semver.satisfies(version, entry.range, includePrerelease: mode.includePrerelease, loose: mode.loose),
                                 expected[index] == "1", "satisfies(\(show(version)), \(show(entry.range))) [\(mode)]")
            }
        }
    }
}
