import FoundationEssentials
import NpmModel

extension AuditReport {
    /// The human report, line for line what `npm audit signatures` prints (npm 10.8.2
    /// `lib/utils/verify-signatures.js`, without colour), plus two sections npm never prints:
    /// packages npm would have stopped the whole run on, and who built each package.
    public func text() -> String {
        var lines: [String] = []
        let audited = auditedCount
        lines.append("audited \(audited) package\(audited > 1 ? "s" : "") in \(Int(elapsedSeconds))s")
        lines.append("")
        let signatures = verifiedSignatureCount
        if signatures > 0 {
            lines.append(signatures == 1 ? "1 package has a verified registry signature"
                                         : "\(signatures) packages have verified registry signatures")
            lines.append("")
        }
        let attestations = verifiedAttestationCount
        if attestations > 0 {
            lines.append(attestations == 1 ? "1 package has a verified attestation"
                                           : "\(attestations) packages have verified attestations")
            lines.append("")
        }
        let missing = self.missing
        if !missing.isEmpty {
            lines.append(missing.count == 1
                ? "1 package has a missing registry signature but the registry is providing signing keys:"
                : "\(missing.count) packages have missing registry signatures but the registry is providing signing keys:")
            lines.append("")
            lines += missing.map { "\($0.name)@\($0.version) (\($0.registry))" }
        }
        if !invalid.isEmpty {
            if !missing.isEmpty { lines.append("") }
            lines += invalidSections()
        }
        lines += provenanceTable()
        if !skipped.isEmpty {
            lines += ["", skipped.count == 1 ? "1 installed package could not be audited:" : "\(skipped.count) installed packages could not be audited:", ""]
            lines += skipped
        }
        // Names, versions, URLs and reasons come from the tree and the registry: no raw control characters.
        return lines.map { TerminalText.escaped($0) + "\n" }.joined()
    }

    /// Whole seconds, truncated like npm's `Math.floor`.
    var elapsedSeconds: Int64 { elapsed.components.seconds }

    /// The invalid findings, one section per kind, then npm's tamper line where it applies.
    private func invalidSections() -> [String] {
        var lines: [String] = []
        let invalid = self.invalid
        section(invalid.filter { $0.code == InvalidPackage.invalidSignatureCode }, into: &lines,
                one: "1 package has an invalid registry signature:", many: "packages have invalid registry signatures:")
        section(invalid.filter { $0.code == InvalidPackage.invalidAttestationCode }, into: &lines,
                one: "1 package has an invalid attestation:", many: "packages have invalid attestations:")
        section(invalid.filter { $0.code == InvalidPackage.policyCode }, into: &lines, reasons: true,
                one: "1 package does not meet the provenance policy:", many: "packages do not meet the provenance policy:")
        section(invalid.filter { !InvalidPackage.npmInvalidCodes.contains($0.code) && $0.code != InvalidPackage.policyCode },
                into: &lines, reasons: true,
                one: "1 package could not be verified (npm would stop the whole audit here):",
                many: "packages could not be verified (npm would stop the whole audit here):")
        // npm's closing line; here only for findings that suggest tampering, not for fetch failures.
        let tampered = invalid.count { InvalidPackage.tamperCodes.contains($0.code) }
        if tampered > 0 {
            lines.append(tampered == 1
                ? "Someone might have tampered with this package since it was published on the registry!"
                : "Someone might have tampered with these packages since they were published on the registry!")
            lines.append("")
        }
        return lines
    }

    private func section(_ entries: [InvalidPackage], into lines: inout [String], reasons: Bool = false, one: String, many: String) {
        guard !entries.isEmpty else { return }
        lines.append(entries.count == 1 ? one : "\(entries.count) \(many)")
        lines.append("")
        for entry in entries {
            lines.append("\(entry.name)@\(entry.version) (\(entry.registry))")
            if reasons { lines.append("  \(entry.code): \(entry.message)") }
        }
        lines.append("")
    }

    /// "Who built it": one row per package with verified provenance.
    func provenanceTable() -> [String] {
        let rows = provenance.map { row in
            [row.target.id, row.provenance.repository ?? "-", row.provenance.workflow ?? "-",
             row.provenance.ref ?? "-", row.provenance.commit ?? "-"]
        }
        guard !rows.isEmpty else { return [] }
        let header = ["package", "repository", "workflow", "ref", "commit"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(widths[index] - cell.count, 0))
            }.joined(separator: "  ")
        }
        return ["Built from verified provenance (of each name@version's registry tarball; the installed files are not compared with it):", "",
                line(header)] + rows.map(line) + [""]
    }
}
