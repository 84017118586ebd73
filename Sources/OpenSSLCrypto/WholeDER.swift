/// Runs one OpenSSL `d2i_*` parser over `der` and keeps the object only when the parser read every
/// byte: a failed parse is nil, and an object followed by trailing bytes is freed with `free` and
/// is nil too, so no caller accepts a DER value with something appended.
func parseWholeDER(_ der: [UInt8], _ parse: (UnsafeMutablePointer<UnsafePointer<UInt8>?>, Int) -> OpaquePointer?,
                   free: (OpaquePointer) -> Void) -> OpaquePointer? {
    der.withUnsafeBufferPointer { buffer in
        var cursor = buffer.baseAddress
        guard let object = parse(&cursor, buffer.count) else { return nil }
        guard cursor == buffer.baseAddress.map({ $0 + buffer.count }) else { free(object); return nil }
        return object
    }
}
