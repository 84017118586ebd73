import Hex

/// Small byte/text encodings the client needs: hex, and the percent-encoding python-tuf uses
/// for role names in URLs and file names (`urllib.parse.quote(name, safe="")`).
public enum TUFEncoding {
    /// Lower-case hex of `bytes`.
    public static func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }

    /// Decodes hex (either case); nil for odd length or a non-hex character.
    public static func unhex(_ text: String) -> [UInt8]? { Hex.decode(text) }

    /// Percent-encodes everything but ASCII letters, digits and `_.-~`: safe as one URL path
    /// segment and as one file name (a role named `../x` becomes `..%2Fx`).
    public static func component(_ text: String) -> String {
        encode(text) { isUnreserved($0) }
    }

    /// Percent-encodes a target path for a URL, keeping `/` and the RFC 3986 path characters;
    /// `.` and `..` segments are encoded too, so a target path cannot climb out of the base URL.
    public static func path(_ text: String) -> String {
        text.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            if segment == "." || segment == ".." { return String(repeating: "%2E", count: segment.count) }
            return encode(String(segment)) { isUnreserved($0) || Array("!$&'()*+,;=:@".utf8).contains($0) }
        }.joined(separator: "/")
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "-"), UInt8(ascii: "~"): true
        default: false
        }
    }

    private static func encode(_ text: String, keep: (UInt8) -> Bool) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for b in text.utf8 {
            if keep(b) { out.append(b) } else {
                out += [UInt8(ascii: "%"), digits[Int(b >> 4)], digits[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
