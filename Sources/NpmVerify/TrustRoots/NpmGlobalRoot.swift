import Foundation

/// Finds `$(npm root -g)`: the folder holding the globally installed npm CLI.
public enum NpmGlobalRoot {
    /// Runs `npm root -g` from `PATH`; nil when npm is missing or fails.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let npm = which("npm", path: environment["PATH"] ?? "") else { return nil }
        let process = Process()
        process.executableURL = npm
        process.arguments = ["root", "-g"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let path = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : URL(fileURLWithPath: path)
    }

    static func which(_ name: String, path: String) -> URL? {
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
