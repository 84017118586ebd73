import FixtureTesting
import Foundation
import SafeJSON

/// Locates `../shared/vectors/` beside the repository (never copied into it).
enum Vectors {
    static let root: URL = Repository.vectors

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func data(_ relative: String) throws -> Data { try Data(contentsOf: url(relative)) }

    static func json(_ relative: String) throws -> JSONValue { try JSONValue.parse(try data(relative), maxDepth: 64) }

    static let publicGoodRoot = "public-good/trusted_root.json"
    static let productionRoot = "public-good/trusted_root.sigstore-python-embedded.json"
}
