import ArgumentParser

/// `install` is the default subcommand, so any word that is not a subcommand is taken for a
/// package to install: `verify-install audti` would fetch a package named `audti` from the
/// registry and save it (found by review: a ready-made typosquatting path). A bare name this
/// close to a subcommand is refused unless `install` was typed; npm says "Unknown command".
enum MistypedCommand {
    /// The subcommands a word may be a slip of.
    static let names = ["install", "resolve", "verify-bundle", "verify-attestations", "audit", "verify-lockfile"]

    /// Refuses the first spec that looks like a mistyped subcommand, unless `arguments` (the
    /// command line after the program name) start with `install` (an `install` anywhere else, such
    /// as `--prefix install`, says nothing: found by review).
    static func refuse(_ specs: [String], arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws {
        guard arguments.first != "install" else { return }
        for spec in specs where !spec.contains("@") && !spec.contains("/") {
            if let name = names.first(where: { isSlip(spec.lowercased(), of: $0) }) {
                throw ValidationError("'\(spec)' is not a verify-install command (did you mean '\(name)'?); to install a package of that name, say so: verify-install install \(spec)")
            }
        }
    }

    /// Within one edit (two for names of six letters or more), counting a swap of neighbours as one.
    static func isSlip(_ word: String, of name: String) -> Bool {
        guard word.count >= 4 else { return false }
        return editDistance(Array(word), Array(name)) <= (name.count >= 6 ? 2 : 1)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
