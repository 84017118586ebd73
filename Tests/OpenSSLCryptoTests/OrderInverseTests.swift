@testable import OpenSSLCrypto
import Testing

/// The divstep inverse that prepared keys use (OrderInverse.c) answers every value OpenSSL's
/// `BN_mod_inverse` answers, with the same number, and nothing else.
@Suite struct OrderInverseTests {
    static let p256Order = RepeatedKeyVerifierTests.Curve.p256.order

    /// Edge values (1, 2, n-1, n-2, powers of two, all ones) and random ones below `order`.
    static func values(below order: [UInt8], random count: Int) -> [[UInt8]] {
        let width = order.count
        let one = [UInt8](repeating: 0, count: width - 1) + [1]
        var values = [one, [UInt8](repeating: 0, count: width - 1) + [2],
                      RepeatedKeyVerifierTests.minus(order, one),
                      RepeatedKeyVerifierTests.minus(RepeatedKeyVerifierTests.minus(order, one), one)]
        for bit in 0..<(8 * width - 1) {
            var power = [UInt8](repeating: 0, count: width)
            power[width - 1 - bit / 8] = 1 << (bit % 8)
            values.append(power)
        }
        values.append([UInt8](repeating: 0xFF, count: width - 1))
        var generator = SystemRandomNumberGenerator()
        while values.count < count + 8 * width + 3 {
            var value = (0..<width).map { _ in UInt8.random(in: 0...255, using: &generator) }
            value[0] &= order[0]
            if value.lexicographicallyPrecedes(order), value.contains(where: { $0 != 0 }) { values.append(value) }
        }
        return values
    }

    @Test(arguments: [("P-256", Self.p256Order), ("P-384", RepeatedKeyVerifierTests.order)])
    func theDivstepInverseIsOpenSSLsForEveryValueBelowTheOrder(_ curve: String, _ order: [UInt8]) {
        var disagreements = 0
        for value in Self.values(below: order, random: 3000) {
            let (divsteps, openSSL) = OrderInverse.inverses(of: value, modulo: order)
            // The orders are prime: every value has an inverse, and the divstep code must find it itself.
            if divsteps == nil || divsteps != openSSL { disagreements += 1 }
        }
        #expect(disagreements == 0, "\(curve)")
    }

    @Test func noAnswerForZeroTheModulusOrAValueSharingAFactorWithIt() {
        let order = Self.p256Order
        #expect(OrderInverse.inverses(of: [0], modulo: order).divsteps == nil)
        #expect(OrderInverse.inverses(of: order, modulo: order).divsteps == nil)
        #expect(OrderInverse.inverses(of: RepeatedKeyVerifierTests.plus(order, [UInt8](repeating: 0, count: 31) + [1]), modulo: order).divsteps == nil)
        // 3 * 5 * 7 * 11 * 13 = 15015: only values coprime to it have inverses.
        let modulus: [UInt8] = [0x3A, 0xA7]
        for value in 1..<15015 {
            let (divsteps, openSSL) = OrderInverse.inverses(of: [UInt8(value >> 8), UInt8(value & 0xFF)], modulo: modulus)
            #expect(divsteps == openSSL, "\(value)")
        }
    }

    @Test func aModulusBeyondItsBoundsOrEvenIsNotPrepared() {
        // P-521's order has 521 bits, above the 400 the bounds cover; an even modulus has no divsteps.
        let p521Order = RepeatedKeyVerifierTests.hex("01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409")
        #expect(OrderInverse.inverses(of: [3], modulo: p521Order) == (nil, OrderInverse.inverses(of: [3], modulo: p521Order).openSSL))
        #expect(OrderInverse.inverses(of: [3], modulo: [0x10, 0x00]).divsteps == nil)
    }
}
