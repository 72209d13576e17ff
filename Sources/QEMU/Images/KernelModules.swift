/// Which kernel module files to put in an initramfs, in load order, read from a kernel's `modules.dep` and
/// `modules.builtin` (as `depmod` writes them under `/lib/modules/VERSION`).
public struct KernelModules: Sendable, Hashable {
    /// Module name (`virtio_blk`) -> its path relative to the modules directory.
    private var paths: [String: String] = [:]
    /// Module name -> the paths of the modules it needs.
    private var dependencies: [String: [String]] = [:]
    /// Names of the modules built into the kernel.
    private var builtin: Set<String> = []

    /// Parses `modules.dep` (`path: dep-path dep-path ...` per line) and `modules.builtin` (one path per line).
    public init(modulesDep: String, modulesBuiltin: String) {
        for line in modulesDep.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let path = String(line[..<colon])
            let name = Self.name(ofPath: path)
            self.paths[name] = path
            self.dependencies[name] = line[line.index(after: colon)...].split(separator: " ").map(String.init)
        }
        for line in modulesBuiltin.split(whereSeparator: \.isNewline) {
            self.builtin.insert(Self.name(ofPath: String(line)))
        }
    }

    /// Whether `name` is built into the kernel (so needs no file).
    public func isBuiltin(_ name: String) -> Bool { self.builtin.contains(Self.normalized(name)) }

    /// The relative paths of the named modules and everything they need, each after its dependencies. Built-in
    /// modules and names the kernel lacks are left out (the guest loads what it has, best effort).
    public func loadOrder(for names: [String]) -> [String] {
        var order: [String] = []
        var seen: Set<String> = []
        func visit(_ name: String) {
            guard !self.builtin.contains(name), let path = self.paths[name], seen.insert(name).inserted else { return }
            for dependency in self.dependencies[name] ?? [] { visit(Self.name(ofPath: dependency)) }
            order.append(path)
        }
        for name in names { visit(Self.normalized(name)) }
        return order
    }

    /// `kernel/drivers/block/virtio_blk.ko[.xz]` -> `virtio_blk`.
    static func name(ofPath path: String) -> String {
        let file = path.split(separator: "/").last ?? ""
        return Self.normalized(String(file.split(separator: ".").first ?? ""))
    }

    /// Module names treat `-` and `_` alike.
    static func normalized(_ name: String) -> String { String(name.map { $0 == "-" ? "_" : $0 }) }
}
