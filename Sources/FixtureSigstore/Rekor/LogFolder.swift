import DurableFile
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixture log's folder, shared by Rekor v1 and v2: a signing-key file and an append-only
/// entries file with one record per line. Every write is fsynced (with the folder, when it made a
/// new file) before it returns, so an acknowledged entry survives a crash; a torn last line was
/// never acknowledged and is cut off when the entries are read.
struct LogFolder: Sendable {
    let keyURL: URL
    let entriesURL: URL

    /// Creates `directory` if needed; `name` says which log's folder in the error (`log`, `v2 log`).
    init(_ directory: URL, name: String, keyFile: String, entriesFile: String) throws(RekorError) {
        (keyURL, entriesURL) = (directory.appendingPathComponent(keyFile), directory.appendingPathComponent(entriesFile))
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw RekorError(.storage, "cannot create the \(name) folder \(directory.path): \(error.localizedDescription)")
        }
    }

    /// The entries file's complete lines in order, without their newlines (blank ones included); a
    /// torn last line is truncated away first. No file, no lines.
    func completeLines() throws(RekorError) -> [ArraySlice<UInt8>] {
        guard FileManager.default.fileExists(atPath: entriesURL.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: entriesURL) } catch {
            throw RekorError(.storage, "cannot read \(entriesURL.path): \(error.localizedDescription)")
        }
        var bytes = [UInt8](data)
        let complete = bytes.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        if complete != bytes.count {
            guard truncate(entriesURL.path, off_t(complete)) == 0 else {
                throw RekorError(.storage, "cannot cut the torn last line of \(entriesURL.path): \(String(cString: strerror(errno)))")
            }
            bytes.removeSubrange(complete...)
        }
        return Array(bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast())
    }

    /// Appends `line` and a newline to the entries file, fsynced before returning.
    func appendLine(_ line: [UInt8]) throws(RekorError) {
        do { try DurableFile.write(line + [0x0A], to: entriesURL, append: true) } catch {
            throw RekorError(.storage, "cannot \(error)")
        }
    }

    /// Stores `key` as the key file (mode 0600), replaced atomically so a crash never leaves half a key.
    func storeKey(_ key: [UInt8]) throws(RekorError) {
        do { try DurableFile.replace(keyURL, with: key, mode: 0o600) } catch {
            throw RekorError(.storage, "cannot store the log key: \(error)")
        }
    }
}
