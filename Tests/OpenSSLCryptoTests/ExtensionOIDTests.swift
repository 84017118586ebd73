import FixtureTesting
import Foundation
import OpenSSLCrypto
import Testing

/// Extension OIDs are read as `OBJ_obj2txt` prints them: the in-Swift decoding of ordinary arcs
/// and OpenSSL's own for arcs of 2^56 and more must give the same dotted text.
@Suite struct ExtensionOIDTests {
    static let oids = [
        "1.3.6.1.4.1.57264.1.8", "2.5.29.17", "0.9.2342.19200300.100.1.1", "2.999.3", "1.2.0",
        "1.2.72057594037927935", "1.2.72057594037927936", "2.25.329800735698586629295641978511506172918",
    ]

    @Test func dottedTextMatchesOpenSSLForShortAndHugeArcs() async throws {
        let openssl = try #require(ProcessRunner.which("openssl"))
        let folder = try Scratch.folder("oids")
        defer { Scratch.remove(folder) }
        let der = folder.appendingPathComponent("cert.der")
        let extensions = Self.oids.filter { $0 != "2.5.29.17" }.flatMap { ["-addext", "\($0)=ASN1:UTF8String:v"] }
        let result = try await ProcessRunner.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", folder.appendingPathComponent("key.pem").path,
            "-subj", "/CN=oids", "-days", "1", "-addext", "subjectAltName=DNS:example.com", "-outform", "DER", "-out", der.path,
        ] + extensions)
        #expect(result.status == 0, "\(result.stderr)")
        let certificate = try Certificate(der: [UInt8](Data(contentsOf: der)))
        let found = Set(certificate.extensions.map(\.oid))
        for oid in Self.oids { #expect(found.contains(oid), "\(oid) not among \(found.sorted())") }
        #expect(certificate.extensionValue(oid: "2.999.3") == [0x0C, 0x01, 0x76])
    }
}
