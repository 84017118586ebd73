internal import COpenSSL
internal import COpenSSLShims

/// Inverses modulo a curve's order as prepared keys compute them (OrderInverse.c), beside
/// OpenSSL's `BN_mod_inverse`, so tests can hold the one to the other.
enum OrderInverse {
    /// value^-1 mod `modulus` (big-endian bytes) from the divstep code, or nil when it gives no
    /// answer; and from `BN_mod_inverse`, or nil when there is none.
    static func inverses(of value: [UInt8], modulo modulus: [UInt8]) -> (divsteps: [UInt8]?, openSSL: [UInt8]?) {
        let context = BN_CTX_new()
        let (m, x, result) = (BN_bin2bn(modulus, Int32(modulus.count), nil), BN_bin2bn(value, Int32(value.count), nil), BN_new())
        defer { BN_free(m); BN_free(x); BN_free(result); BN_CTX_free(context); ERR_clear_error() }
        guard let m, let x, let result else { return (nil, nil) }
        let prepared = shim_order_inverse_new(m)
        defer { shim_order_inverse_free(prepared) }
        let divsteps = prepared != nil && shim_order_inverse_compute(result, x, prepared, context) == 1 ? bytes(result) : nil
        let openSSL = BN_mod_inverse(result, x, m, context) != nil ? bytes(result) : nil
        return (divsteps, openSSL)
    }

    private static func bytes(_ number: OpaquePointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int((BN_num_bits(number) + 7) / 8))
        _ = BN_bn2bin(number, &out)
        return out
    }
}
