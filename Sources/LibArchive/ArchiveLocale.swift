#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs libarchive calls under a UTF-8 `LC_CTYPE`, on the calling thread only.
///
/// libarchive converts names between UTF-8 (pax headers) and the current locale's charset.
/// Swift programs run in the "C" locale, where libarchive 3.6/3.7 crash writing non-ASCII pax
/// paths (libarchive issue #2233) and refuse to read them. `uselocale` is per-thread, so
/// switching around each call leaves the rest of the process alone.
enum ArchiveLocale {
    /// A UTF-8 `LC_CTYPE` locale object, created once; `nil` if the system offers none.
    /// Locale objects are immutable once created, so sharing one between threads is safe.
    nonisolated(unsafe) private static let utf8: locale_t? = {
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8"] {
            if let locale = newlocale(LC_CTYPE_MASK, name, nil) { return locale }
        }
        return nil
    }()

    /// Whether non-ASCII names can be handled safely.
    static var isUTF8Available: Bool { utf8 != nil }

    /// Runs `body` with the UTF-8 locale installed for this thread, restoring the previous one.
    static func withUTF8<R, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        guard let utf8 else { return try body() }
        let previous = uselocale(utf8)
        defer { if let previous { _ = uselocale(previous) } }
        return try body()
    }
}
