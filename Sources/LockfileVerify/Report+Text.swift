import NpmModel
import LockfileFormats
import NpmVerify

extension VerificationReport {
    /// The human report, in the style of `npm audit signatures`.
    public func text() -> String {
        var lines = ["checked \(results.count) lockfile entr\(results.count == 1 ? "y" : "ies") of \(lockfile) (\(format.rawValue) \(formatVersion)) against \(registry)", ""]
        let signed = results.count { $0.signature == .verified }
        if signed > 0 {
            // Whose keys, always (found by review: a project .npmrc naming a registry that serves its
            // own keys passed as "verified" with no word of it; routed scopes say it below).
            let sources = Set(results.filter { $0.signature == .verified && $0.otherRegistry == nil }.compactMap(\.keySource)).sorted()
            let keys = sources.isEmpty ? "" : ", with keys from \(sources.joined(separator: "; "))"
            lines += ["\(signed) package\(signed == 1 ? " has a verified registry signature" : "s have verified registry signatures")\(keys)", ""]
        }
        let attested = results.count { $0.attestations > 0 }
        if attested > 0 { lines += ["\(attested) package\(attested == 1 ? " has verified attestations" : "s have verified attestations")", ""] }
        section(failed, &lines, one: "1 package failed verification:", many: "packages failed verification:") { result in
            ["\(result.package.id) (\(lockfile):\(result.package.line))"] + result.failures.map { "  \($0.code.rawValue): \($0.message)" }
        }
        section(notVerifiable, &lines, one: "1 entry is not verifiable (not a registry package):",
                many: "entries are not verifiable (not registry packages):") { result in
            guard case .notVerifiable(let reason) = result.package.kind else { return [] }
            return ["\(result.package.name) (\(result.package.key)): \(reason)"]
        }
        section(excepted, &lines, one: "1 package is covered by a policy exception:", many: "packages are covered by policy exceptions:") { result in
            let until = result.exception?.until.map { " until \($0)" } ?? ""
            let excused = result.excused.isEmpty ? "nothing needed excusing" : "excused: " + result.excused.map(\.code.rawValue).joined(separator: ", ")
            return ["\(result.package.id): \(result.exception?.reason ?? "")\(until) (\(excused))"]
        }
        let elsewhere = Dictionary(grouping: results.filter { $0.otherRegistry != nil }, by: { $0.otherRegistry ?? "" })
        for (other, routed) in elsewhere.sorted(by: { $0.key < $1.key }) {
            let keys = Set(routed.compactMap(\.keySource)).sorted().joined(separator: "; ")
            lines += ["\(routed.count) package(s) verified against \(other)\(keys.isEmpty ? "" : ", with keys from \(keys)"), because the npm configuration (.npmrc) routes their scope there: "
                      + routed.map(\.package.id).joined(separator: ", "), ""]
        }
        let notes = results.flatMap { result in result.notes.map { "\(result.package.id): \($0)" } }
        if !notes.isEmpty { lines += ["notes:"] + notes.map { "  " + $0 } + [""] }
        let noKeys = results.count { $0.signature == .registryHasNoKeys }
        if noKeys > 0 { lines += ["\(noKeys) package(s) had no registry signature checked: their registry publishes no signing keys", ""] }
        let unbound = uncomparedChecksums.count
        if unbound > 0 { lines += ["\(unbound) Yarn Berry checksum(s) not compared: each registry tarball was verified, not Yarn's zip of it, which is what Yarn installs (see notes)", ""] }
        if unverifiableFails, !notVerifiable.isEmpty || unbound > 0, failed.isEmpty {
            let entries = notVerifiable.isEmpty ? nil : "\(notVerifiable.count) entr\(notVerifiable.count == 1 ? "y is" : "ies are") not verifiable"
            let checksums = unbound == 0 ? nil : "\(unbound) Yarn Berry checksum(s) not compared"
            lines.append("FAILED: \([entries, checksums].compactMap { $0 }.joined(separator: " and ")) and --fail-on-unverifiable is set")
        } else {
            lines.append(exitCode == 0 ? "ok: every registry package verified" : "FAILED: \(failed.count) package(s) did not verify")
        }
        return lines.map { TerminalText.escaped($0) + "\n" }.joined()
    }

    private func section(_ results: [PackageResult], _ lines: inout [String], one: String, many: String,
                         _ render: (PackageResult) -> [String]) {
        guard !results.isEmpty else { return }
        lines.append(results.count == 1 ? one : "\(results.count) \(many)")
        lines.append("")
        lines += results.flatMap(render)
        lines.append("")
    }
}
