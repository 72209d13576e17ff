// Instances: server-side paging (page/pagesize, the total from the API's count), state filter and keyword search
// on the server, sorting within the page (listVirtualMachines has no sort parameter), and per-row actions.
import { call, items } from "./api.js";
import { h } from "./dom.js";
import { PAGE_SIZE, runAction } from "./generic.js";
import { VM_ACTIONS } from "./instance.js";

const STATES = ["", "Running", "Stopped", "Starting", "Stopping", "Migrating", "Error", "Destroyed", "Expunging"];
const SORTS = { name: "Name", state: "State", zonename: "Zone", created: "Created" };

export function instances(target, { apis }) {
  const view = { page: 1, state: "", keyword: "", sort: "name", order: 1, rows: [], count: 0 };
  const stateSelect = h("select", { id: "vm-state", "aria-label": "State" }, STATES.map((s) => h("option", { value: s }, s || "All states")));
  const search = h("input", { id: "vm-search", type: "search", placeholder: "Search name", "aria-label": "Search" });
  const body = h("tbody");
  const status = h("p", { id: "vm-status", role: "status" });
  const previous = h("button", { type: "button", id: "vm-prev" }, "Previous");
  const next = h("button", { type: "button", id: "vm-next" }, "Next");
  const pageLabel = h("span", { id: "vm-page" });
  const actions = VM_ACTIONS.filter((action) => apis.has(action.command) && !action.fields);
  const sortButtons = Object.entries(SORTS).map(([field, label]) =>
    h("button", { type: "button", className: "sort", "data-sort": field, onclick: () => sortBy(field) }, label),
  );

  target.append(
    h("h1", {}, "Instances"),
    h(
      "form",
      {
        className: "toolbar",
        role: "search",
        onsubmit: (event) => {
          event.preventDefault();
          view.keyword = search.value;
          view.page = 1;
          load();
        },
      },
      stateSelect,
      search,
      h("button", { type: "submit" }, "Search"),
      h("button", { type: "button", id: "vm-refresh", onclick: () => load() }, "Refresh"),
      apis.has("deployVirtualMachine") ? h("a", { className: "button primary", href: "#/deploy", id: "vm-deploy" }, "Deploy instance") : null,
    ),
    h("p", { id: "screen-error", className: "error", role: "alert" }),
    h(
      "div",
      { className: "scroll" },
      h(
        "table",
        { id: "vms" },
        h("thead", {}, h("tr", {}, sortButtons.map((button, index) => h("th", { scope: "col", className: index > 1 ? "hide-narrow" : "" }, button)), h("th", { scope: "col", className: "hide-narrow" }, "Offering"), h("th", { scope: "col", className: "hide-narrow" }, "IP"), h("th", { scope: "col" }, "Actions"))),
        body,
      ),
    ),
    h("div", { className: "pager" }, previous, pageLabel, next),
    status,
  );

  stateSelect.addEventListener("change", () => {
    view.state = stateSelect.value;
    view.page = 1;
    load();
  });
  previous.addEventListener("click", () => {
    view.page -= 1;
    load();
  });
  next.addEventListener("click", () => {
    view.page += 1;
    load();
  });

  function sortBy(field) {
    view.order = view.sort === field ? -view.order : 1;
    view.sort = field;
    draw();
  }

  function draw() {
    for (const button of sortButtons) {
      const active = button.dataset.sort === view.sort;
      button.textContent = `${SORTS[button.dataset.sort]}${active ? (view.order > 0 ? " ▲" : " ▼") : ""}`;
      button.parentElement.setAttribute("aria-sort", active ? (view.order > 0 ? "ascending" : "descending") : "none");
    }
    const key = view.sort;
    const rows = [...view.rows].sort((a, b) => view.order * String(a[key] ?? "").localeCompare(String(b[key] ?? "")));
    body.replaceChildren(
      ...rows.map((vm) =>
        h(
          "tr",
          { "data-id": vm.id, "data-name": vm.name },
          h("td", { className: "name" }, h("a", { href: `#/instances/${vm.id}` }, vm.displayname && vm.displayname !== vm.name ? `${vm.name} (${vm.displayname})` : vm.name)),
          h("td", { className: "state" }, vm.state),
          h("td", { className: "hide-narrow" }, vm.zonename ?? ""),
          h("td", { className: "hide-narrow" }, vm.created ?? ""),
          h("td", { className: "hide-narrow" }, vm.serviceofferingname ?? ""),
          h("td", { className: "hide-narrow" }, vm.nic?.[0]?.ipaddress ?? vm.ipaddress ?? ""),
          h(
            "td",
            { className: "actions" },
            actions
              .filter((action) => action.when(vm))
              .map((action) => h("button", { type: "button", "data-action": action.id, onclick: () => runAction(action, vm, load) }, action.label)),
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
      // The first page's paint, once per page load (its startTime counts from navigation start).
      if (performance.getEntriesByName("instances-first-page").length === 0) performance.mark("instances-first-page");
    } catch (error) {
      status.className = "error";
      status.textContent = error.message;
    }
  }

  draw();
  load();
}
