import CloudStore
import Logging

/// Walks a registered template through CloudStack's download states on the simulator's secondary storage.
///
/// The walks run in one task group owned by this value (not one detached task each): ``start(_:)`` hands a
/// template to it, a failed status write is logged, and ``shutdown()`` stops taking new walks and waits for the
/// running ones. Releasing the value ends the group once its running walks are done.
public final class TemplateDownloadSimulator: Sendable {
    /// The states a download goes through, each after one ``step``.
    static let states: [(status: String, ready: Bool)] = [
        ("Download In Progress", false), ("50% Downloaded", false), ("Download Complete", true),
    ]

    private let requests: AsyncStream<String>.Continuation
    private let walks: Task<Void, Never>

    /// Creates the simulator and its task group.
    /// - Parameters:
    ///   - store: where the template rows are.
    ///   - logger: where failed writes are logged.
    ///   - step: the time between two states.
    public init(store: CloudStore, logger: Logger, step: Duration = .milliseconds(50)) {
        let (ids, requests) = AsyncStream.makeStream(of: String.self)
        self.requests = requests
        self.walks = Task {
            await withDiscardingTaskGroup { group in
                for await id in ids {
                    group.addTask { await Self.walk(id, store: store, logger: logger, step: step) }
                }
            }
        }
    }

    deinit {
        self.requests.finish()
    }

    /// Starts the download of a registered template (or ISO); returns at once.
    /// - Parameter id: the template's id.
    public func start(_ id: String) {
        self.requests.yield(id)
    }

    /// Takes no more downloads and waits until the running ones have finished.
    public func shutdown() async {
        self.requests.finish()
        await self.walks.value
    }

    /// One template's walk through ``states``; stops at the first failed write (logged) or when cancelled.
    static func walk(_ id: String, store: CloudStore, logger: Logger, step: Duration) async {
        for (status, ready) in Self.states {
            do { try await Task.sleep(for: step) } catch { return }
            do {
                try await store.setTemplateStatus(id: id, status: status, isReady: ready)
            } catch {
                logger.warning(
                    "cannot record a template's download state",
                    metadata: ["template": "\(id)", "status": "\(status)", "error": "\(error.message)"]
                )
                return
            }
        }
    }
}
