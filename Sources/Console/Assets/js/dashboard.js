// Dashboard: per-zone capacity (listCapacity: CPU, memory, primary storage; public IPs from two counts), VMs and
// hosts by state as SVG bar charts, and the latest events and alerts. Every count is a list call with pagesize=1
// (the API's count): no request fetches a whole table.
import { call, items } from "./api.js";
import { barChart, gauge } from "./charts.js";
import { bytes, h, table } from "./dom.js";

const VM_STATES = ["Running", "Stopped", "Starting", "Stopping", "Migrating", "Error", "Destroyed", "Expunging"];
const HOST_STATES = ["Up", "Down", "Disconnected", "Alert", "Connecting", "Error"];
const CAPACITY = { 1: ["CPU", (v) => `${(v / 1000).toFixed(1)} GHz`], 0: ["Memory", bytes], 2: ["Primary storage", bytes] };

const count = async (command, params = {}) => items(await call(command, { ...params, page: 1, pagesize: 1 })).count;

/** Counts by state, one bounded call per state in parallel. */
async function byState(command, states, extra = {}) {
  const counts = await Promise.all(states.map((state) => count(command, { ...extra, state })));
  return states.map((state, index) => [state, counts[index]]).filter(([, n]) => n > 0);
}

function card(title, id, pairs, total) {
  return h(
    "div",
    { className: "card", id },
    h("h2", {}, `${title} (${total})`),
    pairs.length ? barChart(`${title} by state`, pairs) : h("p", { className: "intro" }, "None yet."),
    h("dl", { className: "legend" }, pairs.flatMap(([name, n]) => [h("dt", {}, name), h("dd", { "data-state": name }, n)])),
  );
}

async function capacity(apis) {
  const section = h("section", { id: "capacity", className: "cards" });
  const { items: zones } = items(await call("listZones", { page: 1, pagesize: 50 }));
  const { items: rows } = items(await call("listCapacity", { page: 1, pagesize: 500 }));
  for (const zone of zones) {
    const gauges = [];
    for (const [type, [title, format]] of Object.entries(CAPACITY)) {
      const row = rows.find((r) => r.zoneid === zone.id && String(r.type) === type && !r.podid && !r.clusterid);
      if (row) gauges.push(gauge(title, Number(row.capacityused), Number(row.capacitytotal), format));
    }
    if (apis.has("listPublicIpAddresses")) {
      const [total, used] = await Promise.all([
        count("listPublicIpAddresses", { zoneid: zone.id, listall: true, allocatedonly: false }),
        count("listPublicIpAddresses", { zoneid: zone.id, listall: true, state: "Allocated" }),
      ]);
      gauges.push(gauge("Public IPs", used, total));
    }
    section.append(h("div", { className: "card wide", "data-zone": zone.name }, h("h2", {}, `Zone ${zone.name}`), gauges));
  }
  return section;
}

export async function dashboard(target, { apis }) {
  const loading = h("p", { className: "loading", role: "status" }, "Loading…");
  target.append(h("h1", {}, "Dashboard"), loading);
  try {
    const parts = [];
    const cards = h("div", { className: "cards" });
    const [vmTotal, vmStates] = await Promise.all([count("listVirtualMachines", { listall: true }), byState("listVirtualMachines", VM_STATES, { listall: true })]);
    cards.append(card("Instances", "vm-states", vmStates, vmTotal));
    if (apis.has("listHosts")) {
      const [hostTotal, hostStates] = await Promise.all([count("listHosts"), byState("listHosts", HOST_STATES)]);
      cards.append(card("Hosts", "host-states", hostStates, hostTotal));
    }
    parts.push(cards);
    if (apis.has("listCapacity") && apis.has("listZones")) parts.push(h("h2", {}, "Capacity by zone"), await capacity(apis));
    const recent = h("div", { className: "cards" });
    if (apis.has("listEvents")) {
      const { items: events } = items(await call("listEvents", { page: 1, pagesize: 8, listall: true }));
      recent.append(h("div", { className: "card wide" }, h("h2", {}, "Latest events"), table("events", ["Time", "Type", "Level", "Description"], events.map((e) => [e.created, e.type, e.level, e.description]))));
    }
    if (apis.has("listAlerts")) {
      const { items: alerts } = items(await call("listAlerts", { page: 1, pagesize: 8 }));
      recent.append(h("div", { className: "card wide" }, h("h2", {}, "Latest alerts"), alerts.length ? table("alerts", ["Time", "Name", "Description"], alerts.map((a) => [a.sent, a.name, a.description])) : h("p", {}, "No alerts.")));
    }
    parts.push(recent);
    loading.replaceWith(...parts);
  } catch (error) {
    loading.replaceWith(h("p", { className: "error", role: "alert" }, error.message));
  }
}
