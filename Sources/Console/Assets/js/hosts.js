// Hosts (admins): name, state, zone, hypervisor; server-side paging.
import { call, items } from "./api.js";
import { h } from "./dom.js";

export async function hosts(target) {
  target.append(h("h1", {}, "Hosts"));
  const body = h("tbody");
  const status = h("p", { role: "status" }, "Loading…");
  target.append(
    h("table", { id: "hosts" }, h("thead", {}, h("tr", {}, ["Name", "State", "Zone", "Hypervisor"].map((t) => h("th", {}, t)))), body),
    status,
  );
  try {
    const { items: list, count } = items(await call("listHosts", { page: 1, pagesize: 100 }));
    body.append(...list.map((host) => h("tr", {}, h("td", {}, host.name), h("td", {}, host.state), h("td", {}, host.zonename ?? ""), h("td", {}, host.hypervisor ?? ""))));
    status.textContent = `${list.length} of ${count} hosts`;
  } catch (error) {
    status.className = "error";
    status.textContent = error.message;
  }
}
