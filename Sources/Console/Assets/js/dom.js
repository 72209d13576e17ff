// Small DOM helpers: elements are built with textContent only (no HTML strings from API data).
import { ApiError } from "./api.js";

/** Creates an element: h("td", {className: "state"}, "Running", child...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (["className", "textContent", "value", "disabled", "checked"].includes(name)) element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Shows a job's progress in the jobs panel; returns {progress(n), done(text), fail(text)}. */
export function jobToast(label) {
  const line = h("div", { className: "job", role: "status" }, `${label}: started`);
  document.getElementById("jobs").append(line);
  const finish = (className, text) => {
    line.classList.add(className);
    line.textContent = `${label}: ${text}`;
    setTimeout(() => line.remove(), 10000);
  };
  return {
    progress: (poll) => (line.textContent = `${label}: in progress${".".repeat(1 + (poll % 3))}`),
    done: (text) => finish("ok", text),
    fail: (text) => finish("error", text),
  };
}

/** A labelled form control for a field {name, label, type, required, options, value, min, max, help}. */
export function field(spec, id) {
  const controlId = id ?? `f-${spec.name}`;
  let control;
  if (spec.type === "select") {
    control = h("select", { id: controlId, name: spec.name, required: spec.required });
    for (const [value, label] of spec.options ?? []) control.append(h("option", { value }, label));
    if (spec.value !== undefined) control.value = spec.value;
  } else if (spec.type === "textarea") {
    control = h("textarea", { id: controlId, name: spec.name, rows: 4, required: spec.required, value: spec.value });
  } else if (spec.type === "checkbox") {
    control = h("input", { id: controlId, name: spec.name, type: "checkbox", checked: spec.value === true });
    return h("label", { className: "check", for: controlId }, control, ` ${spec.label}`);
  } else {
    control = h("input", {
      id: controlId,
      name: spec.name,
      type: spec.type ?? "text",
      required: spec.required,
      value: spec.value,
      min: spec.min,
      max: spec.max,
      placeholder: spec.placeholder,
    });
  }
  return h("div", { className: "field" }, h("label", { for: controlId }, spec.label), control, spec.help ? h("small", {}, spec.help) : null);
}

/** The values of a form's named controls (checkboxes as "true"/"false"; empty values left out). */
export function values(form) {
  const result = {};
  for (const control of form.querySelectorAll("[name]")) {
    if (control.type === "checkbox") result[control.name] = control.checked ? "true" : "false";
    else if (control.value !== "") result[control.name] = control.value;
  }
  return result;
}

/**
 * A modal form: `fields` (see field()) resolved first if a function; `submit(values, progress)` runs the action;
 * its error's text is shown in the dialog (role=alert) and the dialog stays open. Resolves when it closes: true
 * once submitted, false when cancelled (Cancel or Escape; the browser gives focus back to what opened it).
 */
export async function openForm(title, fields, submit) {
  const specs = typeof fields === "function" ? await fields() : fields;
  const error = h("p", { className: "error", role: "alert", id: "dialog-error" });
  const status = h("p", { role: "status", id: "dialog-status" });
  const submitButton = h("button", { type: "submit", id: "dialog-submit" }, "OK");
  const dialog = h("dialog", { id: "dialog", "aria-label": title });
  const form = h(
    "form",
    { method: "dialog" },
    h("h2", {}, title),
    specs.map((spec) => field(spec)),
    error,
    status,
    h("div", { className: "actions" }, submitButton, h("button", { type: "button", id: "dialog-cancel", onclick: () => dialog.close() }, "Cancel")),
  );
  dialog.append(form);
  document.body.append(dialog);
  let submitted = false;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(submitted);
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      submitButton.disabled = true;
      try {
        await submit(values(form), (poll) => (status.textContent = `In progress${".".repeat(1 + (poll % 3))}`));
        submitted = true;
        dialog.close();
      } catch (failure) {
        status.textContent = "";
        error.textContent = failure instanceof ApiError || failure instanceof Error ? failure.message : String(failure);
      } finally {
        submitButton.disabled = false;
      }
    });
    dialog.showModal();
    form.querySelector("input, select, textarea")?.focus();
  });
}

/** A definition list of `pairs` ([label, value]). */
export function details(pairs, id) {
  return h("dl", { className: "details", id }, pairs.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, value ?? "")]));
}

/** A table with `headers` and rows of cells. */
export function table(id, headers, rows) {
  return h(
    "table",
    { id },
    h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell ?? ""))))),
  );
}

/** A byte count for people (1.5 GiB). */
export function bytes(value) {
  let number = Number(value ?? 0);
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let unit = 0;
  while (number >= 1024 && unit < units.length - 1) {
    number /= 1024;
    unit += 1;
  }
  return `${number.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
