// A stand-in for the three swift-crypto hash functions FixtureRegistry's publish-body parser uses
// (TarballDigest, PublishRequest.check), over OpenSSL, so that the parser can be fuzzed without
// compiling Hummingbird/swift-crypto with the sanitizers. Built as the module `Crypto` only for
// the `publish` fuzz target; the package itself always uses swift-crypto.
import Foundation
import OpenSSLCrypto

public enum SHA512 {
    public static func hash(data: Data) -> [UInt8] { Digest.hash(.sha512, data) }
}

public enum SHA256 {
    public static func hash(data: Data) -> [UInt8] { Digest.hash(.sha256, data) }
}

public enum Insecure {
    public enum SHA1 {
        public static func hash(data: Data) -> [UInt8] { Digest.hash(.sha1, data) }
    }
}
