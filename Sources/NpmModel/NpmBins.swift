/// A `bin` map as npm-normalize-package-bin leaves it, which is what npm links and writes to its
/// lockfile (found by review: npm linked `{"x": "../../evil.js"}` as `evil.js` inside the
/// package, and `a:b` as `b`, where we skipped or linked them otherwise). Worked on UTF-8 bytes:
/// - a name is its last segment, `\` and `:` counting as separators; `.`, `..` and empty names
///   are dropped;
/// - a path is `path.join('/', path)` without its leading `/`: `\` is a separator, `.` segments
///   go, and `..` cannot climb above the package;
/// - when two names normalise alike, the later one in byte order wins (npm keeps the document's
///   order, which a parsed object no longer has).
public enum NpmBins {
    public static func normalised(_ bins: [String: String]) -> [String: String] {
        var clean: [String: String] = [:]
        for (key, target) in bins.sorted(by: { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }) {
            let name = segments(key, separators: [0x2F, 0x5C, 0x3A]).last ?? []
            guard !name.isEmpty, name != [0x2E], name != [0x2E, 0x2E] else { continue }
            var path: [[UInt8]] = []
            for segment in segments(target, separators: [0x2F, 0x5C]) where segment != [0x2E] {
                if segment == [0x2E, 0x2E] { _ = path.popLast() } else { path.append(segment) }
            }
            guard !path.isEmpty else { continue }
            clean[String(decoding: name, as: UTF8.self)] = String(decoding: Array(path.joined(separator: [0x2F])), as: UTF8.self)
        }
        return clean
    }

    /// The non-empty segments of `text` between any of `separators`.
    private static func segments(_ text: String, separators: Set<UInt8>) -> [[UInt8]] {
        text.utf8.split(whereSeparator: separators.contains).map(Array.init)
    }

    /// The array form (`"bin": ["cli/a.js"]`): each path under its last segment's name.
    public static func fromArray(_ paths: [String]) -> [String: String] {
        var bins: [String: String] = [:]
        for path in paths { bins[String(decoding: segments(path, separators: [0x2F]).last ?? [], as: UTF8.self)] = path }
        return bins
    }

    /// A package-relative folder (`directories.bin`) as npm reads it: no `./`, no trailing `/`, no
    /// `..` above the package; `""` for the package itself.
    public static func normalisedFolder(_ folder: String) -> String {
        normalised(["x": folder + "/x"])["x"].map { String($0.dropLast(2)) } ?? ""
    }

    /// Whether npm reads `bins` as written: every name is already its own normal form, so no
    /// name is dropped or merged with another (a lockfile's `bin` is linked as npm reads it).
    public static func isNormal(_ bins: [String: String]) -> Bool {
        let names = normalised(bins.mapValues { _ in "x" }).keys
        return names.count == bins.count && bins.keys.allSatisfy { key in names.contains { $0.utf8.elementsEqual(key.utf8) } }
    }
}
