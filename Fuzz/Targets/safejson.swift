import Foundation
import SafeJSON

// SafeJSON: `JSONValue.parse` at the default and a shallow depth limit; what parses must serialise
// and re-parse to the same value, and the compact form must be JSONEncoder's bytes exactly.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    _ = try? JSONValue.parse(data, maxDepth: 4)
    guard let value = try? JSONValue.parse(data) else { return 0 }
    _ = value.briefDescription
    _ = value.stringMap
    _ = value.integer()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    if let theirs = try? encoder.encode(value) {
        precondition((try? value.serialized()) == theirs, "CompactJSONWriter differs from JSONEncoder")
    }
    for pretty in [false, true] {
        guard let out = try? value.serialized(pretty: pretty) else { continue }
        // Whatever we accepted we can write; what we wrote we can read back, unchanged.
        guard let again = try? JSONValue.parse(out, maxDepth: 1000) else {
            fatalError("serialized output does not parse: \(String(decoding: out, as: UTF8.self).prefix(200))")
        }
        precondition(again == value, "round trip changed the value")
    }
    return 0
}
