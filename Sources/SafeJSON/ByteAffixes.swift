/// Prefix and suffix tests on UTF-8 bytes, as JavaScript's `startsWith` and `endsWith` compare
/// code units. `String.hasPrefix` compares Characters: a combining mark after an ASCII delimiter
/// (`link:\u{301}x`) or a Prepend scalar before one (`x\u{600}.tgz`) merges with it, so the test
/// answers otherwise than the package manager that reads the same text.
extension StringProtocol {
    /// Whether the UTF-8 bytes start with `prefix`'s.
    public func hasBytePrefix(_ prefix: some StringProtocol) -> Bool { utf8.starts(with: prefix.utf8) }

    /// Whether the UTF-8 bytes end with `suffix`'s.
    public func hasByteSuffix(_ suffix: some StringProtocol) -> Bool { utf8.reversed().starts(with: suffix.utf8.reversed()) }
}

extension StringProtocol {
    /// The text after `prefix`'s bytes (call only when ``hasBytePrefix(_:)`` holds): removing
    /// Characters instead would take a combining mark that follows the prefix with it.
    public func droppingBytePrefix(_ prefix: some StringProtocol) -> String {
        String(decoding: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    /// The text before `suffix`'s bytes (call only when ``hasByteSuffix(_:)`` holds).
    public func droppingByteSuffix(_ suffix: some StringProtocol) -> String {
        String(decoding: utf8.dropLast(suffix.utf8.count), as: UTF8.self)
    }
}
