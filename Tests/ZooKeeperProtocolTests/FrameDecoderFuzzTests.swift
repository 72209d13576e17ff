import NIOCore
import NIOEmbedded
import Testing
import ZooKeeperProtocol

/// Seeded property tests of the frame decoder: any stream yields frames, waits, or fails with
/// `FrameTooLargeError`; and a stream of valid frames cut anywhere yields exactly those frames.
struct FrameDecoderFuzzTests {
    private static func randomBytes(count: Int, using rng: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// A stream of frames with small bodies, with random garbage spliced in now and then.
    private static func stream(using rng: inout SplitMix64) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<Int.random(in: 0...6, using: &rng) {
            if Int.random(in: 0..<8, using: &rng) == 0 {
                out += randomBytes(count: Int.random(in: 1...6, using: &rng), using: &rng)
            } else {
                let body = randomBytes(count: Int.random(in: 0...40, using: &rng), using: &rng)
                out += withUnsafeBytes(of: Int32(body.count).bigEndian, Array.init) + body
            }
        }
        return out
    }

    @Test func anyStreamYieldsFramesWaitsOrFails() {
        var rng = SplitMix64(seed: 0xF4A3_0001)
        var frames = 0
        var failures = 0
        for round in 0..<3000 {
            let limit = [16, 64, juteDefaultMaxBuffer][round % 3]
            var decoder = ZooKeeperFrameDecoder(maxFrameLength: limit)
            let input = round.isMultiple(of: 2) ? Self.stream(using: &rng) : Self.randomBytes(count: 40, using: &rng)
            var buffer = ByteBuffer()
            var fed = 0
            feeding: while fed < input.count {
                let chunk = Int.random(in: 1...(input.count - fed), using: &rng)
                buffer.writeBytes(input[fed..<(fed + chunk)])
                fed += chunk
                while true {
                    let before = buffer.readerIndex
                    do {
                        guard let frame = try decoder.decode(buffer: &buffer) else {
                            #expect(buffer.readerIndex == before)
                            break
                        }
                        #expect(frame.readableBytes <= limit)
                        #expect(buffer.readerIndex == before + 4 + frame.readableBytes)
                        frames += 1
                    } catch let error as FrameTooLargeError {
                        failures += 1
                        #expect(error.limit == limit)
                        #expect(error.length < 0 || Int(error.length) > limit)
                        #expect(buffer.readerIndex == before)
                        break feeding
                    } catch {
                        Issue.record("unexpected error \(error)")
                        break feeding
                    }
                }
            }
        }
        #expect(frames > 1000 && failures > 1000)
    }

    @Test func validFramesCutAnywhereComeOutWhole() throws {
        var rng = SplitMix64(seed: 0xF4A3_0002)
        for _ in 0..<200 {
            let bodies = (0..<Int.random(in: 1...5, using: &rng)).map { _ in
                Self.randomBytes(count: Int.random(in: 0...64, using: &rng), using: &rng)
            }
            var stream: [UInt8] = []
            for body in bodies { stream += withUnsafeBytes(of: Int32(body.count).bigEndian, Array.init) + body }
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(ZooKeeperFrameDecoder()))
            var fed = 0
            while fed < stream.count {
                let chunk = Int.random(in: 1...(stream.count - fed), using: &rng)
                try channel.writeInbound(ByteBuffer(bytes: stream[fed..<(fed + chunk)]))
                fed += chunk
            }
            for body in bodies {
                #expect(try channel.readInbound(as: ByteBuffer.self) == ByteBuffer(bytes: body))
            }
            #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
            #expect(try channel.finish().isClean)
        }
    }

    /// Frames whose bodies are mutated records go through the frame decoder and then every record decoder.
    @Test func framedGarbageThroughTheWholeStack() throws {
        var rng = SplitMix64(seed: 0xF4A3_0003)
        for record in RecordCase.all {
            var body = record.encoding
            if !body.isEmpty {
                body[Int.random(in: 0..<body.count, using: &rng)] ^= 0xFF
            }
            var buffer = ByteBuffer()
            buffer.writeZooKeeperFrame { $0.writeBytes(body) }
            var decoder = ZooKeeperFrameDecoder()
            let frame = try #require(try decoder.decode(buffer: &buffer))
            #expect(Array(buffer: frame) == body)
            for other in RecordCase.all {
                _ = try? other.decodesToSample(Array(buffer: frame))
            }
        }
    }
}
