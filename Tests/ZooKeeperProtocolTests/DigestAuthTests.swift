import Testing
import ZooKeeperProtocol

/// The digest scheme's ids (`DigestAuthenticationProvider.generateDigest`), SHA-1 and base64.
struct DigestAuthTests {
    /// The value kazoo's test harness uses for `super:test`.
    @Test func superTestDigest() {
        #expect(DigestAuth.digestId("super:test") == "super:D/InIHSb7yEEbrWz8b9l71RjZJU=")
    }

    @Test(arguments: [
        ("bob:secret", "bob:fyVmFCwVbTJYrznoSu1koqYEYF0="),
        // Only the first colon splits; the whole string is hashed.
        ("u:p:w", "u:73ZGnbNm7qd5vKTf9th3HSbNbio="),
        // No colon: the whole string is the user, as Java's split(":", 2)[0].
        ("nocolon", "nocolon:Ra+cHr2ZoHvBjtNArFGNGlVie4g="),
    ])
    func digestIds(credentials: String, id: String) {
        #expect(DigestAuth.digestId(credentials) == id)
    }

    @Test func emptyUser() {
        #expect(DigestAuth.digestId(":x").hasPrefix(":"))
        #expect(DigestAuth.digestId(":x").count == 1 + 28)
    }
}

struct SHA1Tests {
    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }

    /// FIPS 180-2 appendix A and the NIST example vectors.
    @Test(arguments: [
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        (
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "a49b2446a02c645bf419f995b67091253a04a259"
        ),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func fipsVectors(message: String, digest: String) {
        #expect(Self.hex(SHA1.hash(Array(message.utf8))) == digest)
    }

    /// Lengths around the 55/56/64-byte padding boundaries.
    @Test(arguments: [
        (55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"),
        (56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"),
        (63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"),
        (64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"),
        (119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56"),
    ])
    func paddingBoundaries(count: Int, digest: String) {
        #expect(Self.hex(SHA1.hash([UInt8](repeating: 0x61, count: count))) == digest)
    }

    @Test func millionAs() {
        let digest = SHA1.hash([UInt8](repeating: 0x61, count: 1_000_000))
        #expect(Self.hex(digest) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}

struct Base64Tests {
    /// RFC 4648 §10, plus the two characters that differ from the URL alphabet.
    @Test(arguments: [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648(input: String, output: String) {
        #expect(DigestAuth.base64(Array(input.utf8)) == output)
    }

    @Test func alphabetEnds() {
        #expect(DigestAuth.base64([0xFB, 0xFF]) == "+/8=")
        #expect(DigestAuth.base64([0xFF, 0xFF, 0xFF]) == "////")
        #expect(DigestAuth.base64([0, 0, 0]) == "AAAA")
        #expect(DigestAuth.base64([0]) == "AA==")
    }

    @Test func twentyByteDigestIs28CharactersWithOnePad() {
        let encoded = DigestAuth.base64(SHA1.hash([]))
        #expect(encoded.count == 28)
        #expect(encoded.hasSuffix("=") && !encoded.hasSuffix("=="))
    }
}
