import SafeJSON
import NpmModel

/// npm's `os`/`cpu` fields: optional packages built for other platforms are skipped.
enum PlatformCheck {
    #if os(Linux)
    static let os = "linux"
    #else
    static let os = "darwin"
    #endif
    #if arch(x86_64)
    static let cpu = "x64"
    #else
    static let cpu = "arm64"
    #endif

    /// Why `manifest` cannot run here, or nil when it can.
    static func mismatch(_ manifest: Manifest) -> String? {
        if let list = manifest.raw["os"]?.arrayValue?.compactMap(\.stringValue), !allows(list, os) {
            return "os \(list) does not include \(os)"
        }
        if let list = manifest.raw["cpu"]?.arrayValue?.compactMap(\.stringValue), !allows(list, cpu) {
            return "cpu \(list) does not include \(cpu)"
        }
        return nil
    }

    /// npm-install-checks: `!x` excludes, plain entries form an allow list.
    static func allows(_ list: [String], _ value: String) -> Bool {
        if list.contains("!\(value)") { return false }
        let positives = list.filter { !$0.hasPrefix("!") }
        return positives.isEmpty || positives.contains(value) || positives.contains("any")
    }
}
