internal import COpenSSL
internal import COpenSSLShims

/// The KeyUsage bits Sigstore checks.
public struct KeyUsage: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let digitalSignature = KeyUsage(rawValue: UInt32(KU_DIGITAL_SIGNATURE))
    public static let keyCertSign = KeyUsage(rawValue: UInt32(KU_KEY_CERT_SIGN))
    public static let crlSign = KeyUsage(rawValue: UInt32(KU_CRL_SIGN))
}

/// Well-known object identifiers.
public enum OID {
    public static let codeSigning = "1.3.6.1.5.5.7.3.3"
    public static let embeddedSCTList = "1.3.6.1.4.1.11129.2.4.2"
    public static let subjectAltName = "2.5.29.17"
}

// MARK: - Extensions

extension Certificate {
    /// One extension: dotted OID, criticality and the raw `extnValue` contents.
    public struct Extension: Sendable, Equatable {
        public let oid: String
        public let critical: Bool
        public let value: [UInt8]
    }

    /// Every extension in certificate order.
    public var extensions: [Extension] {
        var result: [Extension] = []
        let count = X509_get_ext_count(x509)
        guard count > 0 else { return [] }
        for index in 0..<count {
            guard let ext = X509_get_ext(x509, index), let object = X509_EXTENSION_get_object(ext),
                  let oid = Self.dottedText(object) else { continue }
            var value: [UInt8] = []
            if let data = X509_EXTENSION_get_data(ext), let bytes = ASN1_STRING_get0_data(data) {
                value = Array(UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(data))))
            }
            result.append(Extension(oid: oid, critical: X509_EXTENSION_get_critical(ext) == 1, value: value))
        }
        return result
    }

    /// `OBJ_obj2txt(…, no_name: 1)` of `object` when shorter than 128 bytes, else nil. The common
    /// case (every arc below 2^56) is decoded here from the DER content octets, which the parser
    /// has already checked to be minimal base-128; anything else goes through OpenSSL.
    static func dottedText(_ object: OpaquePointer) -> String? {
        if let bytes = OBJ_get0_data(object) {
            let octets = UnsafeBufferPointer(start: bytes, count: OBJ_length(object))
            var text: [UInt8] = [], arc: UInt64 = 0, first = true, fits = !octets.isEmpty, partial = false
            text.reserveCapacity(64)
            for octet in octets where fits {
                arc = arc << 7 | UInt64(octet & 0x7F)
                fits = arc < 1 << 56
                partial = octet & 0x80 != 0
                guard !partial else { continue }
                if first {
                    appendDecimal(arc < 80 ? arc / 40 : 2, to: &text)
                    text.append(0x2E)
                    appendDecimal(arc < 80 ? arc % 40 : arc - 80, to: &text)
                    first = false
                } else {
                    text.append(0x2E)
                    appendDecimal(arc, to: &text)
                }
                arc = 0
            }
            if fits, !partial, !first { return text.count < 128 ? String(decoding: text, as: UTF8.self) : nil }
        }
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        guard length > 0, Int(length) < buffer.count else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func appendDecimal(_ value: UInt64, to text: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &text) }
        text.append(0x30 + UInt8(value % 10))
    }

    /// The raw `extnValue` contents of the extension with `oid`, or nil when absent.
    public func extensionValue(oid: String) -> [UInt8]? {
        extensions.first { $0.oid == oid }?.value
    }

    /// KeyUsage bits, or nil when the certificate has no KeyUsage extension.
    public var keyUsage: KeyUsage? {
        let bits = X509_get_key_usage(x509)
        return bits == UInt32.max ? nil : KeyUsage(rawValue: bits)
    }

    /// ExtendedKeyUsage purposes as dotted OIDs (empty when absent).
    public var extendedKeyUsage: [String] {
        guard let raw = X509_get_ext_d2i(x509, NID_ext_key_usage, nil, nil) else { return [] }
        let eku = OpaquePointer(raw)
        defer { shim_EXTENDED_KEY_USAGE_free(eku) }
        var result: [String] = []
        for index in 0..<shim_sk_ASN1_OBJECT_num(eku) {
            guard let object = shim_sk_ASN1_OBJECT_value(eku, index) else { continue }
            var buffer = [CChar](repeating: 0, count: 128)
            let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
            guard length > 0, Int(length) < buffer.count else { continue }
            result.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return result
    }

    /// BasicConstraints CA:TRUE.
    public var isCertificateAuthority: Bool {
        X509_check_ca(x509) != 0 && (X509_get_extension_flags(x509) & UInt32(EXFLAG_CA)) != 0
    }

    // MARK: - Subject alternative names

    /// A subject alternative name of the kinds Sigstore identities use.
    public enum AlternativeName: Sendable, Equatable {
        case uri(String)
        case email(String)
        case dns(String)
        case other
    }

    /// Every SubjectAltName entry in order (empty when absent).
    public var subjectAlternativeNames: [AlternativeName] {
        guard let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, nil, nil) else { ERR_clear_error(); return [] }
        let names = OpaquePointer(raw)
        defer { shim_GENERAL_NAMES_free(names) }
        var result: [AlternativeName] = []
        for index in 0..<shim_sk_GENERAL_NAME_num(names) {
            guard let name = shim_sk_GENERAL_NAME_value(names, index) else { continue }
            var type: Int32 = 0
            guard let value = GENERAL_NAME_get0_value(name, &type) else { result.append(.other); continue }
            let text: () -> String = {
                let string = value.assumingMemoryBound(to: ASN1_STRING.self)
                guard let bytes = ASN1_STRING_get0_data(string) else { return "" }
                return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(ASN1_STRING_length(string))), as: UTF8.self)
            }
            switch type {
            case GEN_URI: result.append(.uri(text()))
            case GEN_EMAIL: result.append(.email(text()))
            case GEN_DNS: result.append(.dns(text()))
            default: result.append(.other)
            }
        }
        return result
    }
}
