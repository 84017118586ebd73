import SafeJSON
import LockfileFormats
import NpmVerify

extension VerificationReport {
    /// `--format junit`: one test case per lockfile entry; failures fail, not-verifiable entries are skipped.
    public func junit() -> String {
        let failures = failed.count, skipped = notVerifiable.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"verify-lockfile\" tests=\"\(results.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\">\n"
        out += "  <testsuite name=\"\(Self.xml(lockfile))\" tests=\"\(results.count)\" failures=\"\(failures)\" skipped=\"\(skipped)\" errors=\"0\">\n"
        for result in results { out += testCase(result) }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// A run that could not verify at all: one test case in error, saying why.
    public static func junitFailure(_ message: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"verify-lockfile\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
            + "  <testsuite name=\"verify-lockfile\" tests=\"1\" failures=\"0\" skipped=\"0\" errors=\"1\">\n"
            + "    <testcase classname=\"verify-lockfile\" name=\"verify-lockfile\">\n      <error message=\"\(xml(message))\"/>\n    </testcase>\n"
            + "  </testsuite>\n</testsuites>\n"
    }

    private func testCase(_ result: PackageResult) -> String {
        let package = result.package
        let out = "    <testcase classname=\"\(Self.xml(format.rawValue))\" name=\"\(Self.xml(package.id))\" file=\"\(Self.xml(lockfile))\" line=\"\(package.line)\""
        var body = ""
        switch result.status {
        case .failed:
            let text = result.failures.map { "\($0.code.rawValue): \($0.message)" }.joined(separator: "\n")
            body += "      <failure type=\"\(result.failures[0].code.rawValue)\" message=\"\(Self.xml(result.failures[0].message))\">\(Self.xml(text))</failure>\n"
        case .notVerifiable:
            if case .notVerifiable(let reason) = package.kind { body += "      <skipped message=\"not verifiable: \(Self.xml(reason))\"/>\n" }
        case .excepted:
            body += "      <system-out>\(Self.xml("covered by a policy exception: \(result.exception?.reason ?? "")"))</system-out>\n"
        case .verified:
            break
        }
        if !result.notes.isEmpty, result.status != .excepted {
            body += "      <system-out>\(Self.xml(result.notes.joined(separator: "\n")))</system-out>\n"
        }
        return body.isEmpty ? out + "/>\n" : out + ">\n" + body + "    </testcase>\n"
    }

    /// XML text and attribute escaping (`SafeJSON.TextEscaping.xml`: forbidden control characters are dropped).
    static func xml(_ text: String) -> String { TextEscaping.xml(text) }
}
