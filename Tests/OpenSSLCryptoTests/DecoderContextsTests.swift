import Foundation
import Synchronization
@testable import OpenSSLCrypto
import Testing

/// Certificates are parsed in library contexts lent one thread at a time, with the same verdicts.
@Suite struct DecoderContextsTests {
    @Test func nestedBorrowersGetDistinctContexts() throws {
        let (first, second) = DecoderContexts.withContext { outer in
            (outer, DecoderContexts.withContext { inner in inner })
        }
        #expect(first != nil && second != nil)
        #expect(first != second)
    }

    @Test func certificatesParsedOnManyThreadsAtOnceGiveTheSameKeyAndChainVerdict() throws {
        let (leaf, intermediate, root, _, time) = try CertificateTests.material()
        let expectedKey = try leaf.publicKey().spkiDER
        let results = Mutex<[Bool]>([])
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            let same = (try? Certificate(der: leaf.derBytes)).map { parsed in
                (try? parsed.publicKey().spkiDER) == expectedKey && parsed.isSigned(by: intermediate)
                    && (try? X509ChainVerifier.verify(leaf: parsed, intermediates: [intermediate], roots: [root], at: time)) != nil
            }
            results.withLock { $0.append(same == true) }
        }
        #expect(results.withLock { $0 } == Array(repeating: true, count: 64))
    }
}
