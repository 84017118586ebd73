public import Foundation
public import Testing

/// Something a test needs from the machine (the real npm, the Python venv of `make deps`). Missing,
/// it skips the test with the reason printed, unless its variable (`REQUIRE_NPM`, `REQUIRE_VENV`, set
/// by `make test`) is set to anything but `0`: then a missing requirement is a failure, so a witness
/// cannot pass silently in CI. Use it as a trait, `@Test(.requires(.npm))` / `@Suite(.requires(.venv))`;
/// ``isMet(sourceLocation:)`` is the same rule for the rare check in the middle of a test.
public struct Requirement: Sendable, CustomStringConvertible {
    /// What is needed, for messages ("node and npm on PATH").
    public let description: String
    /// The variable that makes a missing requirement a failure.
    public let variable: String
    /// nil when met, else why not.
    private let probe: @Sendable () async -> String?

    public init(_ description: String, variable: String, probe: @escaping @Sendable () async -> String?) {
        self.description = description
        self.variable = variable
        self.probe = probe
    }

    /// node and npm on PATH.
    public static let npm = Requirement("node and npm on PATH", variable: "REQUIRE_NPM") {
        let missing = ["node", "npm"].filter { ProcessRunner.which($0) == nil }
        return missing.isEmpty ? nil : "\(missing.joined(separator: " and ")) not on PATH"
    }

    /// node and npm on PATH, and `package` (e.g. `@sigstore/verify`) in npm's own `node_modules`.
    public static func npmModule(_ package: String) -> Requirement {
        Requirement("npm's own \(package)", variable: "REQUIRE_NPM") {
            if let missing = await npm.missing() { return missing }
            guard let modules = await NpmInstallation.modules() else { return "`npm root -g` failed" }
            let folder = modules.appendingPathComponent(package)
            return FileManager.default.fileExists(atPath: folder.path) ? nil : "npm has no \(package) (\(folder.path))"
        }
    }

    /// The venv of `make deps` with its Python (sigstore-python).
    public static let venv = venvTool("python")

    /// `bin/<tool>` of the venv of `make deps` (`check-jsonschema`, `python`).
    public static func venvTool(_ tool: String) -> Requirement {
        Requirement("\(tool) in the venv of `make deps`", variable: "REQUIRE_VENV") {
            let url = Repository.venv.appendingPathComponent("bin/\(tool)")
            return FileManager.default.isExecutableFile(atPath: url.path) ? nil : "\(url.path) is missing (run `make deps`)"
        }
    }

    /// Whether a missing requirement fails instead of skipping (`REQUIRE_…` set, and not to `0`).
    public var isRequired: Bool {
        guard let value = ProcessInfo.processInfo.environment[variable] else { return false }
        return !value.isEmpty && value != "0"
    }

    /// nil when met, else why not (probed once per process).
    public func missing() async -> String? {
        await ProbeCache.shared.result(for: description, probe)
    }

    /// For a check in the middle of a test: true when met; otherwise prints why (skipping the
    /// rest), or records an issue when ``isRequired``.
    public func isMet(sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        guard let reason = await missing() else { return true }
        if isRequired {
            Issue.record(Comment(rawValue: "\(variable) is set but \(reason)"), sourceLocation: sourceLocation)
        } else {
            print("SKIPPED: \(reason) (\(variable)=1 makes this a failure)")
        }
        return false
    }
}

/// The trait of ``Requirement``: `.enabled(if:)` that skips with the reason printed, or fails under `REQUIRE_…`.
public struct RequirementTrait: TestTrait, SuiteTrait {
    public let requirements: [Requirement]

    public func prepare(for test: Test) async throws {
        for requirement in requirements {
            guard let reason = await requirement.missing() else { continue }
            if requirement.isRequired { throw RequirementMissing(description: "\(requirement.variable) is set but \(reason)") }
            print("SKIPPED: \(test.name): \(reason) (\(requirement.variable)=1 makes this a failure)")
            try await ConditionTrait.disabled(Comment(rawValue: reason)).prepare(for: test)
        }
    }
}

extension Trait where Self == RequirementTrait {
    /// Skips the test or suite (reason printed) when a requirement is missing, or fails it when
    /// the requirement's `REQUIRE_…` variable is set.
    public static func requires(_ requirements: Requirement...) -> Self { RequirementTrait(requirements: requirements) }
}

/// A requirement is missing although `REQUIRE_…` says it must be there.
public struct RequirementMissing: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// npm's own installation.
public enum NpmInstallation {
    /// npm's own `node_modules` (where its sigstore-js, libnpmpublish, ... live), or nil without npm.
    public static func modules() async -> URL? {
        guard let npm = ProcessRunner.which("npm"),
              let root = try? await ProcessRunner.run(npm, ["root", "-g"], isolatedHome: true), root.status == 0 else { return nil }
        return URL(fileURLWithPath: root.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("npm/node_modules")
    }
}

private actor ProbeCache {
    static let shared = ProbeCache()
    private var results: [String: String?] = [:]

    func result(for key: String, _ probe: @Sendable () async -> String?) async -> String? {
        if let known = results[key] { return known }
        let result = await probe()
        results[key] = .some(result)
        return result
    }
}
