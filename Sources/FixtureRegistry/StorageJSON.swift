import Foundation

/// How the registry's own bookkeeping files (keys, tokens) are written: ISO 8601 dates,
/// sorted keys, readable by a person who opens the storage folder.
enum StorageJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
