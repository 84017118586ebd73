import Installer
import NpmVerify

/// One package's "who built it" line for the human summary.
enum ProvenanceLine {
    static func render(_ provenance: PackageProvenance) -> String {
        var text: String
        if let who = provenance.builtBy {
            let workflow = [who.workflow, who.ref.map { "@ " + $0 }].compactMap { $0 }.joined(separator: " ")
            let details = [who.commit.map { "commit " + String($0.prefix(12)) }, who.runnerEnvironment, who.trigger.map { "on " + $0 }]
                .compactMap { $0 }.joined(separator: ", ")
            text = "built by \(who.repository ?? who.subjectAlternativeName ?? "an unknown repository")"
                + (workflow.isEmpty ? "" : " \(workflow)") + (details.isEmpty ? "" : " (\(details))")
        } else {
            text = "unverified: \(provenance.reason ?? "no provenance")"
        }
        if provenance.downgrade != nil { text += " — PROVENANCE DOWNGRADE" }
        return text
    }
}
