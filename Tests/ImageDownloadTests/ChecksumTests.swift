import ImageDownload
import Testing

struct ChecksumTests {
    static let empty: [Checksum.Algorithm: String] = [
        .md5: "d41d8cd98f00b204e9800998ecf8427e",
        .sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        .sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        .sha384: "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b",
        .sha512:
            "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    ]

    @Test(arguments: Checksum.Algorithm.allCases)
    func parsesTheBracedForm(algorithm: Checksum.Algorithm) throws {
        let hex = try #require(Self.empty[algorithm])
        let parsed = try Checksum(parsing: "{\(algorithm.rawValue)}\(hex.uppercased())")
        #expect(parsed == Checksum(algorithm: algorithm, hex: hex))
        #expect(parsed.description == "{\(algorithm.rawValue)}\(hex)")
    }

    @Test func plainHexIsMD5AndCaseAndBlanksDoNotMatter() throws {
        #expect(try Checksum(parsing: " D41D8CD98F00B204E9800998ECF8427E\n").algorithm == .md5)
        #expect(try Checksum(parsing: "{sha-256}\(Self.empty[.sha256] ?? "")").algorithm == .sha256)
    }

    @Test(arguments: [
        "", "{SHA-256", "{SHA-224}d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", "{MD5}xyz",
        "d41d8cd98f00b204e9800998ecf8427", "{SHA-1}d41d8cd98f00b204e9800998ecf8427e",
        "{}d41d8cd98f00b204e9800998ecf8427e",
        "d41d8cd98f00b204e9800998ecf8427é",
    ])
    func refusesWhatItCannotRead(text: String) {
        let error = #expect(throws: DownloadError.self) { try Checksum(parsing: text) }
        #expect(error?.code == .invalidChecksum)
    }

    @Test(arguments: Checksum.Algorithm.allCases)
    func digestsMatchTheKnownValues(algorithm: Checksum.Algorithm) throws {
        let digest = algorithm.digest()
        #expect(digest.finish().hex == Self.empty[algorithm])
        var abc = algorithm.digest()
        Array("ab".utf8).withUnsafeBytes { abc.update($0) }
        Array("c".utf8).withUnsafeBytes { abc.update($0) }
        if algorithm == .sha256 {
            #expect(abc.finish().hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        }
        if algorithm == .md5 { #expect(abc.finish().hex == "900150983cd24fb0d6963f7d28e17f72") }
    }
}
