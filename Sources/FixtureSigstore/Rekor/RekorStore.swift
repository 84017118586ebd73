import Crypto
import Foundation
import SafeJSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The log's folder: `rekor-signing-key.pem` (PKCS#8, mode 0600) and `entries.jsonl`, an
/// append-only file with one canonical-JSON record per entry, each written and fsynced
/// before the entry is acknowledged. A torn last line (crash mid-write) was never
/// acknowledged and is cut off on reload.
struct RekorStore: Sendable {
    /// One persisted entry.
    struct Record: Sendable, Equatable {
        let logIndex: Int
        let kind: String
        let apiVersion: String
        let body: [UInt8]
        let integratedTime: Int64
        let signedEntryTimestamp: [UInt8]
    }

    let directory: URL
    var keyURL: URL { directory.appendingPathComponent("rekor-signing-key.pem") }
    var entriesURL: URL { directory.appendingPathComponent("entries.jsonl") }

    init(directory: URL) throws(RekorError) {
        self.directory = directory
        do { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
            throw RekorError(.storage, "cannot create the log folder \(directory.path): \(error.localizedDescription)")
        }
    }

    // MARK: - Key

    /// The stored key; else `given` (or a new key), stored. A given key that differs from the stored one is refused.
    func signingKey(given: P256.Signing.PrivateKey?) throws(RekorError) -> P256.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: keyURL.path) {
            let stored: P256.Signing.PrivateKey
            do { stored = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: keyURL, encoding: .utf8)) } catch {
                throw RekorError(.storage, "\(keyURL.path): expected a PEM P-256 private key: \(error)")
            }
            if let given, given.rawRepresentation != stored.rawRepresentation {
                throw RekorError(.storage, "\(keyURL.path) holds a different key than the one passed in; the log's entries are signed by the stored key")
            }
            return stored
        }
        let key = given ?? P256.Signing.PrivateKey()
        // Written beside and renamed into place, so a crash never leaves half a key.
        let temporary = directory.appendingPathComponent(".rekor-signing-key-\(UUID().uuidString).pem")
        try Self.durableWrite(Array(key.pemRepresentation.utf8), to: temporary, append: false, mode: 0o600)
        guard rename(temporary.path, keyURL.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw RekorError(.storage, "cannot move the new log key into \(keyURL.path): \(reason)")
        }
        Self.syncFolder(directory)
        return key
    }

    // MARK: - Entries

    /// Every complete record in order; a torn last line is truncated away.
    func loadRecords() throws(RekorError) -> [Record] {
        guard FileManager.default.fileExists(atPath: entriesURL.path) else { return [] }
        let data: Data
        do { data = try Data(contentsOf: entriesURL) } catch {
            throw RekorError(.storage, "cannot read \(entriesURL.path): \(error.localizedDescription)")
        }
        var bytes = [UInt8](data)
        if let lastNewline = bytes.lastIndex(of: 0x0A), lastNewline != bytes.count - 1 {
            try cutTornTail(to: lastNewline + 1)
            bytes.removeSubrange((lastNewline + 1)...)
        } else if !bytes.isEmpty, bytes.last != 0x0A {
            try cutTornTail(to: 0)
            bytes = []
        }
        var records: [Record] = []
        for (number, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
            guard line.count <= RekorLimits.maxStoredLineBytes, let record = Self.decode(Array(line)) else {
                throw RekorError(.storage, "\(entriesURL.path) line \(number + 1): expected a log entry record")
            }
            guard record.logIndex == number else {
                throw RekorError(.storage, "\(entriesURL.path) line \(number + 1): expected logIndex \(number), found \(record.logIndex)")
            }
            records.append(record)
        }
        return records
    }

    /// Appends `record` and fsyncs before returning.
    func append(_ record: Record) throws(RekorError) {
        try Self.durableWrite(Self.encode(record) + [0x0A], to: entriesURL, append: true, mode: 0o644)
    }

    static func encode(_ record: Record) -> [UInt8] {
        RekorCanonicalJSON.bytes([
            "apiVersion": .string(record.apiVersion),
            "body": .string(RekorEncoding.base64(record.body)),
            "integratedTime": .number(Double(record.integratedTime)),
            "kind": .string(record.kind),
            "logIndex": .number(Double(record.logIndex)),
            "signedEntryTimestamp": .string(RekorEncoding.base64(record.signedEntryTimestamp)),
        ])
    }

    static func decode(_ line: [UInt8]) -> Record? {
        guard let json = try? JSONValue.parse(Data(line), maxDepth: 4),
              let index = json["logIndex"]?.numberValue, let time = json["integratedTime"]?.numberValue,
              let kind = json["kind"]?.stringValue, let version = json["apiVersion"]?.stringValue,
              let body = json["body"]?.stringValue.flatMap(RekorEncoding.unbase64),
              let set = json["signedEntryTimestamp"]?.stringValue.flatMap(RekorEncoding.unbase64),
              index >= 0, index.rounded() == index, time.rounded() == time
        else { return nil }
        return Record(logIndex: Int(index), kind: kind, apiVersion: version, body: body, integratedTime: Int64(time), signedEntryTimestamp: set)
    }

    // MARK: - POSIX

    private func cutTornTail(to length: Int) throws(RekorError) {
        guard truncate(entriesURL.path, off_t(length)) == 0 else {
            throw RekorError(.storage, "cannot cut the torn last line of \(entriesURL.path): \(String(cString: strerror(errno)))")
        }
    }

    /// write(2) every byte, then fsync(2) the file and, when it was created, its folder.
    static func durableWrite(_ bytes: [UInt8], to url: URL, append: Bool, mode: mode_t) throws(RekorError) {
        let existed = FileManager.default.fileExists(atPath: url.path)
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(url.path, flags, mode)
        guard fd >= 0 else { throw RekorError(.storage, "cannot open \(url.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw RekorError(.storage, "cannot write \(url.path): \(String(cString: strerror(errno)))") }
            written += result
        }
        guard fsync(fd) == 0 else { throw RekorError(.storage, "cannot fsync \(url.path): \(String(cString: strerror(errno)))") }
        if !existed { syncFolder(url.deletingLastPathComponent()) }
    }

    /// fsync(2) a folder so a newly created or renamed entry in it survives a crash.
    static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }
}
