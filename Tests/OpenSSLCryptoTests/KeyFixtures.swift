import Foundation
import OpenSSLCrypto
import Testing

/// Test-only keys and signatures over "hello sigstore", generated once with the openssl CLI for these tests.
enum KeyFixtures {
    static let message = Array("hello sigstore".utf8)
    static let edRaw = "Gaf+xi3Vi57rTwcWcqCAJldsS1m+J6m8TMsqDH5HpDk="
    static let edSig = "iRIvxBWWA+N0wINWy69mbGqudR8fyMREyN7uRGIKh2skXF1fHhIGIGjgNPvTTI0rYiPpF+nCTWh7znpGpAhPCg=="
    static let rsaSig = "VpG14cwNXGLVi/iia4yPE5JxYyDdeT9ZSZ7PljywPiCnrqyiTrxHQpno1F4n2eqM+7VnJbpenzWGmby9Kw884lDNaUPoqhia0z1usGNpa/Uc6y/JhelY/YK/hdgA1Ssn3YymkoUeIg32TEDQA945Z07I6Uwl1qLzfbGmwDN4DI86a9FzwUYjNVtuTPosUZYjja92NuR+5VyIHtca2nwzW95z/cNrSSTQQQeoCufVofw8ou7qTCZ99ckY+xbthsqOQZ1H3/fF+n+Up1c9/MrGaNqZa4dJRFsqK/Q0m1OfFuzgCij1dPgABjlGya7y8+Tl2yx0ajFjtfBKtd4rXGbABw=="
    static let rsaPSSSig = "RvXJB7fmwYOyhJkrxbt79j/4Zat3E4carQ39U+vLpLbIG3LyaC/YUhkOsnhDxnBZ0P7aESFa8lUvQsjGr3Rqtel+V2lZajih7p7htaoznGjlYSgwcql6Gb4PzUPYOUBfA0I33RFfR6drH8ISaXHrsGWtBI5HEwczasAnC5BDCvTUccJAv4Bn5WsNSrq2KbgPMEghLcpqSM0vYOYngWad/8eq3GerSi9l+6ZWCFq/jqRMp+2Sklck8qQaWHwkX2AkSQwcdXhFc+xLjLg81B3NBd9MQGuUsURy0ULmGXg16gKh+QUgiEL2sdOVONFkQiE9wnz7pHVzjk/Nqo+VlO6tnA=="
    static let rsaPKCS1 = "MIIBCgKCAQEAtFhlb8AHQ8HUvVFrroAibjs/s2Z8fVHlbwNAm2U81XF3Nd7emsPd4jWBXBOxFrLKt0ejcbOdd7fabCIfFcyGfUPEh4qaDgFIJUy06urNaD2W/yMDlTyWhQ4Qmps+BkHREBQGVUf08m8VT+gXfVkhea8VLilhkfsYUgYD4y+FognfCEgMY0ka+Ij+DPi8R0z2brEzaLyayZ3SItL45T1nooXRUI+cnj+CLC3wX0X8jxtO4sNXJh2zgLFAwi+5Zjhwe8NnI5JRm3donN7LVXOjx0GzpxfXh+Y8ynk5/eIJYmo69oQzKByFkKArxoLur7j/pkZUgKkFUc9R5zoxHqlAUwIDAQAB"
    static let ecSPKI = "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEo3leMYajeN/bzdwN+E2wPEn0APfE7VPcxWTYTBh+kcUgEBSJ1A3KQOWsf8Svrj6TReLaLNCrU34bGYxj2RtPCsgkU3YbjV3botgNHINKTFMwWJJYRKZrbjYt3u3mcoO5"
    static let ecSig = "MGUCMFFrAi7y/omxbT6inokgkvphDE0ILfP1N6hIGIsZi05ir6yH7SJyEpZFKe04hLOo6gIxAPOhpuBs2Bqd60Rwb5s/KsO+ZcozSAeP5wUje9imDtTu/pGRBLu0CAb1c9iQRKgFbQ=="
    static let rsaPEM = """
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAtFhlb8AHQ8HUvVFrroAi
bjs/s2Z8fVHlbwNAm2U81XF3Nd7emsPd4jWBXBOxFrLKt0ejcbOdd7fabCIfFcyG
fUPEh4qaDgFIJUy06urNaD2W/yMDlTyWhQ4Qmps+BkHREBQGVUf08m8VT+gXfVkh
ea8VLilhkfsYUgYD4y+FognfCEgMY0ka+Ij+DPi8R0z2brEzaLyayZ3SItL45T1n
ooXRUI+cnj+CLC3wX0X8jxtO4sNXJh2zgLFAwi+5Zjhwe8NnI5JRm3donN7LVXOj
x0GzpxfXh+Y8ynk5/eIJYmo69oQzKByFkKArxoLur7j/pkZUgKkFUc9R5zoxHqlA
UwIDAQAB
-----END PUBLIC KEY-----
"""

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64) ?? Data()) }
}
