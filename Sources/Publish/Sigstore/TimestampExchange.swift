import Crypto
import Foundation
public import CodedError

/// RFC 3161 as sigstore clients use it: a `TimeStampReq` over SHA-256 of the signature bytes (with a
/// nonce, asking for the TSA certificate), posted to `<tsa>/api/v1/timestamp`; the granted
/// `TimeStampResp` DER goes verbatim into the bundle's `rfc3161Timestamps[].signedTimestamp`.
public enum TimestampExchange {
    /// `TimeStampReq { version 1, messageImprint { sha256, SHA-256(signature) }, nonce, certReq TRUE }` as DER.
    public static func request(signature: [UInt8], nonce: UInt64 = UInt64.random(in: 1...UInt64(Int64.max))) -> [UInt8] {
        let sha256 = DER.tlv(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01])
        let imprint = DER.tlv(0x30, DER.tlv(0x30, sha256 + [0x05, 0x00]) + DER.tlv(0x04, Array(SHA256.hash(data: signature))))
        return DER.tlv(0x30, DER.tlv(0x02, [0x01]) + imprint + DER.tlv(0x02, DER.unsignedInteger(nonce)) + [0x01, 0x01, 0xFF])
    }

    /// Fails unless `response` is a DER `TimeStampResp` whose status is granted (0) or grantedWithMods (1) and that carries a token.
    public static func checkGranted(_ response: [UInt8], url: String) throws(PublishError) {
        guard let outer = DER.children(of: response[...]), outer.count == 2, let status = DER.children(of: outer[0]),
              let code = status.first, code.count == 3, code.first == 0x02, code[code.startIndex + 1] == 0x01,
              code.last! <= 1 else {
            throw PublishError(.timestamp, "POST \(url): expected a granted DER TimeStampResp with a token (\(response.count) bytes received)")
        }
    }
}

/// Just enough DER for the timestamp request and a structural look at the response.
enum DER {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let n = content.count
        let length: [UInt8] = n < 0x80 ? [UInt8(n)] : n < 0x100 ? [0x81, UInt8(n)] : [0x82, UInt8(n >> 8), UInt8(n & 0xFF)]
        return [tag] + length + content
    }

    /// A positive INTEGER's content octets (minimal, with a 0x00 sign octet when needed).
    static func unsignedInteger(_ value: UInt64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: value.bigEndian, Array.init).drop { $0 == 0 }
        if bytes.isEmpty { bytes = [0] }
        return (bytes.first! & 0x80 != 0 ? [0] : []) + bytes
    }

    /// The encodings of the children of a constructed node (short or long form lengths up to 4 octets).
    static func children(of node: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        guard let (_, content) = split(node), node.first.map({ $0 & 0x20 != 0 }) == true else { return nil }
        var rest = content, out: [ArraySlice<UInt8>] = []
        while !rest.isEmpty {
            guard let (whole, _) = split(rest) else { return nil }
            out.append(whole)
            rest = rest[whole.endIndex...]
        }
        return out
    }

    /// (whole first TLV, its content) of `bytes`.
    private static func split(_ bytes: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        var i = bytes.startIndex
        guard bytes.count >= 2 else { return nil }
        i += 1
        var length = Int(bytes[i]); i += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard (1...4).contains(count), bytes.endIndex - i >= count else { return nil }
            length = bytes[i..<i + count].reduce(0) { $0 << 8 | Int($1) }
            i += count
        }
        guard bytes.endIndex - i >= length else { return nil }
        return (bytes[bytes.startIndex..<i + length], bytes[i..<i + length])
    }
}
