import FixtureTesting
import Foundation
import Testing

// MARK: - The node-generated table

/// `Fixtures/semver-table.json`: expected answers computed by npm's own node-semver and
/// npm-pick-manifest (see `Fixtures/generate.js` for how to regenerate it).
struct SemverTable: Decodable, Sendable {
    let semver: String
    let npmPickManifest: String
    let versions: [VersionCase]
    let ordering: Ordering
    let rangeVersions: [String]
    let ranges: [RangeCase]
    let maxSatisfying: [SatisfyingCase]
    let fuzz: Fuzz
    let picker: [PickerCase]

    struct VersionCase: Decodable, Sendable {
        let text: String
        let strict: String?
        let loose: String?
        let parts: Parts?
    }

    struct Parts: Decodable, Sendable {
        let major: UInt64
        let minor: UInt64
        let patch: UInt64
        let prerelease: [String]
        let numeric: [Bool]
        let build: [String]
    }

    struct Ordering: Decodable, Sendable {
        let versions: [String]
        /// Row i, column j: `<`, `=` or `>` for `compare(versions[i], versions[j])`.
        let matrix: [String]
    }

    /// One value per mode.
    struct PerMode<Value: Decodable & Sendable>: Decodable, Sendable {
        let strict: Value
        let includePrerelease: Value
        let loose: Value
        let looseIncludePrerelease: Value

        subscript(_ mode: Mode) -> Value {
            switch mode {
            case .strict: strict
            case .includePrerelease: includePrerelease
            case .loose: loose
            case .looseIncludePrerelease: looseIncludePrerelease
            }
        }
    }

    struct RangeCase: Decodable, Sendable {
        let range: String
        /// `semver.validRange`, nil when invalid.
        let valid: PerMode<String?>
        /// `satisfies(version, range)` for each of the listed versions, as `0`/`1` characters.
        let satisfies: PerMode<String>
    }

    struct SatisfyingCase: Decodable, Sendable {
        let versions: [String]
        let range: String
        let mode: Mode
        let max: String?
        let min: String?
    }

    struct Fuzz: Decodable, Sendable {
        let versions: [String]
        let cases: [RangeCase]
    }

    struct PickerCase: Decodable, Sendable {
        let name: String
        let wanted: String
        let candidates: [Candidate]
        let distTags: [String: String]
        let defaultTag: String?
        let expected: Expected

        struct Candidate: Decodable, Sendable {
            let version: String
            let deprecated: Bool
        }

        struct Expected: Decodable, Sendable {
            let version: String?
            let error: String?
        }
    }

    /// node-semver's option combinations the table covers.
    enum Mode: String, Decodable, Sendable, CaseIterable {
        case strict, includePrerelease, loose, looseIncludePrerelease

        var loose: Bool { self == .loose || self == .looseIncludePrerelease }
        var includePrerelease: Bool { self == .includePrerelease || self == .looseIncludePrerelease }
    }

    // MARK: Loading

    static let url = Repository.root.appendingPathComponent("Tests/SemverTests/Fixtures/semver-table.json")

    /// Decoded once and shared by all tests.
    private static let shared = Result { try JSONDecoder().decode(SemverTable.self, from: Data(contentsOf: url)) }

    static func load() throws -> SemverTable { try shared.get() }
}

// MARK: - Reporting

/// Collects every mismatch of a table walk and reports them together (up to a limit), so a
/// failure shows the whole picture instead of the first case.
struct Mismatches {
    private(set) var lines: [String] = []
    private(set) var checked = 0

    mutating func check<T: Equatable>(_ actual: T, _ expected: T, _ what: @autoclosure () -> String) {
        checked += 1
        if actual != expected { lines.append("\(what()): got \(actual), node says \(expected)") }
    }

    func report(_ title: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !lines.isEmpty else { return }
        let shown = lines.prefix(60).joined(separator: "\n")
        Issue.record("\(lines.count) of \(checked) \(title) differ from node:\n\(shown)", sourceLocation: sourceLocation)
    }
}

/// Makes control characters and quotes visible in messages.
func show(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        out += scalar.value < 0x20 || scalar.value > 0x7E ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
    }
    return out + "\""
}
