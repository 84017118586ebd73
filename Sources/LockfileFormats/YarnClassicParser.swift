/// Yarn classic (v1) `yarn.lock`: its own indented format, not YAML. Each block starts with the
/// descriptors it satisfies (`"a@^1", a@~1.2:`) and lists `version`, `resolved`, `integrity`.
struct YarnClassicParser {
    let limits: LockfileLimits

    func parse(_ text: String) throws -> ParsedLockfile {
        var out: [LockedPackage] = []
        var current: (key: String, line: Int, fields: [String: String])?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !line.hasPrefix(" ") {
                if let block = current { out.append(try entry(block.key, fields: block.fields, line: block.line)) }
                guard line.hasSuffix(":") else { throw LockfileError("yarn.lock line \(index + 1): expected `descriptor:`") }
                current = (String(line.dropLast()), index + 1, [:])
                guard out.count < limits.maxEntries else { throw LockfileError("yarn.lock has more than \(limits.maxEntries) entries") }
            } else if line.hasPrefix("  "), !line.hasPrefix("   "), !line.hasSuffix(":") {
                let field = line.dropFirst(2)
                guard let space = field.firstIndex(of: " ") else { continue }
                current?.fields[Self.unquote(field[..<space])] = Self.unquote(field[field.index(after: space)...])
            }
        }
        if let block = current { out.append(try entry(block.key, fields: block.fields, line: block.line)) }
        return ParsedLockfile(format: .yarnClassic, formatVersion: "1", packages: out)
    }

    func entry(_ key: String, fields: [String: String], line: Int) throws -> LockedPackage {
        let first = Self.unquote(Substring(key.split(separator: ",").first.map { $0.trimmingWhitespace() } ?? key))
        guard let (name, range) = EntryClassifier.splitDescriptor(first) else {
            throw LockfileError("yarn.lock line \(line): \(first) is not name@range")
        }
        let installed = try EntryClassifier.validName(name, entry: first)
        var package = LockedPackage(key: key, name: installed, version: fields["version"] ?? "", resolved: fields["resolved"],
                                    integrity: fields["integrity"], line: line)
        if range.hasPrefix("npm:") {
            let target = String(range.dropFirst(4))
            let real = EntryClassifier.splitDescriptor(target)?.name ?? target
            if real != installed {
                package.kind = .notVerifiable(EntryClassifier.aliasReason(name: installed, target: "\(real)@\(package.version)"))
            }
        } else if let reason = EntryClassifier.nonRegistryReason(range) ?? package.resolved.flatMap(EntryClassifier.nonRegistryReason) {
            package.kind = .notVerifiable(reason)
        } else if package.version.isEmpty {
            package.kind = .notVerifiable("no version recorded")
        }
        return package
    }

    static func unquote(_ text: Substring) -> String {
        let trimmed = text.trimmingWhitespace()
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else { return trimmed }
        return String(trimmed.dropFirst().dropLast())
    }
}

import FoundationEssentials
import SafeJSON
