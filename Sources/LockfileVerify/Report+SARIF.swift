import NpmModel
import SafeJSON
import LockfileFormats

extension VerificationReport {
    static let sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// `--format sarif`: SARIF 2.1.0, one result per failing package, its rule the first failure's code,
    /// located at the package's line in the lockfile.
    public func sarif(toolVersion: String = "1.0.0") -> String {
        Self.sarifDocument([
            "tool": .object(["driver": Self.driver(toolVersion)]),
            "artifacts": .array([.object(["location": .object(["uri": .string(lockfile)])])]),
            "results": .array(failed.map(sarifResult)),
        ])
    }

    /// A run that could not verify at all (exit 2 or 3: no lockfile, two lockfiles, no registry):
    /// no results, the invocation failed with `message`, so a code-scanning upload still gets a
    /// valid document that says why (found by review: stdout was empty).
    public static func sarifFailure(_ message: String, toolVersion: String = "1.0.0") -> String {
        sarifDocument([
            "tool": .object(["driver": driver(toolVersion)]),
            "invocations": .array([.object([
                "executionSuccessful": false,
                "toolExecutionNotifications": .array([.object(["level": "error", "message": .object(["text": .string(message)])])]),
            ])]),
            "results": .array([]),
        ])
    }

    private static func sarifDocument(_ run: [String: JSONValue]) -> String {
        let document: JSONValue = .object(["$schema": .string(sarifSchema), "version": .string("2.1.0"), "runs": .array([.object(run)])])
        let text = (try? document.serialized(pretty: true)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return TerminalText.jsonEscaped(text) + "\n"
    }

    private static func driver(_ toolVersion: String) -> JSONValue {
        let rules: [JSONValue] = FailureCode.allCases.map { code in
            .object([
                "id": .string(code.rawValue), "name": .string(ruleName(code)),
                "shortDescription": .object(["text": .string(code.summary)]),
                "defaultConfiguration": .object(["level": .string("error")]),
            ])
        }
        return .object([
            "name": .string("verify-install verify-lockfile"), "semanticVersion": .string(toolVersion),
            "informationUri": .string("https://github.com/mochi-lang/mochi"), "rules": .array(rules),
        ])
    }

    private func sarifResult(_ result: PackageResult) -> JSONValue {
        let first = result.failures.first?.code ?? .registryError
        let message = result.failures.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "\n")
        let location: JSONValue = .object(["physicalLocation": .object([
            "artifactLocation": .object(["uri": .string(lockfile), "index": .number(0)]),
            "region": .object(["startLine": .number(Double(max(1, result.package.line)))]),
        ])])
        return .object([
            "ruleId": .string(first.rawValue),
            "ruleIndex": .number(Double(FailureCode.allCases.firstIndex(of: first) ?? 0)),
            "level": .string("error"),
            "message": .object(["text": .string(message)]),
            "locations": .array([location]),
            "partialFingerprints": .object(["packageFailure/v1": .string("\(result.package.id):\(first.rawValue)")]),
        ])
    }

    /// `integrity-mismatch` → `IntegrityMismatch`.
    static func ruleName(_ code: FailureCode) -> String {
        code.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
