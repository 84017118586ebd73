import FoundationEssentials

/// The packages a verified tarball carries in its own `node_modules` (bundleDependencies): npm
/// installs them from that tarball, so they are covered by its integrity, never verified as
/// registry packages of their own. The report says so rather than let them pass unseen.
enum BundledPackages {
    /// Names under `unpacked/node_modules` (a scope's folders count one level down), sorted.
    static func names(in unpacked: URL) -> [String] {
        let folder = unpacked.appendingPathComponent("node_modules")
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var names: [String] = []
        for entry in entries where !entry.hasPrefix(".") {
            guard entry.hasPrefix("@") else { names.append(entry); continue }
            let scoped = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(entry).path)) ?? []
            names += scoped.filter { !$0.hasPrefix(".") }.map { "\(entry)/\($0)" }
        }
        return names.sorted()
    }

    /// The warning for `subject`'s bundled `names`, or nil when there are none.
    static func warning(_ subject: String, _ names: [String]) -> String? {
        guard !names.isEmpty else { return nil }
        let shown = names.prefix(10).joined(separator: ", ") + (names.count > 10 ? ", …" : "")
        return "\(subject) carries \(names.count) bundled package(s) in its own node_modules (\(shown)): installed from its tarball and covered by its integrity, not verified as registry packages of their own"
    }
}
