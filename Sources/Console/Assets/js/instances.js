// Instances: server-side paging (page/pagesize, total from count), state filter, keyword search, sorting by name
// within the page, and per-row actions run as async jobs.
import { call, items, runJob } from "./api.js";
import { h, jobToast } from "./dom.js";

const STATES = ["", "Running", "Stopped", "Starting", "Stopping", "Migrating", "Error", "Destroyed"];
const ACTIONS = [
  { command: "startVirtualMachine", label: "Start", when: ["Stopped"] },
  { command: "stopVirtualMachine", label: "Stop", when: ["Running"] },
  { command: "rebootVirtualMachine", label: "Reboot", when: ["Running"] },
  { command: "destroyVirtualMachine", label: "Destroy", when: ["Running", "Stopped", "Error"], confirm: true },
];
const PAGE_SIZE = 20;

export function instances(target, { apis }) {
  const view = { page: 1, state: "", keyword: "", sort: 1, rows: [], count: 0 };
  const stateSelect = h("select", { id: "vm-state", "aria-label": "State" }, STATES.map((s) => h("option", { value: s }, s || "All states")));
  const search = h("input", { id: "vm-search", type: "search", placeholder: "Search", "aria-label": "Search" });
  const body = h("tbody");
  const status = h("p", { id: "vm-status", role: "status" });
  const previous = h("button", { type: "button", id: "vm-prev" }, "Previous");
  const next = h("button", { type: "button", id: "vm-next" }, "Next");
  const pageLabel = h("span", { id: "vm-page" });
  const sortButton = h("button", { type: "button", id: "vm-sort" }, "Name ▲");
  const actions = ACTIONS.filter((action) => apis.has(action.command));

  target.append(
    h("h1", {}, "Instances"),
    h(
      "form",
      { className: "toolbar", role: "search", onsubmit: (event) => { event.preventDefault(); view.keyword = search.value; view.page = 1; load(); } },
      stateSelect,
      search,
      h("button", { type: "submit" }, "Search"),
      h("button", { type: "button", id: "vm-refresh", onclick: () => load() }, "Refresh"),
    ),
    h(
      "table",
      { id: "vms" },
      h("thead", {}, h("tr", {}, h("th", {}, sortButton), h("th", {}, "State"), h("th", { className: "hide-narrow" }, "Zone"), h("th", { className: "hide-narrow" }, "Offering"), h("th", {}, "Actions"))),
      body,
    ),
    h("div", { className: "pager" }, previous, pageLabel, next),
    status,
  );

  stateSelect.addEventListener("change", () => { view.state = stateSelect.value; view.page = 1; load(); });
  previous.addEventListener("click", () => { view.page -= 1; load(); });
  next.addEventListener("click", () => { view.page += 1; load(); });
  sortButton.addEventListener("click", () => {
    view.sort = -view.sort;
    sortButton.textContent = view.sort > 0 ? "Name ▲" : "Name ▼";
    draw();
  });

  async function act(vm, action) {
    if (action.confirm && !window.confirm(`${action.label} ${vm.name}?`)) return;
    const toast = jobToast(`${action.label} ${vm.name}`);
    for (const button of body.querySelectorAll(`tr[data-id="${vm.id}"] button`)) button.disabled = true;
    try {
      await runJob(action.command, { id: vm.id }, toast.progress);
      toast.done("done");
    } catch (error) {
      toast.fail(error.message);
    }
    await load();
  }

  function draw() {
    const rows = [...view.rows].sort((a, b) => view.sort * (a.name ?? "").localeCompare(b.name ?? ""));
    body.replaceChildren(
      ...rows.map((vm) =>
        h(
          "tr",
          { "data-id": vm.id, "data-name": vm.name },
          h("td", { className: "name" }, vm.displayname && vm.displayname !== vm.name ? `${vm.name} (${vm.displayname})` : vm.name),
          h("td", { className: "state" }, vm.state),
          h("td", { className: "hide-narrow" }, vm.zonename ?? ""),
          h("td", { className: "hide-narrow" }, vm.serviceofferingname ?? ""),
          h(
            "td",
            { className: "actions" },
            actions
              .filter((action) => action.when.includes(vm.state))
              .map((action) => h("button", { type: "button", "data-action": action.label.toLowerCase(), onclick: () => act(vm, action) }, action.label)),
          ),
        ),
      ),
    );
    const pages = Math.max(1, Math.ceil(view.count / PAGE_SIZE));
    pageLabel.textContent = `Page ${view.page} of ${pages}`;
    previous.disabled = view.page <= 1;
    next.disabled = view.page >= pages;
  }

  async function load() {
    status.className = "";
    status.textContent = "Loading…";
    try {
      const answer = await call("listVirtualMachines", {
        page: view.page,
        pagesize: PAGE_SIZE,
        state: view.state,
        keyword: view.keyword,
        listall: true,
      });
      const { items: rows, count } = items(answer);
      view.rows = rows;
      view.count = count;
      draw();
      status.textContent = `${count} instance${count === 1 ? "" : "s"}`;
    } catch (error) {
      status.className = "error";
      status.textContent = error.message;
    }
  }

  load();
}
