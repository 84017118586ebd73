public import FixtureRegistry
public import Foundation
import SafeJSON

/// A named set of fault rules, read from `Registry/scenarios/<name>.json`, that makes the
/// registry misbehave in one documented way; `description` says what a consumer must report.
///
/// ```json
/// {
///   "description": "Every tarball is served with 16 bytes flipped; the consumer must report an integrity mismatch.",
///   "expect": "integrity-mismatch",
///   "rules": [ { "match": { "kind": "tarball" }, "action": { "type": "corruptTarball" } } ]
/// }
/// ```
/// A rule applies to every matching request unless it says `"times": N`; with
/// `"perPath": true` the N counts for each distinct path on its own. Matches:
/// `"any"`, `{"kind": "packument"|"tarball"|"keys"|"attestations"}`, `{"package": NAME}`,
/// `{"packument": NAME}`, `{"tarball": {"name": NAME, "version": V}}`, `{"path": RAW-PATH}`.
/// Actions (`type`): `status` (`status`, `message`), `corruptTarball`, `replaceTarball`
/// (`base64`), `delay` (`ms`), `dropConnection`, `packument` (`fault`: one of
/// ``PackumentFault``, optional `version`), `expireKeys`, `swapAttestation`,
/// `slowBody` (`chunkBytes`, `intervalMs`), `truncateBody`, `contentType` (`contentType`, optional `body`).
public struct FaultScenario: Sendable, Hashable {
    /// The file name without `.json`; what `--scenario` and `POST /scenario/<name>` take.
    public let name: String
    /// What the scenario does and what the consumer must report.
    public let description: String
    /// A short code for the consumer outcome the scenario expects (`integrity-mismatch`, `EMISSINGSIGNATUREKEY`, …).
    public let expect: String
    public let rules: [FaultRule]

    public init(name: String, description: String, expect: String, rules: [FaultRule]) {
        self.name = name
        self.description = description
        self.expect = expect
        self.rules = rules
    }

    // MARK: - Loading

    /// The names of the scenarios in `directory`, sorted.
    public static func names(in directory: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads `<directory>/<name>.json`.
    public static func load(named name: String, from directory: URL) throws(RegistryError) -> FaultScenario {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !name.isEmpty, name.count <= 100, name.allSatisfy(allowed.contains) else {
            throw .invalidScenario(name, reason: "a scenario name is lowercase letters, digits, '-' and '_'")
        }
        let file = directory.appendingPathComponent("\(name).json")
        guard let data = try AtomicFile.read(file, limit: RegistryLimits.maxMetadataBodyBytes) else {
            throw .invalidScenario(name, reason: "no file \(file.path); known: \(names(in: directory).joined(separator: ", "))")
        }
        return try parse(data, name: name)
    }

    /// Parses a scenario document.
    public static func parse(_ data: Data, name: String) throws(RegistryError) -> FaultScenario {
        guard let json = try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth), let object = json.objectValue else {
            throw .invalidScenario(name, reason: "not a JSON object")
        }
        guard let description = object["description"]?.stringValue, !description.isEmpty else {
            throw .invalidScenario(name, reason: "expected a non-empty string \"description\"")
        }
        guard let rules = object["rules"]?.arrayValue, !rules.isEmpty else {
            throw .invalidScenario(name, reason: "expected a non-empty array \"rules\"")
        }
        var parsed: [FaultRule] = []
        for (index, rule) in rules.enumerated() {
            do throws(ScenarioSyntaxError) {
                parsed.append(try FaultRuleSyntax.rule(rule))
            } catch {
                throw .invalidScenario(name, reason: "rules[\(index)]: \(error.reason)")
            }
        }
        return FaultScenario(name: name, description: description, expect: object["expect"]?.stringValue ?? "", rules: parsed)
    }
}

/// What is wrong with one rule of a scenario file.
struct ScenarioSyntaxError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
