import Installer
import NpmModel
import FoundationEssentials

/// The human summary printed after a successful run.
enum Summary {
    /// Packages listed one per line before the list is summarised.
    static let listLimit = 25

    /// Wall time per phase, and work summed over parallel tasks.
    static func timingLines(_ report: InstallReport) -> [String] {
        let timing = ["resolve", "fetch+verify+unpack", "place"].compactMap { key in report.timings[key].map { "\(key) \(format($0))s" } }
        let work = [("sum:attestations", "attestation checks"), ("sum:signature checks", "signature checks"), ("sum:unpack", "unpack")]
            .compactMap { key, label in report.timings[key].map { "\(label) \(format($0))s" } }
        return (timing.isEmpty ? [] : ["time: " + timing.joined(separator: ", ")])
            + (work.isEmpty ? [] : ["work (summed over parallel tasks): " + work.joined(separator: ", ")])
    }

    /// Which placed packages npm would run install scripts for.
    static func installScripts(_ report: InstallReport) -> [String] {
        guard !report.installScripts.isEmpty else { return [] }
        return ["install scripts: \(report.installScripts.count) package(s) have scripts npm would run (verify-install ran none):"]
            + report.installScripts.prefix(listLimit).map { "  \($0)" }
            + (report.installScripts.count > listLimit ? ["  … and \(report.installScripts.count - listLimit) more (--json lists them all)"] : [])
    }

    static func render(_ report: InstallReport) -> String {
        var lines: [String] = []
        let count = report.packages.count
        switch report.command {
        case "resolve":
            lines.append("resolved \(count) package(s) from \(report.registry) (nothing downloaded)")
        default:
            lines.append("verified install of \(count) package(s) into \(report.prefix)/node_modules")
            lines.append("registry: \(report.registry)")
        }
        lines += packageLines(report)
        if report.packages.count > listLimit {
            lines.append("  … and \(report.packages.count - listLimit) more (--json lists every package)")
        }
        if report.command != "resolve" {
            let cached = report.packages.filter { $0.fromCache == true }.count
            lines.append("integrity: \(report.verified.integrity)/\(count) verified before placement"
                + (cached > 0 ? " (\(cached) read from the cache and re-hashed)" : "")
                + (report.verified.legacySHA1Only > 0 ? "; \(report.verified.legacySHA1Only) with legacy SHA-1 only" : ""))
            let notChecked = report.verified.signaturesNotChecked.sorted { $0.key < $1.key }
                .map { "; not checked for \($0.value): \($0.key)" }.joined()
            lines.append("registry signatures: \(report.verified.registrySignatures)/\(count) verified" + notChecked)
            lines += report.verified.signatureKeys.map { "  keys: \($0)" }
            lines.append("provenance: \(report.verified.provenance)/\(count) verified"
                + (report.verified.withoutProvenance > 0 ? ", \(report.verified.withoutProvenance) without provenance" : "")
                + (report.verified.trustedRoot.map { " (trusted root: \($0))" } ?? ""))
        }
        lines += installScripts(report)
        if !report.omitted.isEmpty {
            let what = report.command == "ci" ? "not fetched, so not verified" : "verified and locked, not placed"
            lines.append("omitted: \(report.omitted.count) package(s) left off disk by npm's omit settings (\(what))")
        }
        if let lockfile = report.lockfile, report.command == "install" { lines.append("lockfile: \(lockfile)") }
        if let notice = report.trustNotice { lines.insert("TRUST: \(notice): verified against the embedded fixture world, not against any real registry", at: 0) }
        for warning in report.warnings { lines.append("warning: \(warning)") }
        lines += timingLines(report)
        // Names, versions, paths and warnings come from registries and lockfiles: no raw control characters.
        return lines.map(TerminalText.escaped).joined(separator: "\n")
    }

    /// The first `listLimit` packages, one line each (and who built it, when known).
    static func packageLines(_ report: InstallReport) -> [String] {
        var lines: [String] = []
        let width = report.packages.map { "\($0.name)@\($0.version)".count }.max() ?? 0
        for package in report.packages.prefix(listLimit) {
            let id = "\(package.name)@\(package.version)"
            let pad = String(repeating: " ", count: max(0, width - id.count))
            var flags: [String] = []
            if package.dev { flags.append("dev") }
            if package.optional { flags.append("optional") }
            if package.fromCache == true { flags.append("cache") }
            if package.omitted == true { flags.append("omitted: not placed") }
            let check = report.command == "resolve" ? "" : "  integrity ok"
            lines.append("  \(id)\(pad)  \(package.path)  \(shortIntegrity(package.integrity))\(check)\(flags.isEmpty ? "" : "  (\(flags.joined(separator: ", ")))")")
            if let provenance = package.provenance { lines.append("      " + ProvenanceLine.render(provenance)) }
        }
        return lines
    }

    static func shortIntegrity(_ integrity: String) -> String {
        let first = integrity.split(separator: " ").first.map(String.init) ?? integrity
        return first.count > 24 ? String(first.prefix(24)) + "…" : first
    }

    static func format(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded())
        let fraction = String((milliseconds % 1000).magnitude)
        let sign = milliseconds % 1000 < 0 ? "-" : ""
        return String(milliseconds / 1000) + "." + sign + String(repeating: "0", count: max(3 - sign.count - fraction.count, 0)) + fraction
    }
}
