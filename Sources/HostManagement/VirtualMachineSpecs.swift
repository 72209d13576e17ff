import Agent
import CloudCore
import CloudModel
import CloudStore
import Orchestrator

/// Builds what a real host needs to start a VM (CloudStack's `VirtualMachineTO`, made by its
/// `VirtualMachineManagerImpl` before `StartCommand`): the disks as files on primary storage (the root disk backed
/// by its template's file in the zone's image store), the ISO, the NICs and the config drive's contents.
struct VirtualMachineSpecs: Sendable {
    /// The store.
    let store: CloudStore

    /// Seconds a clean stop may take before the agent quits QEMU (well under the agent connection's command timeout,
    /// which the stop's answer must beat).
    static let stopTimeoutSeconds = 20

    /// The spec of `vm` as it starts now.
    /// - Throws: ``OrchestratorError`` `.resourceUnavailable` when its template or ISO is not in a file-backed image
    ///   store of its zone (a real host cannot read a simulator's), `.internalError` when the store fails.
    func spec(for vm: VirtualMachine) async throws(OrchestratorError) -> AgentVmSpec {
        do {
            let details = try await self.store.details(of: vm.id)
            let template = try await self.store.get(Template.self, id: vm.templateId)
            let volumes = try await self.store.volumes(of: vm.id).sorted { ($0.deviceId ?? 0) < ($1.deviceId ?? 0) }
            let directory = try await self.imageStoreDirectory(zoneId: vm.zoneId)
            func file(of template: Template) throws(OrchestratorError) -> String {
                guard let directory, template.isReady else {
                    throw OrchestratorError(
                        .resourceUnavailable,
                        "Template \(template.name) is not ready in a file-backed image store of the VM's zone"
                    )
                }
                return directory + "/" + ImageStoreLayout.templatePath(id: template.id, format: template.format)
            }
            let fromISO = template?.format.uppercased() == "ISO"
            var disks: [AgentDisk] = []
            for volume in volumes {
                let path = try await self.store.assignVolumePath(id: volume.id, path: "\(volume.id).qcow2")
                var disk = AgentDisk(
                    volumeId: volume.id,
                    type: volume.type,
                    deviceId: volume.deviceId ?? 0,
                    path: path,
                    sizeBytes: Int64(volume.size)
                )
                if volume.type == "ROOT", let template, !fromISO {
                    disk.template = try file(of: template)
                    disk.templateFormat = template.format.lowercased()
                }
                disks.append(disk)
            }
            // The attached ISO (a VM deployed from an ISO has it attached until detachIso); such a VM boots from
            // its CD-ROM while one is in it, else from its root disk.
            var iso: String?
            if let isoId = details[VMDetailNames.iso], let attached = try await self.store.get(Template.self, id: isoId)
            {
                iso = try file(of: attached)
            }
            let agentNics = try await self.nics(vmId: vm.id)
            let keys = (details[VMDetailNames.publicKeys] ?? "").split(separator: "\n").map(String.init)
            return AgentVmSpec(
                hostName: vm.displayName.isEmpty ? vm.name : vm.displayName,
                disks: disks,
                iso: iso,
                bootFromISO: fromISO && iso != nil,
                nics: agentNics,
                userData: details[VMDetailNames.userData].flatMap { $0.isEmpty ? nil : $0 },
                publicKeys: keys,
                stopTimeoutSeconds: Self.stopTimeoutSeconds
            )
        } catch let error as OrchestratorError {
            throw error
        } catch let error as StoreError {
            throw OrchestratorError(.internalError, "Unable to read VM \(vm.name): \(error.message)")
        } catch {
            throw OrchestratorError(.internalError, "Unable to read VM \(vm.name): \(error)")
        }
    }

    /// The disks of a VM's volumes that have files (for `DestroyCommand` on expunge).
    func disks(of volumes: [Volume]) -> [AgentDisk] {
        volumes.compactMap { volume in
            volume.path.map {
                AgentDisk(
                    volumeId: volume.id,
                    type: volume.type,
                    deviceId: volume.deviceId ?? 0,
                    path: $0,
                    sizeBytes: Int64(volume.size)
                )
            }
        }
    }

    /// The file of ISO `isoId` in the zone's image store (for `AttachCommand` of a running VM).
    /// - Throws: ``OrchestratorError`` `.resourceUnavailable` when it is not ready in a file-backed image store.
    func isoFile(_ isoId: String, zoneId: String) async throws(OrchestratorError) -> String {
        do {
            guard let iso = try await self.store.get(Template.self, id: isoId), iso.isReady,
                let directory = try await self.imageStoreDirectory(zoneId: zoneId)
            else {
                throw OrchestratorError(
                    .resourceUnavailable,
                    "ISO \(isoId) is not ready in a file-backed image store of the VM's zone"
                )
            }
            return directory + "/" + ImageStoreLayout.templatePath(id: iso.id, format: iso.format)
        } catch let error as OrchestratorError {
            throw error
        } catch {
            throw OrchestratorError(.internalError, "Unable to read ISO \(isoId): \(error)")
        }
    }

    /// The directory of the zone's first `file://` image store, if it has one.
    func imageStoreDirectory(zoneId: String) async throws(StoreError) -> String? {
        let stores = try await self.store.list(ImageStore.self, ListQuery(equals: [("zone_id", zoneId)])).items
        return stores.sorted { $0.created < $1.created }.lazy.compactMap { ImageStoreLayout.directory(url: $0.url) }
            .first
    }
}
