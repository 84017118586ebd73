import Foundation
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing

/// `mediaType` must be exactly one of the four Sigstore bundle media types, byte for byte.
@Suite struct MediaTypeTests {
    static let known: [(String, SigstoreBundle.Version)] = [
        ("application/vnd.dev.sigstore.bundle+json;version=0.1", .v0_1),
        ("application/vnd.dev.sigstore.bundle+json;version=0.2", .v0_2),
        ("application/vnd.dev.sigstore.bundle+json;version=0.3", .v0_3),
        ("application/vnd.dev.sigstore.bundle.v0.3+json", .v0_3),
    ]

    static func decode(_ mediaType: String) throws -> SigstoreBundle {
        let bundle = JSONMutation.apply(try Vectors.json(MutationTests.dsseBundle), at: [.key("mediaType")], Attack.setting(.string(mediaType)))
        return try SigstoreBundle(json: JSONField(bundle))
    }

    @Test func knownMediaTypesDecode() throws {
        for (mediaType, version) in Self.known { #expect(try Self.decode(mediaType).version == version, "\(mediaType)") }
    }

    /// Attack: junk after (or inside) a known value, unknown versions, and look-alikes that Swift's
    /// canonical-equivalence string comparison treats as equal (U+037E GREEK QUESTION MARK ≡ ";").
    @Test(arguments: [
        "application/vnd.dev.sigstore.bundle.v0.3+json-junk",
        "application/vnd.dev.sigstore.bundle+json;version=0.3junk",
        "application/vnd.dev.sigstore.bundle+json;version=0.3 ",
        "application/vnd.dev.sigstore.bundle.v0.1+json",
        "application/vnd.dev.sigstore.bundle.v0.2+json",
        "application/vnd.dev.sigstore.bundle+json\u{037E}version=0.3",
        "application/vnd.dev.sigstore.bundle+json\u{037E}version=0.1",
        "Application/vnd.dev.sigstore.bundle.v0.3+json",
        "",
    ])
    func otherMediaTypesAreRefused(_ mediaType: String) throws {
        let error = #expect(throws: SigstoreModelError.self) { _ = try Self.decode(mediaType) }
        #expect(error?.description.contains("mediaType") == true, "\(error.map(String.init(describing:)) ?? "accepted")")
    }
}
