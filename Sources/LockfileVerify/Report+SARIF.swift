import NpmModel
import SafeJSON
import LockfileFormats

extension VerificationReport {
    static let sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

    /// `--format sarif`: SARIF 2.1.0, one result per failing package, its rule the first failure's code,
    /// located at the package's line in the lockfile.
    public func sarif(toolVersion: String = "1.0.0") -> String {
        let rules: [JSONValue] = FailureCode.allCases.map { code in
            .object([
                "id": .string(code.rawValue), "name": .string(Self.ruleName(code)),
                "shortDescription": .object(["text": .string(code.summary)]),
                "defaultConfiguration": .object(["level": .string("error")]),
            ])
        }
        let driver: JSONValue = .object([
            "name": .string("verify-install verify-lockfile"), "semanticVersion": .string(toolVersion),
            "informationUri": .string("https://github.com/mochi-lang/mochi"), "rules": .array(rules),
        ])
        let run: JSONValue = .object([
            "tool": .object(["driver": driver]),
            "artifacts": .array([.object(["location": .object(["uri": .string(lockfile)])])]),
            "results": .array(failed.map(sarifResult)),
        ])
        let document: JSONValue = .object(["$schema": .string(Self.sarifSchema), "version": .string("2.1.0"), "runs": .array([run])])
        let text = (try? document.serialized(pretty: true)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return TerminalText.jsonEscaped(text) + "\n"
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
