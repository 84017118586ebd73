import LockfileFormats
import NpmModel
import SafeJSON
import NpmVerify

extension VerificationReport {
    /// `--json`: the whole report, keys sorted.
    public func json() -> String {
        let summary: JSONValue = .object([
            "packages": .number(Double(results.count)), "verified": .number(Double(verified.count)),
            "failed": .number(Double(failed.count)), "notVerifiable": .number(Double(notVerifiable.count)), "uncomparedChecksums": .number(Double(uncomparedChecksums.count)),
            "excepted": .number(Double(excepted.count)),
        ])
        let document: JSONValue = .object([
            "ok": .bool(exitCode == 0), "exitCode": .number(Double(exitCode)), "lockfile": .string(lockfile),
            "format": .string(format.rawValue), "formatVersion": .string(formatVersion), "registry": .string(registry),
            "summary": summary, "packages": .array(results.map(Self.json)),
        ])
        let text = (try? document.serialized(pretty: true)).map { String(decoding: $0, as: UTF8.self) } ?? "{\"ok\":false}"
        return TerminalText.jsonEscaped(text) + "\n"
    }

    static func json(_ result: PackageResult) -> JSONValue {
        let package = result.package
        var object: [String: JSONValue] = [
            "name": .string(package.name), "version": .string(package.version), "key": .string(package.key),
            "line": .number(Double(package.line)), "status": .string(result.status.rawValue),
            "signature": .string(result.signature.rawValue), "attestations": .number(Double(result.attestations)),
            "failures": .array(result.failures.map(json)), "excused": .array(result.excused.map(json)),
            "notes": .array(result.notes.map { .string($0) }),
        ]
        object["resolved"] = package.resolved.map { .string($0) } ?? .null
        object["integrity"] = package.integrity.map { .string($0) } ?? .null
        if let checksum = package.berryChecksum { object["berryChecksum"] = .string(checksum) }
        if let other = result.otherRegistry { object["registry"] = .string(other) }
        if let source = result.keySource { object["keySource"] = .string(source) }
        if let alias = package.installedAs { object["installedAs"] = .string(alias) }
        if case .notVerifiable(let reason) = package.kind { object["reason"] = .string(reason) }
        if let exception = result.exception {
            object["exception"] = .object(["package": .string(exception.package.text), "reason": .string(exception.reason),
                                           "until": exception.until.map { .string($0) } ?? .null])
        }
        if let provenance = result.provenance {
            object["provenance"] = .object([
                "repository": provenance.repository.map { .string($0) } ?? .null, "workflow": provenance.workflow.map { .string($0) } ?? .null,
                "ref": provenance.ref.map { .string($0) } ?? .null, "commit": provenance.commit.map { .string($0) } ?? .null,
            ])
        }
        return .object(object)
    }

    static func json(_ failure: Failure) -> JSONValue {
        .object(["code": .string(failure.code.rawValue), "message": .string(failure.message)])
    }
}
