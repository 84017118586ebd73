import ArgumentParser
import FoundationEssentials
import CodedError
import Installer
import LockfileVerify
import NpmModel
import SafeJSON

/// How every verify-install command ends in failure: the error printed once on stderr, then the
/// exit code its kind documents (`InstallError.Kind.exitCode`, the one mapping).
enum CommandFailure: Error, CustomStringConvertible {
    /// Bad or unreadable input (exit 2).
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): message
        }
    }

    /// How a failure is also written on stdout when the command runs with `--json`, so that stdout
    /// is one JSON document whatever happens (found by review: it was empty).
    enum JSONForm {
        /// `npm audit signatures --json`'s: `{"error": {"code": …, "summary": …, "detail": ""}}`.
        case npm
        /// Like verify-lockfile's report: `{"ok": false, "exitCode": …, "error": {"kind": …, "message": …}}`.
        case envelope
        /// verify-lockfile's `--format sarif` and `junit`: a document whose invocation failed.
        case sarif, junit
    }

    /// The form for the command running in this task; nil without `--json`.
    @TaskLocal static var jsonForm: JSONForm?

    /// Prints `error` on stderr (and on stdout under `--json`) and returns the `ExitCode` of `kind` to throw.
    static func report(_ error: any Error, as kind: InstallError.Kind, prefix: String = "") -> ExitCode {
        StandardStream.error.write("error: \(TerminalText.escaped("\(prefix)\(error)"))\n")
        if let form = jsonForm {
            let document = json(error, form: form, kind: kind, prefix: prefix)
            // XML is escaped as XML (`junitFailure`); every JSON form is written as ASCII.
            StandardStream.output.write(form == .junit ? document : TerminalText.jsonEscaped(document))
        }
        return exit(kind)
    }

    /// The failure as one JSON document, laid out as `JSON.stringify(value, null, 2)`.
    static func json(_ error: any Error, form: JSONForm, kind: InstallError.Kind, prefix: String) -> String {
        let message = OrderedJSONWriter.quote("\(prefix)\(error)")
        switch form {
        case .npm:
            let code = ((error as? any CodedError)?.code).map { "    \"code\": \(OrderedJSONWriter.quote("\($0)")),\n" } ?? ""
            return "{\n  \"error\": {\n\(code)    \"summary\": \(message),\n    \"detail\": \"\"\n  }\n}\n"
        case .sarif:
            return VerificationReport.sarifFailure("\(prefix)\(error)")
        case .junit:
            return VerificationReport.junitFailure("\(prefix)\(error)")
        case .envelope:
            return "{\n  \"ok\": false,\n  \"exitCode\": \(kind.exitCode),\n  \"error\": {\n    \"kind\": \"\(kind)\",\n    \"message\": \(message)\n  }\n}\n"
        }
    }

    /// The `ExitCode` of `kind`, for a failure already reported (a report that did not pass).
    static func exit(_ kind: InstallError.Kind) -> ExitCode { ExitCode(kind.exitCode) }
}
