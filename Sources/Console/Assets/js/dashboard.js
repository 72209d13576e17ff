// Dashboard: VMs by state, hosts by state (when listHosts is allowed) and the latest events.
import { call, items } from "./api.js";
import { h } from "./dom.js";

function countBy(list, field) {
  const counts = new Map();
  for (const item of list) counts.set(item[field] ?? "?", (counts.get(item[field] ?? "?") ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

function card(title, id, pairs, total) {
  return h(
    "div",
    { className: "card", id },
    h("h2", {}, `${title} (${total})`),
    h("dl", {}, pairs.flatMap(([name, count]) => [h("dt", {}, name), h("dd", { "data-state": name }, count)])),
  );
}

// Counts by state with one list call per known state plus the total, each with pagesize=1: no whole table.
async function stateCounts(command, states) {
  const total = items(await call(command, { page: 1, pagesize: 1 })).count;
  const pairs = [];
  for (const state of states) {
    const count = items(await call(command, { state, page: 1, pagesize: 1 })).count;
    if (count > 0) pairs.push([state, count]);
  }
  return { total, pairs };
}

export async function dashboard(target, { apis }) {
  target.append(h("h1", {}, "Dashboard"), h("p", { className: "loading" }, "Loading…"));
  const cards = h("div", { className: "cards" });
  const parts = [];
  try {
    const vms = await stateCounts("listVirtualMachines", [
      "Running", "Stopped", "Starting", "Stopping", "Migrating", "Error", "Destroyed", "Expunging",
    ]);
    cards.append(card("Instances", "vm-states", vms.pairs, vms.total));
    if (apis.has("listHosts")) {
      const { items: list, count } = items(await call("listHosts", { page: 1, pagesize: 500 }));
      cards.append(card("Hosts", "host-states", countBy(list, "state"), count));
    }
    parts.push(cards);
    if (apis.has("listEvents")) {
      const { items: events } = items(await call("listEvents", { page: 1, pagesize: 10 }));
      parts.push(
        h("h2", {}, "Latest events"),
        h(
          "table",
          { id: "events" },
          h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Type"), h("th", {}, "Level"), h("th", {}, "Description"))),
          h(
            "tbody",
            {},
            events.map((event) =>
              h("tr", {}, h("td", {}, event.created ?? ""), h("td", {}, event.type ?? ""), h("td", {}, event.level ?? ""), h("td", {}, event.description ?? "")),
            ),
          ),
        ),
      );
    }
    target.querySelector(".loading").replaceWith(...parts);
  } catch (error) {
    target.querySelector(".loading").replaceWith(h("p", { className: "error", role: "alert" }, error.message));
  }
}
