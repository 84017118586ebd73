import Foundation

/// PEM blocks (`-----BEGIN X-----` … `-----END X-----`) to DER and back.
enum PEM {
    /// The DER bytes of every block labelled `label`, in order.
    static func decode(_ text: String, label: String = "CERTIFICATE") -> [[UInt8]] {
        var blocks: [[UInt8]] = []
        var body: String?
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line == "-----BEGIN \(label)-----" { body = "" } else if line == "-----END \(label)-----" {
                if let b = body, let der = Data(base64Encoded: b) { blocks.append(Array(der)) }
                body = nil
            } else if body != nil {
                body! += line
            }
        }
        return blocks
    }

    /// One block with 64-character lines and a final newline.
    static func encode(_ der: [UInt8], label: String = "CERTIFICATE") -> String {
        let b64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(b64)\n-----END \(label)-----\n"
    }
}
