// The coordination view (beyond CloudStack): the management servers (listManagementServers), which server owns
// which host (listHosts' managementserverid), and this server's readiness, ZooKeeper session included (/readyz).
// The API exposes no leader or epoch yet, so the view says so rather than guess.
import { call, items } from "./api.js";
import { h, table } from "./dom.js";

const HOST_PAGE = 500;

async function readiness() {
  try {
    const response = await fetch("/readyz", { credentials: "same-origin", cache: "no-store" });
    return { ok: response.ok, text: (await response.text()).trim() };
  } catch (error) {
    return { ok: false, text: error.message };
  }
}

export async function coordination(target) {
  const loading = h("p", { role: "status" }, "Loading…");
  target.append(h("h1", {}, "Coordination"), loading);
  try {
    const [servers, hosts, ready] = await Promise.all([
      call("listManagementServers", { page: 1, pagesize: 100 }).then(items),
      call("listHosts", { page: 1, pagesize: HOST_PAGE }).then(items),
      readiness(),
    ]);
    const owned = new Map();
    for (const host of hosts.items) {
      const owner = host.managementserverid ?? "(no owner: a standalone server)";
      owned.set(owner, [...(owned.get(owner) ?? []), host]);
    }
    const label = (id) => servers.items.find((s) => s.id === id)?.name ?? id;
    loading.replaceWith(
      h(
        "div",
        { className: "card wide", id: "zk-session" },
        h("h2", {}, "This server"),
        h("p", { className: ready.ok ? "ok" : "error", "data-ready": ready.ok ? "yes" : "no" }, `${ready.ok ? "Ready" : "Not ready"} (/readyz): ${ready.text || (ready.ok ? "the database answers and the ZooKeeper session is up" : "")}`),
        h("p", { className: "intro" }, "Leader and epoch: not exposed by the API yet (the leader holds /leader and fences with /epoch in ZooKeeper)."),
      ),
      h("h2", {}, `Management servers (${servers.count})`),
      table("mgmt-servers", ["Name", "State", "Address", "Version", "Started", "Hosts owned"], servers.items.map((s) => [s.name, s.state, s.serviceip, s.version, s.lastserverstart ?? "", String(owned.get(s.id)?.length ?? 0)])),
      h("h2", {}, `Host ownership${hosts.count > hosts.items.length ? ` (first ${hosts.items.length} of ${hosts.count} hosts)` : ""}`),
      table(
        "host-owners",
        ["Owner", "Hosts"],
        [...owned.entries()].map(([owner, list]) => [label(owner), list.map((host) => `${host.name} (${host.state})`).join(", ")]),
      ),
    );
  } catch (error) {
    loading.replaceWith(h("p", { className: "error", role: "alert" }, error.message));
  }
}
