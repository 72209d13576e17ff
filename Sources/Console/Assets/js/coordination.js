// The coordination view (beyond CloudStack): the management servers (listManagementServers) with the leader and its
// fencing epoch, each server's ZooKeeper session state, hosts owned and the live configuration version it has
// applied; which server owns which host (listHosts' managementserverid); this server's readiness (/readyz); and a
// setting changed here (updateConfiguration) watched until every server has applied it.
import { call, items } from "./api.js";
import { h, table } from "./dom.js";

const HOST_PAGE = 500;
const WATCH_LIMIT_MS = 60000;

async function readiness() {
  try {
    const response = await fetch("/readyz", { credentials: "same-origin", cache: "no-store" });
    return { ok: response.ok, text: (await response.text()).trim() };
  } catch (error) {
    return { ok: false, text: error.message };
  }
}

async function managementServers() {
  return items(await call("listManagementServers", { page: 1, pagesize: 100 })).items;
}

/** The newest configuration version any server reports (0 when none reports one). */
function newestVersion(servers) {
  return Math.max(0, ...servers.map((s) => Number(s.configurationversion ?? 0)));
}

function serverTable(servers, owned) {
  const rows = table(
    "mgmt-servers",
    ["Name", "State", "ZooKeeper session", "Leader", "Hosts owned", "Configuration version", "Address", "Version", "Started"],
    servers.map((s) => [
      s.name,
      s.state,
      s.zookeepersessionstate ?? "—",
      s.isleader ? `leader, epoch ${s.leaderepoch}` : "",
      String(s.hostsowned ?? owned.get(s.id)?.length ?? 0),
      s.configurationversion === undefined ? "—" : String(s.configurationversion),
      s.serviceip,
      s.version,
      s.lastserverstart ?? "",
    ]),
  );
  rows.querySelectorAll("tbody tr").forEach((row, index) => {
    row.dataset.id = servers[index].id;
    row.dataset.session = servers[index].zookeepersessionstate ?? "";
    if (servers[index].isleader) row.dataset.leader = "yes";
  });
  return rows;
}

/** The live-configuration panel: set a value, then poll until every Up server reports a newer version. */
function propagationPanel(apis) {
  if (!apis.has("updateConfiguration")) return null;
  const name = h("input", { id: "coord-setting-name", name: "name", required: true, placeholder: "e.g. vm.user.dispersion.weight" });
  const value = h("input", { id: "coord-setting-value", name: "value", required: true });
  const status = h("p", { id: "coord-propagation-status", role: "status" });
  const error = h("p", { id: "coord-propagation-error", className: "error", role: "alert" });
  const progress = h("div", { id: "coord-propagation" });
  const apply = h("button", { type: "submit", id: "coord-apply" }, "Apply and watch");
  const form = h(
    "form",
    { className: "card wide", id: "coord-setting-form" },
    h("h2", {}, "Live configuration"),
    h("p", { className: "intro" }, "Change a global setting and watch each management server apply it through ZooKeeper."),
    h("div", { className: "field" }, h("label", { for: "coord-setting-name" }, "Setting"), name),
    h("div", { className: "field" }, h("label", { for: "coord-setting-value" }, "Value"), value),
    h("div", { className: "actions" }, apply),
    error,
    status,
    progress,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    status.textContent = "";
    progress.replaceChildren();
    apply.disabled = true;
    try {
      const before = newestVersion(await managementServers());
      await call("updateConfiguration", { name: name.value.trim(), value: value.value });
      await watch(before, status, progress);
    } catch (failure) {
      error.textContent = failure.message;
    } finally {
      apply.disabled = false;
    }
  });
  return form;
}

/** Polls listManagementServers until every Up server has applied a configuration newer than `before`. */
async function watch(before, status, progress) {
  const deadline = Date.now() + WATCH_LIMIT_MS;
  for (;;) {
    const servers = (await managementServers()).filter((s) => s.state === "Up");
    if (servers.every((s) => s.configurationversion === undefined)) {
      status.textContent = "Applied (this server is not part of a cluster).";
      status.dataset.done = "yes";
      return;
    }
    const target = newestVersion(servers);
    const applied = (s) => target > before && Number(s.configurationversion ?? 0) >= target;
    const rows = table("config-propagation", ["Management server", "Configuration version", "Applied"], servers.map((s) => [s.name, String(s.configurationversion ?? "—"), applied(s) ? "yes" : "waiting"]));
    rows.querySelectorAll("tbody tr").forEach((row, index) => {
      row.dataset.id = servers[index].id;
      row.dataset.applied = applied(servers[index]) ? "yes" : "no";
    });
    progress.replaceChildren(rows);
    const done = servers.filter(applied).length;
    if (done === servers.length) {
      status.textContent = `Applied on all ${servers.length} management servers (configuration version ${target}).`;
      status.dataset.done = "yes";
      return;
    }
    status.textContent = `Applied on ${done} of ${servers.length} management servers…`;
    if (Date.now() > deadline) throw new Error(`Not applied everywhere after ${WATCH_LIMIT_MS / 1000} s: ${done} of ${servers.length} servers.`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function coordination(target, { apis }) {
  const loading = h("p", { role: "status" }, "Loading…");
  target.append(h("h1", {}, "Coordination"), loading);
  try {
    const [servers, hosts, ready] = await Promise.all([managementServers(), call("listHosts", { page: 1, pagesize: HOST_PAGE }).then(items), readiness()]);
    const owned = new Map();
    for (const host of hosts.items) {
      const owner = host.managementserverid ?? "(no owner: a standalone server)";
      owned.set(owner, [...(owned.get(owner) ?? []), host]);
    }
    const label = (id) => servers.find((s) => s.id === id)?.name ?? id;
    const leader = servers.find((s) => s.isleader);
    const clustered = servers.some((s) => s.zookeepersessionstate !== undefined);
    loading.replaceWith(
      h(
        "div",
        { className: "cards" },
        h(
          "div",
          { className: "card", id: "coord-leader", "data-leader": leader?.id ?? "", "data-epoch": leader?.leaderepoch ?? "" },
          h("h2", {}, "Leader"),
          leader
            ? h("p", {}, h("strong", {}, leader.name), ` leads with fencing epoch ${leader.leaderepoch}: it runs HA, DRS, the sweeps and host assignment.`)
            : h("p", {}, clustered ? "No leader right now (an election is under way or ZooKeeper is unreachable)." : "A standalone server: no election, it does every duty itself."),
        ),
        h(
          "div",
          { className: "card", id: "zk-session" },
          h("h2", {}, "This server"),
          h("p", { className: ready.ok ? "ok" : "error", "data-ready": ready.ok ? "yes" : "no" }, `${ready.ok ? "Ready" : "Not ready"} (/readyz): ${ready.text || (ready.ok ? "the database answers and the ZooKeeper session is up" : "")}`),
        ),
      ),
      h("h2", {}, `Management servers (${servers.length})`),
      h("div", { className: "scroll" }, serverTable(servers, owned)),
      h("h2", {}, `Host ownership${hosts.count > hosts.items.length ? ` (first ${hosts.items.length} of ${hosts.count} hosts)` : ""}`),
      table(
        "host-owners",
        ["Owner", "Hosts"],
        [...owned.entries()].map(([owner, list]) => [label(owner), list.map((host) => `${host.name} (${host.state})`).join(", ")]),
      ),
      propagationPanel(apis) ?? "",
    );
  } catch (error) {
    loading.replaceWith(h("p", { className: "error", role: "alert" }, error.message));
  }
}
