import Crypto
public import Foundation
import SwiftASN1
public import X509

/// The fixture world's TLS certificate authority: its PEM goes into `NODE_EXTRA_CA_CERTS`
/// (read by Node only at process start, PROTOCOLS §8.7), and it issues the server
/// certificates the CONNECT proxy presents for `tuf-repo-cdn.sigstore.dev` and any other
/// intercepted host (e.g. `fulcio.sigstore.dev`, `rekor.sigstore.dev`).
public struct TLSAuthority: Sendable {
    public let certificate: Certificate
    private let key: P256.Signing.PrivateKey

    /// A fresh self-signed P-256 CA valid from an hour before `now` for `validity`.
    public static func generate(now: Date, validity: TimeInterval = 10 * 365 * 86_400,
                                commonName: String = "mochi fixture TLS CA") throws -> TLSAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("mochi fixture world")
            CommonName(commonName)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(validity),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return TLSAuthority(certificate: certificate, key: key)
    }

    private init(certificate: Certificate, key: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.key = key
    }

    /// Loads a CA saved with `save(to:)`; the key must match the certificate.
    public init(certificatePEM: String, keyPEM: String) throws {
        do {
            certificate = try Certificate(pemEncoded: certificatePEM)
            key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        } catch {
            throw TUFError.tls("expected a PEM CA certificate and a P-256 private key PEM, could not parse them: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw TUFError.tls("the CA private key does not match the CA certificate \(certificate.subject)")
        }
    }

    /// The CA certificate as PEM, the content of the `NODE_EXTRA_CA_CERTS` file.
    public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString).map { $0 + "\n" } ?? "" }
    public var keyPEM: String { key.pemRepresentation + "\n" }

    // MARK: - Files

    /// Writes `ca.pem` and `ca-key.pem` (0600) into `directory`; returns the `ca.pem` URL.
    @discardableResult
    public func save(to directory: URL) throws -> URL {
        let certFile = directory.appendingPathComponent("ca.pem"), keyFile = directory.appendingPathComponent("ca-key.pem")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(certificatePEM.utf8).write(to: certFile, options: .atomic)
            try Data(keyPEM.utf8).write(to: keyFile, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        } catch {
            throw TUFError.io(path: directory.path, reason: "could not write the TLS CA: \(error)")
        }
        return certFile
    }

    /// Loads `ca.pem`/`ca-key.pem` from `directory` if present, else generates and saves a new CA.
    public static func loadOrCreate(at directory: URL, now: Date) throws -> TLSAuthority {
        let certFile = directory.appendingPathComponent("ca.pem"), keyFile = directory.appendingPathComponent("ca-key.pem")
        if let cert = FileManager.default.contents(atPath: certFile.path),
           let keyData = FileManager.default.contents(atPath: keyFile.path) {
            return try TLSAuthority(certificatePEM: String(decoding: cert, as: UTF8.self), keyPEM: String(decoding: keyData, as: UTF8.self))
        }
        let authority = try generate(now: now)
        try authority.save(to: directory)
        return authority
    }

    // MARK: - Issuing

    /// A P-256 server certificate for `hostnames` (every name a `DNS:` SAN, EKU serverAuth),
    /// valid from an hour before `now` for `validity` (capped by the CA's own expiry).
    public func issueServerIdentity(for hostnames: [String], now: Date,
                                    validity: TimeInterval = 365 * 86_400) throws -> TLSServerIdentity {
        guard let first = hostnames.first else { throw TUFError.tls("expected at least one hostname for a server certificate") }
        let leafKey = P256.Signing.PrivateKey()
        let notAfter = min(now.addingTimeInterval(validity), certificate.notValidAfter)
        let issuerKeyID = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let leaf = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(leafKey.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: notAfter,
            issuer: certificate.subject, subject: try DistinguishedName { CommonName(first) },
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(hostnames.map { GeneralName.dnsName($0) })
                AuthorityKeyIdentifier(keyIdentifier: issuerKeyID)
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return TLSServerIdentity(hostnames: hostnames, certificate: leaf, issuer: certificate, privateKey: leafKey)
    }
}

/// A server certificate, its CA and its private key, ready for a TLS server (`NIOSSL`).
public struct TLSServerIdentity: Sendable {
    public let hostnames: [String]
    public let certificate: Certificate
    public let issuer: Certificate
    let privateKey: P256.Signing.PrivateKey

    /// DER of the leaf then the CA (the chain a server sends).
    public func chainDER() throws -> [[UInt8]] {
        try [certificate, issuer].map { cert in
            var serializer = DER.Serializer()
            try serializer.serialize(cert)
            return serializer.serializedBytes
        }
    }

    /// The private key as PKCS#8 PEM.
    public var privateKeyPEM: String { privateKey.pemRepresentation }
}
