extension UnpackSession {
    /// pacote's file mode: `((mode | 0o666) & ~umask 0o022) | 0o600`, plus exec bits for package bins.
    /// Unlike npm, setuid, setgid and sticky bits are never kept.
    static func npmFileMode(_ permissions: UInt32, isBin: Bool) -> UInt32 {
        (((permissions & 0o777) | 0o666) & ~0o022) | 0o600 | (isBin ? 0o111 : 0)
    }
}
