import FoundationEssentials

/// This process's peak resident memory.
enum PeakMemory {
    /// `VmHWM` of `/proc/self/status` in bytes (Linux). Unlike getrusage's `ru_maxrss`, it belongs
    /// to this program's address space alone: `ru_maxrss` survives exec and so can report the
    /// peak of the process that spawned us.
    static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return nil }
        return kilobytes * 1024
    }
}
