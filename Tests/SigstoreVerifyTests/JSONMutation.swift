import Foundation
import SafeJSON

/// Edits one value of a JSON tree, for mutation tests built from good vectors.
enum JSONMutation {
    enum Step: Sendable { case key(String), index(Int) }

    /// Replaces the value at `path` with `transform(old)`.
    static func apply(_ value: JSONValue, at path: [Step], _ transform: @Sendable (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = path.first else { return transform(value) }
        let rest = Array(path.dropFirst())
        switch (first, value) {
        case (.key(let key), .object(var object)):
            object[key] = apply(object[key] ?? .null, at: rest, transform)
            return .object(object)
        case (.index(let index), .array(var array)) where array.indices.contains(index):
            array[index] = apply(array[index], at: rest, transform)
            return .array(array)
        default:
            fatalError("mutation path does not exist in the vector")
        }
    }

    /// Flips the low bit of byte `index` (negative counts from the end) of a base64 string value.
    static func flipBase64Byte(_ index: Int) -> @Sendable (JSONValue) -> JSONValue {
        { value in
            guard let text = value.stringValue, var bytes = Data(base64Encoded: text).map({ [UInt8]($0) }), !bytes.isEmpty else {
                fatalError("expected a base64 string")
            }
            let at = index >= 0 ? index : bytes.count + index
            bytes[at] ^= 0x01
            return .string(Data(bytes).base64EncodedString())
        }
    }

    /// Adds `delta` to an int64 field (string or number form).
    static func addToInteger(_ delta: Int64) -> @Sendable (JSONValue) -> JSONValue {
        { value in
            let current = value.stringValue.flatMap { Int64($0) } ?? Int64(value.numberValue ?? 0)
            return .string(String(current + delta))
        }
    }

    /// Edits a plain string value.
    static func editString(_ edit: @escaping @Sendable (String) -> String) -> @Sendable (JSONValue) -> JSONValue {
        { value in .string(edit(value.stringValue ?? "")) }
    }
}
