import Testing
import ZooKeeperProtocol

@testable import ZooKeeperServer

struct WatchManagerTests {
    private func types(_ events: [(ConnectionID, WatcherEvent)]) -> [String] {
        events.map { "\($0.0):\($0.1.type):\($0.1.path)" }
    }

    @Test func standardWatchesFireOnce() {
        var w = WatchManager()
        w.add(.data, path: "/a", connection: 1)
        #expect(self.types(w.fire(.dataChanged("/a"))) == ["1:NodeDataChanged:/a"])
        #expect(w.fire(.dataChanged("/a")).isEmpty)
    }

    @Test func deleteNotifiesOnceAcrossTables() {
        var w = WatchManager()
        w.add(.data, path: "/a", connection: 1)
        w.add(.child, path: "/a", connection: 1)
        w.add(.child, path: "/a", connection: 2)
        #expect(self.types(w.fire(.deleted("/a"))) == ["1:NodeDeleted:/a", "2:NodeDeleted:/a"])
        #expect(!w.contains(.child, path: "/a", connection: 1))
    }

    @Test func persistentStaysAndSeesChildren() {
        var w = WatchManager()
        w.add(.data, path: "/p", connection: 1, mode: .persistent)
        w.add(.child, path: "/p", connection: 1, mode: .persistent)
        #expect(self.types(w.fire(.dataChanged("/p"))) == ["1:NodeDataChanged:/p"])
        #expect(self.types(w.fire(.childrenChanged("/p"))) == ["1:NodeChildrenChanged:/p"])
        #expect(self.types(w.fire(.dataChanged("/p"))) == ["1:NodeDataChanged:/p"])
        #expect(w.fire(.dataChanged("/p/k")).isEmpty)
    }

    @Test func recursiveSeesDescendantsButNotChildrenChanged() {
        // [probe] /p/k set gave NodeDataChanged, /p/k2 create gave NodeCreated.
        var w = WatchManager()
        w.add(.data, path: "/p", connection: 1, mode: .persistentRecursive)
        w.add(.child, path: "/p", connection: 1, mode: .persistentRecursive)
        #expect(self.types(w.fire(.dataChanged("/p/k"))) == ["1:NodeDataChanged:/p/k"])
        #expect(self.types(w.fire(.created("/p/k2/x"))) == ["1:NodeCreated:/p/k2/x"])
        #expect(w.fire(.childrenChanged("/p")).isEmpty)
        #expect(w.fire(.dataChanged("/q")).isEmpty)
    }

    @Test func removeAndContains() {
        var w = WatchManager()
        w.add(.data, path: "/a", connection: 1, mode: .persistent)
        w.add(.child, path: "/a", connection: 1, mode: .persistent)
        let first = w.remove(.data, path: "/a", connection: 1)
        let second = w.remove(.data, path: "/a", connection: 1)
        #expect(first && !second)
        #expect(w.contains(.child, path: "/a", connection: 1))
        w.removeAll(connection: 1)
        #expect(w.counts.watches == 0)
    }
}
