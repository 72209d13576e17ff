import CloudStore

/// Walks a registered template through CloudStack's download states on the simulator's secondary storage.
enum TemplateDownloadSimulator {
    static func start(_ id: String, store: CloudStore) {
        Task {
            for (status, ready) in [
                ("Download In Progress", false), ("50% Downloaded", false), ("Download Complete", true),
            ] {
                try? await Task.sleep(for: .milliseconds(50))
                try? await store.setTemplateStatus(id: id, status: status, isReady: ready)
            }
        }
    }
}
