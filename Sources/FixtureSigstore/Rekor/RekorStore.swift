import Crypto
import Foundation
import SafeJSON

/// The log's ``LogFolder``: `rekor-signing-key.pem` (PKCS#8, mode 0600) and `entries.jsonl`, an
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

    let folder: LogFolder
    var keyURL: URL { folder.keyURL }
    var entriesURL: URL { folder.entriesURL }

    init(directory: URL) throws(RekorError) {
        folder = try LogFolder(directory, name: "log", keyFile: "rekor-signing-key.pem", entriesFile: "entries.jsonl")
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
        try folder.storeKey(Array(key.pemRepresentation.utf8))
        return key
    }

    // MARK: - Entries

    /// Every complete record in order; a torn last line is truncated away.
    func loadRecords() throws(RekorError) -> [Record] {
        var records: [Record] = []
        for (number, line) in try folder.completeLines().enumerated() {
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
        try folder.appendLine(Self.encode(record))
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
}
