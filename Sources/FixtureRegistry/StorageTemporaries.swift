import Foundation

/// The temporary files a write killed mid-way leaves (`.<name>.tmp-<hex>`, `DurableFile`'s
/// spelling): never part of what the registry serves, so removed when the storage is opened
/// (found by review: two SIGKILLed 40 MB publishes left 80 MB behind for good).
enum StorageTemporaries {
    /// Whether `fileName` is such a leftover.
    static func isLeftover(_ fileName: String) -> Bool {
        guard fileName.hasPrefix("."), let marker = fileName.range(of: ".tmp-", options: .backwards) else { return false }
        let suffix = fileName[marker.upperBound...]
        return !suffix.isEmpty && suffix.allSatisfy(\.isHexDigit)
    }

    /// Removes every leftover below `directory` (links are not followed); returns how many.
    @discardableResult
    static func remove(below directory: URL) -> Int {
        guard let walk = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return 0 }
        var removed = 0
        for case let url as URL in walk where isLeftover(url.lastPathComponent) {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            if (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}
