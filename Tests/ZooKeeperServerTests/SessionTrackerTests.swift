import Testing

@testable import ZooKeeperServer

struct SessionTrackerTests {
    @Test func expiryIsBucketedByTick() {
        var t = SessionTracker(tickTime: 2000, now: 1_000)
        let id = t.allocateId()
        t.add(id: id, timeout: 4000, password: [], now: 1_000)
        // roundUp(1000 + 4000, 2000) = 6000
        #expect(t.session(id)?.expiresAt == 6000)
        #expect(t.expire(now: 5999).isEmpty)
        #expect(t.expire(now: 6000) == [id])
        #expect(t.expire(now: 9000).isEmpty)  // reported once
        let touched = t.touch(id, now: 6000)
        #expect(!touched)
    }

    @Test func touchPushesExpiry() {
        var t = SessionTracker(tickTime: 2000, now: 0)
        let id = t.allocateId()
        t.add(id: id, timeout: 4000, password: [], now: 0)
        let touched = t.touch(id, now: 3000)
        #expect(touched)
        #expect(t.expire(now: 6000).isEmpty)
        #expect(t.expire(now: 8000) == [id])
    }

    @Test func idsCarryServerIdAndTime() {
        let id = SessionTracker.initialSessionId(serverId: 1, now: 0x0100_0048_3FEB)
        #expect(UInt64(bitPattern: id) >> 56 == 1)
        #expect(id & 0xFFFF == 0)
        var t = SessionTracker(tickTime: 2000, now: 0x0100_0048_3FEB)
        let a = t.allocateId()
        let b = t.allocateId()
        #expect(b == a + 1)
    }
}
