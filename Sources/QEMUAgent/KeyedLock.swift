/// Serializes work per key (a VM id): a stop waits for the start of the same VM, while other VMs' commands run
/// concurrently. Waiters are served in arrival order.
actor KeyedLock {
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` holding the key's lock.
    func withLock<T: Sendable>(_ key: String, _ body: @Sendable () async -> T) async -> T {
        await self.acquire(key)
        let result = await body()
        self.release(key)
        return result
    }

    private func acquire(_ key: String) async {
        guard self.held.contains(key) else {
            self.held.insert(key)
            return
        }
        await withCheckedContinuation { self.waiters[key, default: []].append($0) }
    }

    private func release(_ key: String) {
        guard var queue = self.waiters[key], !queue.isEmpty else {
            self.held.remove(key)
            return
        }
        let next = queue.removeFirst()
        self.waiters[key] = queue.isEmpty ? nil : queue
        // The key stays held: ownership passes to the next waiter.
        next.resume()
    }
}
