internal import COpenSSL
internal import COpenSSLShims

/// Memory BIOs for PEM parsing; the BIO lives only inside the closure.
enum BIOReader {
    static func withMemoryBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else {
                throw OpenSSLError("BIO_new_mem_buf")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        }
    }
}

/// Frees memory that OpenSSL allocated for us (`OPENSSL_free` is a macro).
func shim_free(_ pointer: UnsafeMutableRawPointer?) { shim_OPENSSL_free(pointer) }
