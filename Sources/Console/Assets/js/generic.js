// The generic list/detail screen: one table row of SCREENS (screens.js) becomes a paged list (page/pagesize on
// the server, the total from the API's `count`), a keyword search, filters, a detail panel and actions, each gated
// by listApis. Actions that start async jobs show progress and end in success or the API's errortext.
import { call, items, runJob } from "./api.js";
import { details, h, jobToast, openForm } from "./dom.js";

export const PAGE_SIZE = 20;

/** The value shown for `column` ([field, label, format?]) of `row`. */
function cell(row, [name, , format]) {
  const value = row[name];
  if (format) return format(value, row);
  if (value === undefined || value === null) return "";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Runs `action` on `row` (asking for its fields first if it has any); returns when the job ends. */
export async function runAction(action, row, reload) {
  const label = `${action.label}${row ? ` ${row.name ?? row.username ?? row.ipaddress ?? row.id ?? ""}` : ""}`;
  const base = action.params ? action.params(row) : row ? { id: row.id } : {};
  const run = async (extra, progress = () => {}) => {
    const toast = jobToast(label);
    try {
      const result = await runJob(action.command, { ...base, ...extra }, (poll) => {
        toast.progress(poll);
        progress(poll);
      });
      toast.done("done");
      return result;
    } catch (error) {
      toast.fail(error.message);
      throw error;
    }
  };
  if (action.fields) {
    const fields = typeof action.fields === "function" ? () => action.fields(row) : action.fields;
    let result = null;
    const submitted = await openForm(label, fields, async (values, progress) => {
      result = await run(action.transform ? action.transform(values, row) : values, progress);
    });
    // Cancelled: nothing changed, and keyboard focus stays on the button that opened the form.
    if (!submitted) return;
    // What the API answers once and never again (a new key pair's private key) is shown before the list reloads.
    const shown = result && action.show ? action.show(result) : null;
    if (shown) await openForm(shown.title, [{ name: "shown", label: shown.label, type: "textarea", value: shown.text }], async () => {});
    await reload();
    return;
  }
  if (action.confirm && !window.confirm(`${label}?`)) return;
  try {
    await run({});
  } catch (error) {
    showError(error.message);
  }
  await reload();
}

/** Shows `text` in the screen's error line (role=alert). */
export function showError(text) {
  const line = document.getElementById("screen-error");
  if (line) line.textContent = text;
}

/** Renders the list screen of `def` into `target`. */
export function listScreen(def, target, { apis }) {
  const initial = Object.fromEntries((def.filters ?? []).map((filter) => [filter.name, filter.options[0][0]]));
  const view = { page: 1, keyword: "", filters: initial, rows: [], count: 0, selected: null };
  const body = h("tbody");
  const status = h("p", { id: `${def.id}-status`, role: "status" });
  const pageLabel = h("span", { id: `${def.id}-page` });
  const previous = h("button", { type: "button", id: `${def.id}-prev`, onclick: () => move(-1) }, "Previous");
  const next = h("button", { type: "button", id: `${def.id}-next`, onclick: () => move(1) }, "Next");
  const panel = h("section", { className: "detail", id: `${def.id}-detail`, "aria-label": "Details", hidden: true });
  const allowed = (list) => (list ?? []).filter((action) => apis.has(action.command));
  const rowActions = allowed(def.actions);
  const search = h("input", { type: "search", id: `${def.id}-search`, placeholder: "Search", "aria-label": "Search" });
  const filters = (def.filters ?? []).map((filter) => {
    const select = h("select", { id: `${def.id}-${filter.name}`, "aria-label": filter.label }, filter.options.map(([value, label]) => h("option", { value }, label)));
    select.addEventListener("change", () => {
      view.filters[filter.name] = select.value;
      view.page = 1;
      load();
    });
    return select;
  });

  const parts = [
    h("h1", {}, def.title),
    def.intro ? h("p", { className: "intro" }, def.intro) : null,
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
      def.noKeyword ? null : search,
      filters,
      def.noKeyword ? null : h("button", { type: "submit" }, "Search"),
      h("button", { type: "button", id: `${def.id}-refresh`, onclick: () => load() }, "Refresh"),
      allowed(def.create).map((action) =>
        h("button", { type: "button", className: "primary", "data-action": action.id ?? action.command, onclick: () => runAction(action, null, load) }, action.label),
      ),
    ),
    h("p", { id: "screen-error", className: "error", role: "alert" }),
    h("div", { className: "scroll" }, h("table", { id: def.id }, h("thead", {}, h("tr", {}, def.columns.map(([, label]) => h("th", { scope: "col" }, label)), rowActions.length ? h("th", { scope: "col" }, "Actions") : null)), body)),
    h("div", { className: "pager" }, previous, pageLabel, next),
    status,
    panel,
  ];
  target.append(...parts.filter(Boolean));

  function move(delta) {
    view.page += delta;
    load();
  }

  function actionButtons(row, inDetail = false) {
    return rowActions
      .filter((action) => (inDetail || !action.detailOnly) && (!action.when || action.when(row)))
      .map((action) =>
        h("button", { type: "button", "data-action": action.id ?? action.command, onclick: (event) => { event.stopPropagation(); runAction(action, row, load); } }, action.label),
      );
  }

  function select(row) {
    view.selected = row.id;
    panel.hidden = false;
    const pairs = Object.entries(row)
      .filter(([, value]) => value !== "" && value !== null && typeof value !== "object")
      .map(([name, value]) => [name, String(value)]);
    panel.replaceChildren(h("h2", {}, row.name ?? row.username ?? row.ipaddress ?? row.id ?? def.title), h("div", { className: "actions" }, actionButtons(row, true)), details(pairs, `${def.id}-fields`));
    if (def.detail) def.detail(row, panel, apis);
  }

  function draw() {
    body.replaceChildren(
      ...view.rows.map((row) =>
        h(
          "tr",
          {
            "data-id": row.id ?? row.name,
            "data-name": row.name ?? row.username ?? row.ipaddress,
            tabindex: 0,
            onclick: () => select(row),
            onkeydown: (event) => event.key === "Enter" && event.target === event.currentTarget && select(row),
          },
          def.columns.map((column) => h("td", { className: column[0] }, cell(row, column))),
          rowActions.length ? h("td", { className: "actions" }, actionButtons(row)) : null,
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
      const params = { ...(def.params ?? {}), ...view.filters, keyword: view.keyword };
      if (!def.unpaged) Object.assign(params, { page: view.page, pagesize: PAGE_SIZE });
      const answer = items(await call(def.command, params));
      view.rows = def.unpaged ? answer.items.slice((view.page - 1) * PAGE_SIZE, view.page * PAGE_SIZE) : answer.items;
      view.count = answer.count;
      draw();
      status.textContent = `${answer.count} ${answer.count === 1 ? "item" : "items"}`;
      const selected = view.rows.find((row) => row.id === view.selected);
      if (selected) select(selected);
      else panel.hidden = true;
      // Templates and ISOs being downloaded: poll the page until each is ready or the screen is left.
      if (def.poll && def.poll(view.rows)) setTimeout(() => target.isConnected && load(), 2000);
    } catch (error) {
      status.className = "error";
      status.textContent = error.message;
    }
  }

  load();
  return { reload: load };
}

/** A sub-list inside a detail panel: `command` with `params`, shown as a table of `columns` (no paging: ≤ 100). */
export async function subList(panel, title, id, command, params, columns) {
  const section = h("section", { className: "sub" }, h("h3", {}, title), h("p", { role: "status" }, "Loading…"));
  panel.append(section);
  try {
    const { items: rows, count } = items(await call(command, { ...params, page: 1, pagesize: 100 }));
    section.lastChild.replaceWith(
      h("table", { id }, h("thead", {}, h("tr", {}, columns.map(([, label]) => h("th", { scope: "col" }, label)))), h("tbody", {}, rows.map((row) => h("tr", {}, columns.map((column) => h("td", {}, cell(row, column))))))),
      count > rows.length ? h("p", {}, `${rows.length} of ${count} shown`) : null,
    );
  } catch (error) {
    section.lastChild.replaceWith(h("p", { className: "error", role: "alert" }, error.message));
  }
}
