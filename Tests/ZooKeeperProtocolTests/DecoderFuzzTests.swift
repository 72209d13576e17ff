import NIOCore
import Testing
import ZooKeeperProtocol

/// Seeded property tests: on any bytes, every decoder either returns a record or throws `JuteError`, in bounded
/// time and memory. A decoded record re-encodes to bytes that decode to the same record.
struct DecoderFuzzTests {
    /// Decodes `input` as every record type and checks the properties.
    /// - Returns: how many decoders accepted the input.
    @discardableResult
    private static func decodeAsEveryRecord(_ input: [UInt8]) -> Int {
        var accepted = 0
        for record in RecordCase.all {
            do {
                let (consumed, reencoded) = try record.readAndReencode(input)
                #expect(consumed <= input.count, "\(record.name)")
                // Null strings and buffers read as empty ones and malformed UTF-8 as U+FFFD, so the first
                // re-encoding may differ from the input; from then on it is a fixed point.
                let again = try record.readAndReencode(reencoded)
                #expect(again.consumed == reencoded.count, "\(record.name) on \(input)")
                #expect(again.reencoded == reencoded, "\(record.name) on \(input)")
                accepted += 1
            } catch {
                // Typed throws: only JuteError can get here. Its description must not be empty.
                #expect(!error.description.isEmpty)
            }
        }
        return accepted
    }

    private static func randomBytes(count: Int, using rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// Jute ints that a mutation writes over a 4-byte window: lengths and counts that are null, negative, zero,
    /// huge, or one too many.
    private static let interestingInts: [Int32] = [-1, -2, 0, 1, 2, 9, 12, 68, 0x7FFF_FFFF, .min, 0x00FF_FFFF]

    private static func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[i] ^= UInt8.random(in: 1...255, using: &rng)
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
            case 2:
                let i = Int.random(in: 0...bytes.count, using: &rng)
                bytes.insert(contentsOf: randomBytes(count: Int.random(in: 1...8, using: &rng), using: &rng), at: i)
            case 3 where bytes.count >= 4:
                let i = Int.random(in: 0...(bytes.count - 4), using: &rng)
                let value = interestingInts.randomElement(using: &rng)!
                bytes.replaceSubrange(i..<(i + 4), with: withUnsafeBytes(of: value.bigEndian, Array.init))
            case 4 where !bytes.isEmpty:
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.removeSubrange(i..<min(bytes.count, i + Int.random(in: 1...8, using: &rng)))
            default:
                bytes.append(contentsOf: randomBytes(count: Int.random(in: 0...4, using: &rng), using: &rng))
            }
        }
        return bytes
    }

    @Test func randomBytesNeverCrashTheDecoders() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var accepted = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...96, using: &rng)
            accepted += Self.decodeAsEveryRecord(Self.randomBytes(count: count, using: &rng))
        }
        // Sanity: the run exercised both outcomes.
        #expect(accepted > 3000 && accepted < 3000 * RecordCase.all.count)
    }

    @Test(arguments: RecordCase.all)
    func mutatedEncodingsNeverCrashTheDecoders(_ record: RecordCase) {
        var rng = SplitMix64(seed: 0x5EED_0002 &+ UInt64(record.encoding.count))
        for _ in 0..<60 {
            Self.decodeAsEveryRecord(Self.mutate(record.encoding, using: &rng))
        }
    }

    /// Random bytes with sensible-looking multi headers in front, so the multi decoders go past their first op.
    @Test func mutatedMultisNeverCrashTheDecoders() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        let request = bytes(of: MultiRequest(ops: RecordCase.allMultiOps))
        let response = bytes(of: MultiResponse(results: RecordCase.allMultiResults))
        var accepted = 0
        for _ in 0..<400 {
            for input in [Self.mutate(request, using: &rng), Self.mutate(response, using: &rng)] {
                for record in RecordCase.all where record.name.hasPrefix("Multi") {
                    if let (consumed, reencoded) = try? record.readAndReencode(input) {
                        #expect(consumed <= input.count)
                        #expect((try? record.readAndReencode(reencoded))?.reencoded == reencoded)
                        accepted += 1
                    }
                }
            }
        }
        #expect(accepted > 0)
    }
}

/// A length or count of 2^31-1 on a small buffer must fail as `.truncated` before anything is allocated for it.
struct HugeLengthTests {
    private static let huge: [UInt8] = [0x7F, 0xFF, 0xFF, 0xFF]

    @Test func hugeStringLength() {
        #expect(
            decodeErrorKind(PathRequest.self, Self.huge + [0x2F])
                == .truncated
        )
    }

    @Test func hugeBufferLength() {
        var wire = Wire()
        wire.string("/a")
        let input = wire.bytes + Self.huge + [1, 2, 3] + [0, 0, 0, 0]
        #expect(decodeErrorKind(SetDataRequest.self, input) == .truncated)
        #expect(
            decodeErrorKind(GetDataResponse.self, Self.huge)
                == .truncated
        )
    }

    @Test func hugeVectorCounts() {
        #expect(decodeErrorKind(StringsResponse.self, Self.huge + [0, 0, 0, 0]) == .truncated)
        #expect(decodeErrorKind(WhoAmIResponse.self, Self.huge) == .truncated)
        #expect(decodeErrorKind(GetACLResponse.self, Self.huge + [UInt8](repeating: 0, count: 80)) == .truncated)
        #expect(decodeErrorKind(SetWatchesRequest.self, [UInt8](repeating: 0, count: 8) + Self.huge) == .truncated)
        #expect(
            decodeErrorKind(MultiRequest.self, bytes(of: MultiHeader(type: .create, done: false, err: -1)) + Self.huge)
                == .truncated
        )
    }

    /// A count that fits the bytes only if items were smaller than their minimum is refused up front.
    @Test func countLargerThanTheBytesCanHold() {
        // 3 ACLs need at least 36 bytes; 35 follow.
        let input: [UInt8] = [0, 0, 0, 3] + [UInt8](repeating: 0, count: 35)
        #expect(decodeErrorKind(GetACLResponse.self, input) == .truncated)
    }

    @Test(arguments: [Int32(-2), -100, .min])
    func negativeLengthsOtherThanNullAreInvalid(length: Int32) {
        var wire = Wire()
        wire.int(length)
        #expect(
            decodeErrorKind(PathRequest.self, wire.bytes)
                == .invalidLength(length)
        )
        #expect(
            decodeErrorKind(StringsResponse.self, wire.bytes)
                == .invalidLength(length)
        )
        #expect(
            decodeErrorKind(GetDataResponse.self, wire.bytes + bytes(of: Stat())) == .invalidLength(length)
        )
    }

    @Test func errorDescriptions() {
        #expect(JuteError(.truncated).description == "jute: record truncated")
        #expect(JuteError(.invalidLength(-2)).description == "jute: invalid length -2")
        #expect(JuteError(.invalidUTF8).description == "jute: string is not UTF-8")
        #expect(JuteError(.leftoverBytes(3)).description == "jute: 3 unread bytes after record")
        #expect(JuteError(.invalidValue("x")).description == "jute: invalid value: x")
    }
}
